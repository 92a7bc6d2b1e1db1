DROP TABLE ephemeral_messages;
ALTER TABLE interactions DROP COLUMN modal;
ALTER TABLE interactions DROP COLUMN message_id;
ALTER TABLE interactions DROP COLUMN type;
ALTER TABLE messages DROP COLUMN components;
