ALTER TABLE messages DROP COLUMN forward;
