-- 0018_interaction_command_type: what kind of command an interaction ran (1 slash, 2 user, 3
-- message), which decides the type of its answers (20 or 23), and whether its original response
-- is ephemeral (shown only to the user, not stored: its edits and deletion go to them alone).
ALTER TABLE interactions ADD COLUMN command_type INTEGER NOT NULL DEFAULT 1;
ALTER TABLE interactions ADD COLUMN response_ephemeral INTEGER NOT NULL DEFAULT 0;
