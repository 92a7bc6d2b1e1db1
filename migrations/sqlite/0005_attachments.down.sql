-- Reverts 0005_attachments.
ALTER TABLE messages DROP COLUMN pinned_at;
DROP TABLE message_attachments;
