DROP TABLE scheduled_event_users;
DROP TABLE scheduled_events;
