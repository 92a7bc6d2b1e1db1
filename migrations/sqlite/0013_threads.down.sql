DROP TRIGGER server_members_leave_threads;
DELETE FROM channels WHERE type IN (10, 11, 12);
DROP TABLE thread_members;
DROP TABLE threads;
