ALTER TABLE messages DROP COLUMN interaction;
