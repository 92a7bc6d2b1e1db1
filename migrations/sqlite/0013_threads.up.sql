-- 0013_threads: threads are channels (types 10–12) whose parent_id is the channel they were
-- started in; this table holds what they have beyond a channel, and thread_members who joined.
-- Both go with the thread's channel row. The owner has no foreign key: a thread outlives its
-- starter's account, as on Discord.
CREATE TABLE threads (
  channel_id INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  owner_id INTEGER NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  auto_archive_duration INTEGER NOT NULL DEFAULT 1440,
  archive_timestamp INTEGER NOT NULL,
  invitable INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE TABLE thread_members (
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  joined_at INTEGER NOT NULL,
  flags INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX thread_members_user_id_idx ON thread_members (user_id);
-- Leaving a guild (kick, ban or leave) leaves its threads too, whichever path removed the member.
CREATE TRIGGER server_members_leave_threads AFTER DELETE ON server_members BEGIN
  DELETE FROM thread_members WHERE user_id = OLD.user_id
    AND channel_id IN (SELECT id FROM channels WHERE server_id = OLD.server_id);
END;
