DROP TABLE application_commands;
