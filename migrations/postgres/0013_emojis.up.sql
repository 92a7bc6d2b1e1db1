-- 0013_emojis: guilds' custom emojis, with their images (at most 256 KiB each, kept in the
-- database as base64, where every node reads them). They go with their guild.
CREATE TABLE emojis (
  id BIGINT PRIMARY KEY,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  animated BOOLEAN NOT NULL DEFAULT false,
  creator_id BIGINT NOT NULL,
  image TEXT NOT NULL,  -- base64, as the data URI carried it
  content_type TEXT NOT NULL
);
CREATE INDEX emojis_server_id_idx ON emojis (server_id);
