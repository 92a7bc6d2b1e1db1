// store/task_store.hpp — the outbox of work that follows a committed change and must happen even
// if the node that made the change stops right after: the POLL_RESULT message of an ended poll,
// the copies of a published message in its followers' channels, and those copies following the
// original's later edits and deletion. A task is written in the same
// transaction as the change that calls for it (PollStore::FinalizePoll, MessageUpdate::task), so
// one never exists without the other. The node that wrote it holds it first (its due time is a
// lease); when that node has not finished by then, any node's sweep claims it again. Work done
// for a task is idempotent or, for a single message, written in one transaction with the task's
// completion (MessageStore::CreateMessageCompleting), so a task run twice does it once.
// Thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

enum class TaskKind : int {
  kPollResult = 1,       // subject: the poll's message
  kCrosspostCopies = 2,  // subject: the published message
  kSyncCopies = 3,       // subject: a published message edited or deleted; its copies follow
};

struct TaskKey {
  TaskKind kind = TaskKind::kPollResult;
  domain::Snowflake subject_id = 0;
};

struct NewTask {
  TaskKey key;
  domain::Snowflake channel_id = 0;  // the subject's channel
  std::int64_t due_at_ms = 0;        // the writer's lease: no sweep takes it before
};

struct PendingTask {
  TaskKey key;
  domain::Snowflake channel_id = 0;
  int attempts = 0;  // claims so far, this one included
};

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  // Up to `limit` tasks due at `now_ms`, oldest due first, each leased to the caller until
  // `lease_until_ms` (no other claim takes it before) with its attempts counted.
  [[nodiscard]] virtual Result<std::vector<PendingTask>> ClaimDueTasks(std::int64_t now_ms,
                                                                       std::int64_t lease_until_ms,
                                                                       int limit) = 0;
  // Removes the task: its work is done, or given up. With `only_if_due_at_ms` (0: any), only
  // while it is still due then, that is, still the caller's lease: a task written again since
  // (a second edit of a published message) or claimed by a sweep stays for its new holder.
  // false when it was not removed.
  [[nodiscard]] virtual Result<bool> CompleteTask(TaskKey key, std::int64_t only_if_due_at_ms) = 0;
};

}  // namespace chat::store
