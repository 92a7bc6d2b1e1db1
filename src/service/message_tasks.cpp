// service/message_tasks.cpp — the outbox sweep (store/task_store.hpp): derived work the node that
// committed its cause did not finish. A poll's result is written with its task's completion, so
// it is posted once however often its task runs; a published message's copies are posted for the
// followers that have none yet (one per follower: a unique index); copies are brought in line with
// their original as it is when the task runs, which any number of runs leave the same. A task that
// keeps failing is given up after kMaxTaskAttempts claims, loudly: nothing would be written by
// trying forever.
#include "common/log.hpp"
#include "service/message_service.hpp"

namespace chat::service {

namespace {

constexpr std::string_view kTaskTarget = "chat_server::tasks";
// Claims while the database answers (a claim needs it): ten leases, about ten minutes.
constexpr int kMaxTaskAttempts = 10;

const char* KindName(store::TaskKind kind) {
  switch (kind) {
    case store::TaskKind::kPollResult:
      return "poll_result";
    case store::TaskKind::kCrosspostCopies:
      return "crosspost_copies";
    case store::TaskKind::kSyncCopies:
      return "sync_copies";
  }
  return "unknown";
}

}  // namespace

bool MessageService::IsTransient(const Error& error) {
  return error.code == Errc::kDatabase || error.code == Errc::kUnavailable ||
         error.code == Errc::kCache || error.code == Errc::kInternal;
}

void MessageService::CompleteTask(store::TaskKey key, std::int64_t only_if_due_at_ms) {
  if (auto r = store_.CompleteTask(key, only_if_due_at_ms); !r) {
    // Left in place: the next sweep runs it again, which does nothing twice.
    log::Warn(kTaskTarget, "task not completed",
              {{"task", KindName(key.kind)},
               {"subject_id", domain::ToString(key.subject_id)},
               {"error", r.error().message}});
  }
}

void MessageService::SettleTask(store::TaskKey key, const Error& error,
                                std::int64_t only_if_due_at_ms) {
  if (IsTransient(error)) return;  // its lease runs out, and a sweep tries again
  CompleteTask(key, only_if_due_at_ms);
}

Result<int> MessageService::RunDueTasks(int limit) {
  const std::int64_t now = clock_();
  auto tasks = store_.ClaimDueTasks(now, now + kTaskLeaseMs, limit);
  if (!tasks) return tasks.error();
  for (const store::PendingTask& task : *tasks) {
    const domain::Snowflake subject = task.key.subject_id;
    // Checked before the work: a task that stops the node every time it runs ends here too.
    if (task.attempts > kMaxTaskAttempts) {
      // Only under this claim: a change since (a new edit) wrote the task again, afresh.
      if (auto dropped = store_.CompleteTask(task.key, now + kTaskLeaseMs); dropped && *dropped) {
        log::Error(kTaskTarget, "task given up",
                   {{"task", KindName(task.key.kind)},
                    {"subject_id", domain::ToString(subject)},
                    {"attempts", std::to_string(task.attempts - 1)}});
      }
      continue;
    }
    // The rest of this claim would run past its lease, into another node's claim of the same
    // tasks: they are left to that claim.
    if (clock_() >= now + kTaskLeaseMs / 2) break;
    log::Info(kTaskTarget, "running a task left unfinished",
              {{"task", KindName(task.key.kind)},
               {"subject_id", domain::ToString(subject)},
               {"attempt", std::to_string(task.attempts)}});
    switch (task.key.kind) {
      case store::TaskKind::kPollResult: {
        auto access = AnnouncerAccess(task.channel_id);
        if (!access) {
          SettleTask(task.key, access.error());
        } else if (auto r = AnnouncePollEnd(*access, subject, 0); !r) {  // settles the task
          log::Warn(kTaskTarget, "poll end not announced",
                    {{"message_id", domain::ToString(subject)}, {"error", r.error().message}});
        }
        break;
      }
      case store::TaskKind::kCrosspostCopies: {
        auto published = store_.GetMessage(task.channel_id, subject);
        if (!published) {
          SettleTask(task.key, published.error());  // deleted: its copies were marked so
        } else {
          PostCopiesChecked(*published);  // settles the task itself
        }
        break;
      }
      case store::TaskKind::kSyncCopies: {
        // The copies follow the original as it is now: gone, or its text, embeds and files.
        const std::int64_t lease = now + kTaskLeaseMs;
        auto original = store_.GetMessage(task.channel_id, subject);
        if (original) {
          // Files too, whole: the change this task follows may have replaced one with a file of
          // the same name and size.
          SyncCopies(*original, /*deleted=*/false, /*refile=*/true, lease);
        } else if (original.error().code == Errc::kNotFound) {
          domain::Message gone;
          gone.id = subject;
          gone.channel_id = task.channel_id;
          SyncCopies(gone, /*deleted=*/true, false, lease);
        } else {
          SettleTask(task.key, original.error(), lease);
        }
        break;
      }
      default:
        // Written by a newer node during an upgrade: left for it.
        log::Warn(kTaskTarget, "unknown task kind",
                  {{"kind", std::to_string(static_cast<int>(task.key.kind))}});
        continue;
    }
  }
  return static_cast<int>(tasks->size());
}

}  // namespace chat::service
