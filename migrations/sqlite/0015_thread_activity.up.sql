-- 0015_thread_activity: a thread's message count and its last message's time, kept by triggers as
-- messages come and go, so that reading a thread (every permission check in it) never counts its
-- messages, and the idle-thread sweep tests a thread's own row (which a concurrent message
-- insert locks and changes) rather than its messages.
ALTER TABLE threads ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN last_message_at INTEGER NOT NULL DEFAULT 0;
UPDATE threads SET
  message_count = (SELECT count(*) FROM messages m WHERE m.channel_id = threads.channel_id),
  last_message_at = coalesce(((SELECT max(m.id) FROM messages m
                               WHERE m.channel_id = threads.channel_id) >> 22) + 1420070400000, 0);
CREATE TRIGGER messages_count_in_threads AFTER INSERT ON messages BEGIN
  UPDATE threads SET message_count = message_count + 1,
    last_message_at = max(last_message_at, (NEW.id >> 22) + 1420070400000)
  WHERE channel_id = NEW.channel_id;
END;
CREATE TRIGGER messages_uncount_in_threads AFTER DELETE ON messages BEGIN
  UPDATE threads SET message_count = message_count - 1 WHERE channel_id = OLD.channel_id;
END;
