ALTER TABLE channels DROP COLUMN icon_data;
ALTER TABLE channels DROP COLUMN icon_type;
ALTER TABLE channels DROP COLUMN icon_hash;
ALTER TABLE channels DROP COLUMN owner_id;
