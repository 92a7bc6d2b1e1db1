-- 0031_pending_tasks: the outbox (store/task_store.hpp). Work a committed change calls for — an
-- ended poll's result message, a published message's copies — is written here in the change's own
-- transaction and removed when done, so a node stopping in between leaves it for the next sweep.
-- due_at is the lease: the writer holds it until then, a sweep that claims it moves it on.
CREATE TABLE pending_tasks (
  kind INTEGER NOT NULL,
  subject_id BIGINT NOT NULL,
  channel_id BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (kind, subject_id)
);
CREATE INDEX pending_tasks_due_at_idx ON pending_tasks (due_at);
-- One copy of a published message per follower: a task run twice (a claim that outlived its
-- lease) cannot post a second one. It replaces the plain index lookups of copies used.
DROP INDEX messages_crosspost_message_id_idx;
CREATE UNIQUE INDEX messages_crosspost_copy_idx ON messages (crosspost_message_id, webhook_id)
  WHERE crosspost_message_id IS NOT NULL;
