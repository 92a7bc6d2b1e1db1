-- 0025_polls: polls sent with messages. What never changes (the question, the answers, whether
-- several may be chosen) is the message's `poll` column, as domain/json/poll_json rebuilt it;
-- `polls` holds what does (when voting ends, whether the votes were counted), `poll_votes` one row
-- per vote. The open-poll index serves the sweep that ends polls at their expiry.
ALTER TABLE messages ADD COLUMN poll TEXT;
CREATE TABLE polls (
  message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  finalized INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX polls_open_idx ON polls (expires_at) WHERE finalized = 0;
CREATE TABLE poll_votes (
  message_id INTEGER NOT NULL REFERENCES polls (message_id) ON DELETE CASCADE,
  answer_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (message_id, answer_id, user_id)
);
CREATE INDEX poll_votes_user_idx ON poll_votes (message_id, user_id);
-- Discord gave every server's @everyone SEND_POLLS when polls came; so does this migration (new
-- guilds get it from kDefaultEveryonePermissions). Going down leaves it: a grant made since cannot
-- be told apart.
UPDATE roles SET permissions = permissions | 562949953421312 WHERE id = server_id;
