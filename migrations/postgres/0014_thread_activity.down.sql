DROP TRIGGER messages_count_in_threads ON messages;
DROP FUNCTION messages_count_in_threads();
ALTER TABLE threads DROP COLUMN last_message_at;
ALTER TABLE threads DROP COLUMN message_count;
