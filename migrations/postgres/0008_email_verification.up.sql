-- 0008_email_verification: users.verified (accounts that existed before count as verified, as the
-- API showed them), and one-use tokens that the verification mail carries (only their SHA-256).
ALTER TABLE users ADD COLUMN verified BOOLEAN NOT NULL DEFAULT false;
UPDATE users SET verified = true;
CREATE TABLE email_verifications (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX email_verifications_user_id_idx ON email_verifications (user_id);
