-- 0030_stickers: guilds' stickers, with their images (at most 512 KiB each, kept in the database as
-- base64, where every node reads them). They go with their guild. A message keeps the stickers it
-- was sent with as Discord's sticker_items show them (JSON), so that they outlive the stickers.
CREATE TABLE stickers (
  id BIGINT PRIMARY KEY,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL,
  format_type INTEGER NOT NULL,
  creator_id BIGINT NOT NULL,
  image TEXT NOT NULL,
  content_type TEXT NOT NULL
);
CREATE INDEX stickers_server_id_idx ON stickers (server_id);
ALTER TABLE messages ADD COLUMN stickers TEXT;
