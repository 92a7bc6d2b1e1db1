-- 0009_email_verification: users.verified (accounts that existed before count as verified, as the
-- API showed them), and one-use tokens that the verification mail carries (only their SHA-256).
ALTER TABLE users ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
UPDATE users SET verified = 1;
CREATE TABLE email_verifications (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX email_verifications_user_id_idx ON email_verifications (user_id);
