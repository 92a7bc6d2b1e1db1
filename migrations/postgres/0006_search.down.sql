-- Reverts 0006_search.
DROP INDEX messages_content_tsv_idx;
ALTER TABLE messages DROP COLUMN content_tsv;
