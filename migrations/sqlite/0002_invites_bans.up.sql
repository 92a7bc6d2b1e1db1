-- 0002_invites_bans: guild invites (codes with expiry and a use budget) and bans. Deleting a
-- server or channel deletes its invites; deleting a server deletes its bans.
CREATE TABLE invites (
  code TEXT PRIMARY KEY,
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  inviter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  max_age INTEGER NOT NULL DEFAULT 86400,  -- seconds; 0 = never expires
  max_uses INTEGER NOT NULL DEFAULT 0,     -- 0 = unlimited
  uses INTEGER NOT NULL DEFAULT 0,
  temporary INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX invites_server_id_idx ON invites (server_id);
CREATE INDEX invites_channel_id_idx ON invites (channel_id);

CREATE TABLE bans (
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  reason TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (server_id, user_id)
) WITHOUT ROWID;
