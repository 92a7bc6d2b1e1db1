-- 0002_invites_bans, the PostgreSQL twin of migrations/sqlite/0002: guild invites (codes with
-- expiry and a use budget) and bans. Deleting a server or channel deletes its invites; deleting a
-- server deletes its bans.
CREATE TABLE invites (
  code TEXT PRIMARY KEY,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  inviter_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  max_age INTEGER NOT NULL DEFAULT 86400,  -- seconds; 0 = never expires
  max_uses INTEGER NOT NULL DEFAULT 0,     -- 0 = unlimited
  uses INTEGER NOT NULL DEFAULT 0,
  temporary BOOLEAN NOT NULL DEFAULT false,
  created_at BIGINT NOT NULL
);
CREATE INDEX invites_server_id_idx ON invites (server_id);
CREATE INDEX invites_channel_id_idx ON invites (channel_id);

CREATE TABLE bans (
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  reason TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (server_id, user_id)
);
