-- 0004_audit_log: the guild audit log (Discord's audit log entries). `changes` and `options` are
-- the entry's JSON as the service wrote it. No foreign key on user_id/target_id: an entry
-- outlives the users, roles and channels it names. Deleting a server deletes its entries.
CREATE TABLE audit_log_entries (
  id INTEGER PRIMARY KEY,
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  target_id INTEGER,
  action_type INTEGER NOT NULL,
  changes TEXT,
  options TEXT,
  reason TEXT
);
CREATE INDEX audit_log_entries_server_id_idx ON audit_log_entries (server_id, id);
