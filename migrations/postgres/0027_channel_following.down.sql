DROP INDEX messages_crosspost_message_id_idx;
ALTER TABLE messages DROP COLUMN crosspost_guild_id;
ALTER TABLE messages DROP COLUMN crosspost_channel_id;
ALTER TABLE messages DROP COLUMN crosspost_message_id;
DELETE FROM webhooks WHERE type = 2;
DROP INDEX webhooks_follower_idx;
DROP INDEX webhooks_source_channel_id_idx;
ALTER TABLE webhooks DROP COLUMN source_channel_id;
ALTER TABLE webhooks DROP COLUMN type;
