DROP TABLE email_verifications;
ALTER TABLE users DROP COLUMN verified;
