-- 0023_stage_instances: live stages, one per stage channel, gone with their channel. A stage
-- started for a scheduled event names it.
CREATE TABLE stage_instances (
  id INTEGER PRIMARY KEY,
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL UNIQUE REFERENCES channels (id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  scheduled_event_id INTEGER REFERENCES scheduled_events (id) ON DELETE SET NULL
);
CREATE INDEX stage_instances_server_id_idx ON stage_instances (server_id);
