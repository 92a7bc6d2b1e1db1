-- 0007_search_insert: a new message is indexed by the store's own INSERT into messages_fts
-- instead of a trigger. A statement that fires a trigger runs in a statement transaction, and
-- SQLite 3.40's FTS5 writes its pending index data out as a new segment at each of those: every
-- message of a group-committed batch cost a segment (and later merges) of its own. The delete and
-- update triggers stay: those paths are rare and include the cascades of a deleted channel.
DROP TRIGGER messages_fts_after_insert;
