-- 0021_scheduled_events: guilds' scheduled events and who is interested in each. An event goes
-- with its guild, and with its channel when it is held in one.
CREATE TABLE scheduled_events (
  id BIGINT PRIMARY KEY,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  channel_id BIGINT REFERENCES channels (id) ON DELETE CASCADE,  -- NULL for EXTERNAL
  creator_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT,
  status INTEGER NOT NULL,       -- 1 scheduled, 2 active, 3 completed, 4 canceled
  entity_type INTEGER NOT NULL,  -- 1 stage instance, 2 voice, 3 external
  location TEXT
);
CREATE INDEX scheduled_events_server_id_idx ON scheduled_events (server_id);
-- The status automation reads open events by time.
CREATE INDEX scheduled_events_open_idx ON scheduled_events (start_ms) WHERE status IN (1, 2);
CREATE TABLE scheduled_event_users (
  event_id BIGINT NOT NULL REFERENCES scheduled_events (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, user_id)
);
