-- 0009_token_version: a counter raised whenever all of a user's sessions must end (a password
-- reset, a new bot token). Access tokens carry the value they were issued under; one below the
-- user's current value is refused, and gateway sessions opened under it are closed.
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
