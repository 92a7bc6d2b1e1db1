-- 0004_audit_log, the PostgreSQL twin of migrations/sqlite/0004: the guild audit log. `changes`
-- and `options` are the entry's JSON as the service wrote it. No foreign key on
-- user_id/target_id: an entry outlives what it names. Deleting a server deletes its entries.
CREATE TABLE audit_log_entries (
  id BIGINT PRIMARY KEY,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL,
  target_id BIGINT,
  action_type INTEGER NOT NULL,
  changes TEXT,
  options TEXT,
  reason TEXT
);
CREATE INDEX audit_log_entries_server_id_idx ON audit_log_entries (server_id, id);
