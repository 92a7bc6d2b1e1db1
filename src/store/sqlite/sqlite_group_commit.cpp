#include "store/sqlite/sqlite_group_commit.hpp"

#include <exception>
#include <utility>

#include "common/log.hpp"

namespace chat::store::sqlite {

namespace {

// A write that throws (out of memory) fails alone instead of leaving the batch half done and
// every later writer waiting for a batch that never ends.
bool RunGroupWrite(GroupWrite& write, Connection& conn) {
  try {
    return write.run(write.context, conn);
  } catch (const std::exception& e) {
    log::Error("chat_server::store", "database write failed", {{"error", e.what()}});
    write.commit_error = Error::Database("database write failed");
    return false;
  }
}

}  // namespace

void GroupCommit::Run(GroupWrite& write) {
  std::unique_lock lock(mutex_);
  queue_.push_back(&write);
  changed_.wait(lock, [&] { return write.done || !running_; });
  if (write.done) return;
  // No batch is running: this thread commits every write queued so far, its own included.
  running_ = true;
  std::vector<GroupWrite*> batch;
  batch.swap(queue_);
  lock.unlock();
  {
    std::lock_guard writer(writer_mutex_);
    Commit(batch);
  }
  lock.lock();
  for (auto* w : batch) w->done = true;
  running_ = false;
  lock.unlock();
  changed_.notify_all();
}

bool GroupCommit::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::size_t GroupCommit::waiting() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void GroupCommit::Commit(const std::vector<GroupWrite*>& batch) {
  if (batch.size() > 1 && CommitTogether(batch)) return;
  // Alone, or the batch failed (one write failed, or a deferred foreign key checked at COMMIT):
  // each write runs again in its own transaction, so one bad write cannot fail the others. A
  // write's function only reads and writes through the connection, and what it did was rolled back,
  // so running it again is a fresh attempt.
  for (auto* w : batch) {
    w->commit_error.reset();
    CommitAlone(*w);
  }
}

void GroupCommit::CommitAlone(GroupWrite& write) {
  if (auto r = writer_.Run("BEGIN IMMEDIATE"); !r) {
    write.commit_error = r.error();
    return;
  }
  if (!RunGroupWrite(write, writer_)) {
    (void)writer_.Run("ROLLBACK");
    return;
  }
  if (auto r = writer_.Run("COMMIT"); !r) {
    (void)writer_.Run("ROLLBACK");
    write.commit_error = r.error();
  }
}

bool GroupCommit::CommitTogether(const std::vector<GroupWrite*>& batch) {
  if (auto r = writer_.Run("BEGIN IMMEDIATE"); !r) return false;
  // No SAVEPOINT per write: SQLite 3.40's FTS5 writes its pending index data out as a new
  // segment at every savepoint, so each message of a batch cost a segment (and later merges) of
  // its own. Writes rarely fail here (the services validate first); when one does, the batch is
  // rolled back and Commit() runs each write alone, which leaves the failing one out.
  for (auto* w : batch) {
    if (!RunGroupWrite(*w, writer_)) {
      (void)writer_.Run("ROLLBACK");
      return false;
    }
  }
  if (auto r = writer_.Run("COMMIT"); !r) {
    (void)writer_.Run("ROLLBACK");
    return false;
  }
  return true;
}

}  // namespace chat::store::sqlite
