-- Reverts 0001_initial: drops every table it created, dependents first. servers and channels
-- reference each other, so the servers → channels keys go first (no CASCADE: a down must not
-- silently drop what a later migration added).
ALTER TABLE servers
  DROP CONSTRAINT servers_system_channel_id_fkey,
  DROP CONSTRAINT servers_afk_channel_id_fkey;
DROP TABLE applications;
DROP TABLE refresh_tokens;
DROP TABLE message_role_mentions;
DROP TABLE message_user_mentions;
DROP TABLE messages;
DROP TABLE member_roles;
DROP TABLE server_members;
DROP TABLE channel_recipients;
DROP TABLE channel_overwrites;
DROP TABLE channels;
DROP TABLE roles;
DROP TABLE servers;
DROP TABLE users;
