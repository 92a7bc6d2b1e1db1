-- 0006_search, the PostgreSQL twin of migrations/sqlite/0006: full-text search over message
-- content. content_tsv is generated from content by the server (so edits and deletes need no
-- triggers) with the 'simple' configuration: words, no stemming, no stop words, close to what
-- SQLite's unicode61 tokenizer gives. The text is lower-cased under the ICU root collation, not
-- the database's, so that "Καλημέρα" folds the same on a database created with --locale=C.
-- The GIN index serves `content_tsv @@ query`.
ALTER TABLE messages
  ADD COLUMN content_tsv TSVECTOR
  GENERATED ALWAYS AS (to_tsvector('simple', lower(content COLLATE "und-x-icu"))) STORED;
CREATE INDEX messages_content_tsv_idx ON messages USING GIN (content_tsv);
