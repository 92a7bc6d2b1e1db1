-- 0026_message_forwards: a forwarded message (Discord's message_reference type 1) keeps what it
-- forwards as it was then: {"message_reference": {...}, "snapshot": {...}}, as
-- domain/json/message_json wrote it. Editing or deleting the original changes nothing here.
ALTER TABLE messages ADD COLUMN forward TEXT;
