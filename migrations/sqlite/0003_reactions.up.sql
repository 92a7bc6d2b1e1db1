-- 0003_reactions: who reacted to which message with which emoji. `emoji` is the unicode emoji
-- itself or "name:id" for a custom one. Deleting a message or a user deletes their reactions.
CREATE TABLE message_reactions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
) WITHOUT ROWID;
CREATE INDEX message_reactions_user_id_idx ON message_reactions (user_id);
