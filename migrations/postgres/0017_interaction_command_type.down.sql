ALTER TABLE interactions DROP COLUMN response_ephemeral;
ALTER TABLE interactions DROP COLUMN command_type;
