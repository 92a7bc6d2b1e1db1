ALTER TABLE messages DROP COLUMN stickers;
DROP TABLE stickers;
