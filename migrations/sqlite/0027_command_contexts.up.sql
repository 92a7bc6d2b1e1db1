-- 0027_command_contexts: where a command may run (Discord's contexts: 0 guilds, 1 the bot's DMs,
-- 2 other DMs) and how its application may be installed (integration_types: 0 guild, 1 user), as
-- bit masks of the values the application gave; NULL when it gave none (dm_permission decides).
ALTER TABLE application_commands ADD COLUMN contexts INTEGER;
ALTER TABLE application_commands ADD COLUMN integration_types INTEGER;
