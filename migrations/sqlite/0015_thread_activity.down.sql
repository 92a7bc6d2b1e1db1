DROP TRIGGER messages_uncount_in_threads;
DROP TRIGGER messages_count_in_threads;
ALTER TABLE threads DROP COLUMN last_message_at;
ALTER TABLE threads DROP COLUMN message_count;
