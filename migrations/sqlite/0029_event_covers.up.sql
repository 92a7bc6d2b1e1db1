-- 0029_event_covers: a scheduled event's cover image (Discord's `image`): the hash its URL names
-- (/guild-events/{id}/{hash}.png), its type, and the image as the data URI carried it (base64,
-- checked when stored). A new image is a new hash.
ALTER TABLE scheduled_events ADD COLUMN image_hash TEXT;
ALTER TABLE scheduled_events ADD COLUMN image_type TEXT;
ALTER TABLE scheduled_events ADD COLUMN image_data TEXT;
