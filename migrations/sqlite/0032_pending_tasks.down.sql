DROP INDEX messages_crosspost_copy_idx;
CREATE INDEX messages_crosspost_message_id_idx ON messages (crosspost_message_id)
  WHERE crosspost_message_id IS NOT NULL;
DROP TABLE pending_tasks;
