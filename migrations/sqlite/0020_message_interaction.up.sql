-- 0020_message_interaction: an application's answer names the interaction it answers (who ran
-- which command, or used which message's component), shown as Discord's interaction_metadata.
-- Kept on the message: the interaction itself is forgotten after 15 minutes.
ALTER TABLE messages ADD COLUMN interaction TEXT;
