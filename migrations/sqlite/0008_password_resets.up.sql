-- 0008_password_resets: one-use tokens that POST /auth/forgot mails; only their SHA-256 is kept.
-- A user has at most one (a new request replaces the old); created_at spaces requests out.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
