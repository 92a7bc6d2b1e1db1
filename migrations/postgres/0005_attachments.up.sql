-- 0005_attachments, the PostgreSQL twin of migrations/sqlite/0005: files uploaded with messages
-- (the bytes live under DATA_DIR/attachments/<id>/; url_key makes their URL unguessable) and when
-- each message was pinned. Deleting a message deletes its attachment rows; the service removes
-- the files.
CREATE TABLE message_attachments (
  id BIGINT PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  channel_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  filename TEXT NOT NULL,
  description TEXT,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  width INTEGER,
  height INTEGER,
  url_key TEXT NOT NULL
);
CREATE INDEX message_attachments_message_id_idx ON message_attachments (message_id, position);

ALTER TABLE messages ADD COLUMN pinned_at BIGINT;
