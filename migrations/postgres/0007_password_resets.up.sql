-- 0007_password_resets: one-use tokens that POST /auth/forgot mails; only their SHA-256 is kept.
-- A user has at most one (a new request replaces the old); created_at spaces requests out.
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
