-- 0014_thread_activity: a thread's message count and its last message's time, kept by a trigger as
-- messages come and go, so that reading a thread (every permission check in it) never counts its
-- messages, and the idle-thread sweep tests a thread's own row (which a concurrent message
-- insert locks and changes, so the sweep's re-check after the lock sees it) rather than its
-- messages.
ALTER TABLE threads ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN last_message_at BIGINT NOT NULL DEFAULT 0;
UPDATE threads t SET
  message_count = (SELECT count(*) FROM messages m WHERE m.channel_id = t.channel_id),
  last_message_at = COALESCE(((SELECT max(m.id) FROM messages m
                               WHERE m.channel_id = t.channel_id) >> 22) + 1420070400000, 0);
CREATE FUNCTION messages_count_in_threads() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE threads SET message_count = message_count + 1,
      last_message_at = GREATEST(last_message_at, (NEW.id >> 22) + 1420070400000)
    WHERE channel_id = NEW.channel_id;
  ELSE
    UPDATE threads SET message_count = message_count - 1 WHERE channel_id = OLD.channel_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER messages_count_in_threads AFTER INSERT OR DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION messages_count_in_threads();
