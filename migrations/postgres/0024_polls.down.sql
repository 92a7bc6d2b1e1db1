DROP TABLE poll_votes;
DROP TABLE polls;
ALTER TABLE messages DROP COLUMN poll;
