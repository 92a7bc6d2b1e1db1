-- Reverts 0006_search.
DROP TRIGGER messages_fts_after_update;
DROP TRIGGER messages_fts_after_delete;
DROP TRIGGER messages_fts_after_insert;
DROP TABLE messages_fts;
