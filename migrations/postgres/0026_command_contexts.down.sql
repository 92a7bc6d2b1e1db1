ALTER TABLE application_commands DROP COLUMN integration_types;
ALTER TABLE application_commands DROP COLUMN contexts;
