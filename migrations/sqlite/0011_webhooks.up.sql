-- 0011_webhooks: incoming webhooks, and the webhook (with the name and avatar it used) that sent a
-- message. A webhook goes with its channel; its messages stay, showing it as their author.
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  creator_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  avatar TEXT,
  token TEXT NOT NULL
);
CREATE INDEX webhooks_channel_id_idx ON webhooks (channel_id);
CREATE INDEX webhooks_server_id_idx ON webhooks (server_id);
ALTER TABLE messages ADD COLUMN webhook_id INTEGER;
ALTER TABLE messages ADD COLUMN webhook_name TEXT;
ALTER TABLE messages ADD COLUMN webhook_avatar TEXT;
