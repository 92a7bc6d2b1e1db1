-- 0001_initial: the seed's tables (users, servers, roles, channels, server_members, member_roles,
-- messages) plus what Discord's objects need; the PostgreSQL twin of migrations/sqlite/0001.
-- Snowflake ids are BIGINT; times are unix milliseconds (BIGINT), as in SQLite, so both stores
-- read and write the same numbers. Deleting a server cascades to its roles, channels,
-- overwrites, members, member roles and messages.

CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL,
  -- NULL for bots; unique ignoring ASCII case (users_email_key below).
  email TEXT,
  password_hash TEXT NOT NULL DEFAULT '',
  display_name TEXT,
  avatar TEXT,
  bot BOOLEAN NOT NULL DEFAULT false,
  flags BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT,
  CONSTRAINT users_username_key UNIQUE (username)
);
-- lower() under the "C" collation folds ASCII only, like SQLite's NOCASE, whatever the
-- database's locale.
CREATE UNIQUE INDEX users_email_key ON users (lower(email COLLATE "C"));

CREATE TABLE servers (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  owner_id BIGINT NOT NULL REFERENCES users (id),
  icon_url TEXT,
  description TEXT,
  -- Foreign keys added once channels exists (below).
  system_channel_id BIGINT,
  afk_channel_id BIGINT,
  afk_timeout INTEGER NOT NULL DEFAULT 300,
  verification_level INTEGER NOT NULL DEFAULT 0,
  default_message_notifications INTEGER NOT NULL DEFAULT 0,
  explicit_content_filter INTEGER NOT NULL DEFAULT 0,
  preferred_locale TEXT NOT NULL DEFAULT 'en-US',
  created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT
);
CREATE INDEX servers_owner_id_idx ON servers (owner_id);

CREATE TABLE roles (
  id BIGINT PRIMARY KEY,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  permissions BIGINT NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  color BIGINT,  -- a uint32, which INTEGER cannot hold
  hoist BOOLEAN NOT NULL DEFAULT false,
  mentionable BOOLEAN NOT NULL DEFAULT false,
  -- Target of member_roles' foreign key: a member can only hold roles of their own server.
  CONSTRAINT roles_server_id_id_key UNIQUE (server_id, id)
);

CREATE TABLE channels (
  id BIGINT PRIMARY KEY,
  server_id BIGINT REFERENCES servers (id) ON DELETE CASCADE,  -- NULL for DMs
  name TEXT NOT NULL DEFAULT '',
  type INTEGER NOT NULL DEFAULT 0,  -- Discord's numbers: 0 text, 1 DM, 2 voice, 4 category
  position INTEGER NOT NULL DEFAULT 0,
  parent_id BIGINT REFERENCES channels (id) ON DELETE SET NULL,
  topic TEXT,
  nsfw BOOLEAN NOT NULL DEFAULT false,
  rate_limit_per_user INTEGER NOT NULL DEFAULT 0,
  bitrate INTEGER NOT NULL DEFAULT 0,
  user_limit INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT
);
CREATE INDEX channels_server_id_idx ON channels (server_id, position);
CREATE INDEX channels_parent_id_idx ON channels (parent_id);

-- Deferred: a new server names its system channel before the channel row exists.
ALTER TABLE servers
  ADD CONSTRAINT servers_system_channel_id_fkey FOREIGN KEY (system_channel_id)
    REFERENCES channels (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  ADD CONSTRAINT servers_afk_channel_id_fkey FOREIGN KEY (afk_channel_id)
    REFERENCES channels (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE channel_overwrites (
  channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  target_id BIGINT NOT NULL,  -- a role id or a user id, as type says
  type INTEGER NOT NULL,      -- 0 role, 1 member
  allow BIGINT NOT NULL DEFAULT 0,
  deny BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (channel_id, target_id)
);

CREATE TABLE channel_recipients (
  channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_recipients_user_id_idx ON channel_recipients (user_id);

CREATE TABLE server_members (
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  nickname TEXT,
  joined_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT,
  communication_disabled_until BIGINT,
  PRIMARY KEY (server_id, user_id)
);
CREATE INDEX server_members_user_id_idx ON server_members (user_id);

CREATE TABLE member_roles (
  server_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role_id BIGINT NOT NULL,
  PRIMARY KEY (server_id, user_id, role_id),
  CONSTRAINT member_roles_member_fkey FOREIGN KEY (server_id, user_id)
    REFERENCES server_members (server_id, user_id) ON DELETE CASCADE,
  CONSTRAINT member_roles_role_fkey FOREIGN KEY (server_id, role_id)
    REFERENCES roles (server_id, id) ON DELETE CASCADE
);
CREATE INDEX member_roles_role_id_idx ON member_roles (server_id, role_id);

CREATE TABLE messages (
  id BIGINT PRIMARY KEY,
  channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  author_id BIGINT NOT NULL REFERENCES users (id),
  content TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT,
  edited_at BIGINT,
  type INTEGER NOT NULL DEFAULT 0,
  flags BIGINT NOT NULL DEFAULT 0,
  tts BOOLEAN NOT NULL DEFAULT false,
  pinned BOOLEAN NOT NULL DEFAULT false,
  mention_everyone BOOLEAN NOT NULL DEFAULT false,
  nonce TEXT,
  referenced_message_id BIGINT,  -- no foreign key: a reply outlives the message it quotes
  embeds TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX messages_channel_id_id_idx ON messages (channel_id, id DESC);
CREATE INDEX messages_author_id_idx ON messages (author_id);

CREATE TABLE message_user_mentions (
  message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL,
  PRIMARY KEY (message_id, user_id)
);

CREATE TABLE message_role_mentions (
  message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  role_id BIGINT NOT NULL,
  PRIMARY KEY (message_id, role_id)
);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT,
  used BOOLEAN NOT NULL DEFAULT false,
  revoked BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);

CREATE TABLE applications (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  icon TEXT,
  owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  bot_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  bot_token_hash TEXT NOT NULL DEFAULT '',
  bot_public BOOLEAN NOT NULL DEFAULT true,
  flags BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::BIGINT,
  CONSTRAINT applications_bot_user_id_key UNIQUE (bot_user_id)
);
CREATE INDEX applications_owner_id_idx ON applications (owner_id);
