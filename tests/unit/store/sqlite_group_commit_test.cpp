// GroupCommit: writes that queue behind a running batch are committed together, and one write's
// failure (its own statement, or a deferred foreign key that only COMMIT checks) never loses or
// fails the other writes of its batch.
#include "store/sqlite/sqlite_group_commit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chat::store::sqlite {
namespace {

struct Fixture {
  Fixture() {
    writer = Connection::Open(":memory:", 1000).value();
    EXPECT_TRUE(writer->Exec(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) "
        "DEFERRABLE INITIALLY DEFERRED);"
        "CREATE TABLE note (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE);"
        "INSERT INTO parent (id) VALUES (1);"));
    commit = std::make_unique<GroupCommit>(*writer, writer_mutex);
  }

  // Runs `sql` as one write through the group commit, as SqliteStore::Write does.
  Result<void> Write(const std::string& sql) {
    struct Context {
      Connection& conn;
      const std::string& sql;
      Result<void> result;
    } context{*writer, sql, {}};
    GroupWrite write;
    write.context = &context;
    write.run = [](void* c, Connection& conn) {
      auto& ctx = *static_cast<Context*>(c);
      ctx.result = conn.Exec(ctx.sql);
      return static_cast<bool>(ctx.result);
    };
    commit->Run(write);
    if (write.commit_error) return *write.commit_error;
    return context.result;
  }

  // Runs the first write while the writer is held, so that `rest` queue up behind it and are
  // committed as one batch once it is released. Returns each write's outcome.
  std::vector<bool> Batch(const std::string& first, const std::vector<std::string>& rest) {
    std::vector<bool> ok(rest.size() + 1, false);
    std::vector<std::thread> threads;
    {
      std::unique_lock hold(writer_mutex);
      threads.emplace_back([&] { ok[0] = static_cast<bool>(Write(first)); });
      while (!commit->running()) std::this_thread::yield();  // the first took its batch
      for (std::size_t i = 0; i < rest.size(); ++i) {
        threads.emplace_back([&, i] { ok[i + 1] = static_cast<bool>(Write(rest[i])); });
      }
      while (commit->waiting() != rest.size()) std::this_thread::yield();
    }
    for (auto& t : threads) t.join();
    return ok;
  }

  std::vector<std::string> Notes() {
    std::vector<std::string> out;
    auto stmt = writer->Prepare("SELECT v FROM note ORDER BY id");
    while (stmt && stmt->Step().value()) out.push_back(stmt->Text(0));
    return out;
  }

  std::int64_t Children() {
    auto stmt = writer->Prepare("SELECT count(*) FROM child");
    return stmt && stmt->Step().value() ? stmt->Int(0) : -1;
  }

  std::unique_ptr<Connection> writer;
  std::mutex writer_mutex;
  std::unique_ptr<GroupCommit> commit;
};

TEST(GroupCommit, QueuedWritesAreAllCommitted) {
  Fixture f;
  const auto ok = f.Batch("INSERT INTO note (v) VALUES ('a')",
                          {"INSERT INTO note (v) VALUES ('b')", "INSERT INTO note (v) VALUES ('c')",
                           "INSERT INTO note (v) VALUES ('d')"});
  EXPECT_EQ(ok, (std::vector<bool>{true, true, true, true}));
  auto notes = f.Notes();
  std::sort(notes.begin(), notes.end());
  EXPECT_EQ(notes, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(GroupCommit, AFailingWriteInABatchLeavesNothingAndTheOthersCommit) {
  Fixture f;
  // The second 'a' violates UNIQUE after inserting 'x' in the same write: all of it goes.
  const auto ok = f.Batch("INSERT INTO note (v) VALUES ('a')",
                          {"INSERT INTO note (v) VALUES ('b')",
                           "INSERT INTO note (v) VALUES ('x'); INSERT INTO note (v) VALUES ('a')",
                           "INSERT INTO note (v) VALUES ('d')"});
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true}));
  auto notes = f.Notes();
  std::sort(notes.begin(), notes.end());
  EXPECT_EQ(notes, (std::vector<std::string>{"a", "b", "d"}));
}

TEST(GroupCommit, AWriteThatFailsOnlyAtCommitFailsAloneAndTheOthersCommit) {
  Fixture f;
  // A child of a missing parent passes its statement (the key is deferred) and fails COMMIT.
  const auto ok =
      f.Batch("INSERT INTO note (v) VALUES ('a')",
              {"INSERT INTO child (parent) VALUES (1)", "INSERT INTO child (parent) VALUES (99)",
               "INSERT INTO note (v) VALUES ('d')"});
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true}));
  EXPECT_EQ(f.Children(), 1);
  auto notes = f.Notes();
  std::sort(notes.begin(), notes.end());
  EXPECT_EQ(notes, (std::vector<std::string>{"a", "d"}));
}

TEST(GroupCommit, ManyThreadsWritingAtOnceLoseNothing) {
  Fixture f;
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const auto v = std::to_string(t) + "-" + std::to_string(i);
        if (!f.Write("INSERT INTO note (v) VALUES ('" + v + "')")) ++failures[t];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, std::vector<int>(8, 0));
  EXPECT_EQ(f.Notes().size(), 1600u);
}

}  // namespace
}  // namespace chat::store::sqlite
