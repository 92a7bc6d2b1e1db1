-- 0033_auto_moderation: guilds' auto moderation rules (store/auto_moderation_store.hpp). A rule's
-- trigger_metadata and actions are kept as the JSON Discord shows (checked by the service, opaque
-- here); exempt_roles and exempt_channels are id lists ("1,2,3", store/id_list.hpp). They go with
-- their guild.
CREATE TABLE auto_moderation_rules (
  id INTEGER PRIMARY KEY,
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  creator_id INTEGER NOT NULL,
  event_type INTEGER NOT NULL,
  trigger_type INTEGER NOT NULL,
  trigger_metadata TEXT NOT NULL,
  actions TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 0,
  exempt_roles TEXT NOT NULL DEFAULT '',
  exempt_channels TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auto_moderation_rules_server_id_idx ON auto_moderation_rules (server_id);
