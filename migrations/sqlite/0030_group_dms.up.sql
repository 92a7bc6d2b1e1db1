-- 0030_group_dms: what a group DM (type 3) has beyond its recipients: its owner (who may remove
-- recipients and hand the group on) and its icon, kept as the icon's hash (the URL
-- /channel-icons/{id}/{hash}.png names), its type and its data URI's base64.
ALTER TABLE channels ADD COLUMN owner_id INTEGER;
ALTER TABLE channels ADD COLUMN icon_hash TEXT;
ALTER TABLE channels ADD COLUMN icon_type TEXT;
ALTER TABLE channels ADD COLUMN icon_data TEXT;
