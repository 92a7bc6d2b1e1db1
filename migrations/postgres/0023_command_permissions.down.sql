DROP TABLE command_permissions;
