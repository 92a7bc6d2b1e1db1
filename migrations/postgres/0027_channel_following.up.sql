-- 0027_channel_following: a guild channel following an announcement channel (Discord's
-- POST /channels/{id}/followers) is a webhook of type 2 in the follower's channel, naming the
-- channel it follows; publishing a message there posts a copy through each such webhook. The
-- copy names its original (crosspost_*, Discord's message_reference) so edits and deletion of
-- the original reach it. Deleting the followed channel removes its follower webhooks.
ALTER TABLE webhooks ADD COLUMN type INTEGER NOT NULL DEFAULT 1;
ALTER TABLE webhooks ADD COLUMN source_channel_id BIGINT REFERENCES channels (id) ON DELETE CASCADE;
CREATE INDEX webhooks_source_channel_id_idx ON webhooks (source_channel_id)
  WHERE source_channel_id IS NOT NULL;
-- A channel follows another once, whatever requests race to make it follow.
CREATE UNIQUE INDEX webhooks_follower_idx ON webhooks (channel_id, source_channel_id)
  WHERE type = 2;
ALTER TABLE messages ADD COLUMN crosspost_message_id BIGINT;
ALTER TABLE messages ADD COLUMN crosspost_channel_id BIGINT;
ALTER TABLE messages ADD COLUMN crosspost_guild_id BIGINT;
CREATE INDEX messages_crosspost_message_id_idx ON messages (crosspost_message_id)
  WHERE crosspost_message_id IS NOT NULL;
