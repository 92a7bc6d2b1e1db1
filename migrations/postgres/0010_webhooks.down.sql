ALTER TABLE messages DROP COLUMN webhook_avatar;
ALTER TABLE messages DROP COLUMN webhook_name;
ALTER TABLE messages DROP COLUMN webhook_id;
DROP TABLE webhooks;
