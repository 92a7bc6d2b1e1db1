-- 0016_application_commands: the slash, user and message commands applications register,
-- globally (guild_id NULL) or in one guild (they go with it). `options` is the validated options
-- array as JSON text ('' when none); names are unique per application, scope and type, as on
-- Discord.
CREATE TABLE application_commands (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  guild_id INTEGER REFERENCES servers (id) ON DELETE CASCADE,
  type INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  options TEXT NOT NULL,
  default_member_permissions INTEGER,
  dm_permission INTEGER NOT NULL,
  nsfw INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE UNIQUE INDEX application_commands_name_idx
  ON application_commands (application_id, coalesce(guild_id, 0), type, name);
CREATE INDEX application_commands_guild_idx ON application_commands (guild_id);
