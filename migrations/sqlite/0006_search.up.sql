-- 0006_search: full-text search over message content. messages_fts is an FTS5 index with
-- external content (it stores no text of its own; rowid = messages.id), kept in step with
-- messages by the three triggers below, which also fire for the cascades of a deleted channel
-- or server. unicode61 with remove_diacritics 2 folds case and accents ("Café" finds "cafe").
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  content,
  content = 'messages',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;

-- An external-content index forgets a row only when told the text it indexed.
CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;

CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF content ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;

-- Messages written before this migration.
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
