-- Reverts 0003_reactions.
DROP TABLE message_reactions;
