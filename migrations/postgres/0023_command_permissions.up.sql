-- 0023_command_permissions: who may run an application's commands in a guild, as its managers
-- set it: per command, or for all of the application's commands (command_id is then the
-- application's id). The entries are Discord's JSON array of {id, type, permission}.
CREATE TABLE command_permissions (
  application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  server_id BIGINT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
  command_id BIGINT NOT NULL,
  permissions TEXT NOT NULL,
  PRIMARY KEY (server_id, command_id)
);
CREATE INDEX command_permissions_application_idx ON command_permissions (application_id, server_id);
