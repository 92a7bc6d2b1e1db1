ALTER TABLE scheduled_events DROP COLUMN image_data;
ALTER TABLE scheduled_events DROP COLUMN image_type;
ALTER TABLE scheduled_events DROP COLUMN image_hash;
