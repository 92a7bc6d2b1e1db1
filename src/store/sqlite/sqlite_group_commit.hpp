// store/sqlite/sqlite_group_commit.hpp — group commit for the SQLite store's single writer
// connection. Writes that arrive while a transaction runs wait and are then committed together:
// one thread (the first to find no batch running) takes every queued write, runs them one after
// another in one BEGIN IMMEDIATE transaction and commits once. When a write fails, or the batch
// cannot commit as a whole, the batch is rolled back and each write run again in a transaction of
// its own, so one bad write never fails or loses the others. WAL then appends the pages a batch
// touched once instead of once per write, and the writer lock changes hands once per batch.
// Thread-safe; callers block (they run on the database pool, never on an I/O thread).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace chat::store::sqlite {

// One caller's write: `run` executes it on the writer connection inside the batch's transaction
// and says whether it succeeded (the caller keeps its own typed result).
struct GroupWrite {
  bool (*run)(void* context, Connection& conn) = nullptr;
  void* context = nullptr;
  // Set when the write could not be committed (or begun), or threw.
  std::optional<Error> commit_error;
  bool done = false;
};

class GroupCommit {
 public:
  // `writer` is used only under `writer_mutex`, which others (reads of a ":memory:" store) share.
  GroupCommit(Connection& writer, std::mutex& writer_mutex)
      : writer_(writer), writer_mutex_(writer_mutex) {}

  // Runs `write` in a batch; returns once that batch has committed or failed.
  void Run(GroupWrite& write);
  // Whether a batch is being committed, and how many writes wait for it to end (tests use
  // them to build a batch).
  bool running() const;
  std::size_t waiting() const;

 private:
  void Commit(const std::vector<GroupWrite*>& batch);
  // One transaction for the whole batch; false (rolled back) when it failed as a whole.
  bool CommitTogether(const std::vector<GroupWrite*>& batch);
  void CommitAlone(GroupWrite& write);

  Connection& writer_;
  std::mutex& writer_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<GroupWrite*> queue_;  // guarded by mutex_
  bool running_ = false;            // guarded by mutex_: a thread is committing a batch
};

}  // namespace chat::store::sqlite
