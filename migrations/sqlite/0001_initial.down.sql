-- Reverts 0001_initial: drops every table it created, dependents first.
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
