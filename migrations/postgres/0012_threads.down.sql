DROP TRIGGER messages_count_in_threads ON messages;
DROP FUNCTION messages_count_in_threads();
DROP TRIGGER server_members_leave_threads ON server_members;
DROP FUNCTION server_members_leave_threads();
DELETE FROM channels WHERE type IN (10, 11, 12);
DROP TABLE thread_members;
DROP TABLE threads;
