-- 0001_initial: the seed's tables (users, servers, roles, channels, server_members, member_roles,
-- messages) plus what Discord's objects need. Snowflake ids are INTEGER PRIMARY KEY (SQLite's
-- 64-bit rowid alias, so no extra index); times are unix milliseconds. Deleting a server
-- cascades to its roles, channels, overwrites, members, member roles and messages.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  -- NULL for bots; unique ignoring ASCII case.
  email TEXT COLLATE NOCASE UNIQUE,
  password_hash TEXT NOT NULL DEFAULT '',
  display_name TEXT,
  avatar TEXT,
  bot INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

CREATE TABLE servers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  owner_id INTEGER NOT NULL REFERENCES users (id),
  icon_url TEXT,
  description TEXT,
  -- Deferred: a new server names its system channel before the channel row exists.
  system_channel_id INTEGER REFERENCES channels (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  afk_channel_id INTEGER REFERENCES channels (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  afk_timeout INTEGER NOT NULL DEFAULT 300,
  verification_level INTEGER NOT NULL DEFAULT 0,
  default_message_notifications INTEGER NOT NULL DEFAULT 0,
  explicit_content_filter INTEGER NOT NULL DEFAULT 0,
  preferred_locale TEXT NOT NULL DEFAULT 'en-US',
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE INDEX servers_owner_id_idx ON servers (owner_id);

CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  permissions INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  color INTEGER,
  hoist INTEGER NOT NULL DEFAULT 0,
  mentionable INTEGER NOT NULL DEFAULT 0,
  -- Target of member_roles' foreign key: a member can only hold roles of their own server.
  UNIQUE (server_id, id)
);

CREATE TABLE channels (
  id INTEGER PRIMARY KEY,
  server_id INTEGER REFERENCES servers (id) ON DELETE CASCADE,  -- NULL for DMs
  name TEXT NOT NULL DEFAULT '',
  type INTEGER NOT NULL DEFAULT 0,  -- Discord's numbers: 0 text, 1 DM, 2 voice, 4 category
  position INTEGER NOT NULL DEFAULT 0,
  parent_id INTEGER REFERENCES channels (id) ON DELETE SET NULL,
  topic TEXT,
  nsfw INTEGER NOT NULL DEFAULT 0,
  rate_limit_per_user INTEGER NOT NULL DEFAULT 0,
  bitrate INTEGER NOT NULL DEFAULT 0,
  user_limit INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE INDEX channels_server_id_idx ON channels (server_id, position);
CREATE INDEX channels_parent_id_idx ON channels (parent_id);

CREATE TABLE channel_overwrites (
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  target_id INTEGER NOT NULL,  -- a role id or a user id, as type says
  type INTEGER NOT NULL,       -- 0 role, 1 member
  allow INTEGER NOT NULL DEFAULT 0,
  deny INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, target_id)
) WITHOUT ROWID;

CREATE TABLE channel_recipients (
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (channel_id, user_id)
) WITHOUT ROWID;
CREATE INDEX channel_recipients_user_id_idx ON channel_recipients (user_id);

CREATE TABLE server_members (
  server_id INTEGER NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  nickname TEXT,
  joined_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  communication_disabled_until INTEGER,
  PRIMARY KEY (server_id, user_id)
) WITHOUT ROWID;
CREATE INDEX server_members_user_id_idx ON server_members (user_id);

CREATE TABLE member_roles (
  server_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  role_id INTEGER NOT NULL,
  PRIMARY KEY (server_id, user_id, role_id),
  FOREIGN KEY (server_id, user_id) REFERENCES server_members (server_id, user_id) ON DELETE CASCADE,
  FOREIGN KEY (server_id, role_id) REFERENCES roles (server_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX member_roles_role_id_idx ON member_roles (server_id, role_id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  author_id INTEGER NOT NULL REFERENCES users (id),
  content TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  edited_at INTEGER,
  type INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  tts INTEGER NOT NULL DEFAULT 0,
  pinned INTEGER NOT NULL DEFAULT 0,
  mention_everyone INTEGER NOT NULL DEFAULT 0,
  nonce TEXT,
  referenced_message_id INTEGER,  -- no foreign key: a reply outlives the message it quotes
  embeds TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX messages_channel_id_id_idx ON messages (channel_id, id DESC);
CREATE INDEX messages_author_id_idx ON messages (author_id);

CREATE TABLE message_user_mentions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;

CREATE TABLE message_role_mentions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  role_id INTEGER NOT NULL,
  PRIMARY KEY (message_id, role_id)
) WITHOUT ROWID;

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  used INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);

CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  icon TEXT,
  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  bot_user_id INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
  bot_token_hash TEXT NOT NULL DEFAULT '',
  bot_public INTEGER NOT NULL DEFAULT 1,
  flags INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);
CREATE INDEX applications_owner_id_idx ON applications (owner_id);
