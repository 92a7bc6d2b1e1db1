-- 0020_forum_channels: forums (type 15) and their posts. A forum keeps its settings (tags,
-- default reaction, layout…) as one JSON object, as domain/json/forum_json rebuilt them; a
-- post keeps the ids of its tags, comma-separated; flags are Discord's channel flags (PINNED,
-- REQUIRE_TAG).
ALTER TABLE channels ADD COLUMN forum TEXT;
ALTER TABLE channels ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN applied_tags TEXT NOT NULL DEFAULT '';
