ALTER TABLE channels DROP COLUMN applied_tags;
ALTER TABLE channels DROP COLUMN flags;
ALTER TABLE channels DROP COLUMN forum;
