-- 0018_message_components: a message's buttons and select menus (as domain/json/component_json
-- rebuilt them); what an interaction started from (2 a command, 3 a component, 5 a modal) and
-- the message a component is on; the modal an interaction was answered with, which its submission
-- is checked against; and ephemeral messages, shown to one user only, kept while their
-- interaction is so that their components can be used and the application can read them back.
ALTER TABLE messages ADD COLUMN components TEXT NOT NULL DEFAULT '[]';
ALTER TABLE interactions ADD COLUMN type INTEGER NOT NULL DEFAULT 2;
ALTER TABLE interactions ADD COLUMN message_id BIGINT;
ALTER TABLE interactions ADD COLUMN modal TEXT;
CREATE TABLE ephemeral_messages (
  id BIGINT PRIMARY KEY,
  interaction_id BIGINT NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message TEXT NOT NULL
);
CREATE INDEX ephemeral_messages_interaction_idx ON ephemeral_messages (interaction_id);
