-- 0017_interactions: a command a user invoked, waiting for (or given) its application's answer.
-- The token is a secret the application answers with: stored as a hash. An interaction is
-- answered once (acknowledged); its original response is a message (none while deferred
-- without one, or when it was shown only to the user).
CREATE TABLE interactions (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  guild_id INTEGER REFERENCES servers (id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  command_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  acknowledged INTEGER NOT NULL DEFAULT 0,
  response_message_id INTEGER
);
CREATE INDEX interactions_created_at_idx ON interactions (created_at);
