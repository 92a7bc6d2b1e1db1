// TaskStore over SQLite (store/task_store.hpp): one writer, so a claim is a plain update of the
// due rows in the writer's transaction.
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"
#include "store/task_store.hpp"

namespace chat::store::sqlite {

Result<void> InsertTask(Connection& conn, const NewTask& task) {
  auto stmt = conn.Prepare(
      "INSERT INTO pending_tasks (kind, subject_id, channel_id, due_at, attempts) "
      "VALUES (?1, ?2, ?3, ?4, 1) "
      "ON CONFLICT (kind, subject_id) DO UPDATE SET channel_id = excluded.channel_id, "
      "due_at = excluded.due_at, attempts = 1");
  if (!stmt) return stmt.error();
  stmt->BindInt(1, static_cast<int>(task.key.kind))
      .BindId(2, task.key.subject_id)
      .BindId(3, task.channel_id)
      .BindInt(4, task.due_at_ms);
  return stmt->Run();
}

Result<bool> DeleteTask(Connection& conn, TaskKey key, std::int64_t only_if_due_at_ms) {
  auto stmt = conn.Prepare(
      "DELETE FROM pending_tasks WHERE kind = ?1 AND subject_id = ?2 "
      "AND (?3 = 0 OR due_at = ?3)");
  if (!stmt) return stmt.error();
  stmt->BindInt(1, static_cast<int>(key.kind))
      .BindId(2, key.subject_id)
      .BindInt(3, only_if_due_at_ms);
  if (auto r = stmt->Run(); !r) return r.error();
  return stmt->Changes() > 0;
}

Result<std::vector<PendingTask>> SqliteStore::ClaimDueTasks(std::int64_t now_ms,
                                                            std::int64_t lease_until_ms,
                                                            int limit) {
  return Write([&](Connection& conn) -> Result<std::vector<PendingTask>> {
    auto stmt = conn.Prepare(
        "UPDATE pending_tasks SET due_at = ?2, attempts = attempts + 1 "
        "WHERE rowid IN (SELECT rowid FROM pending_tasks WHERE due_at <= ?1 "
        "ORDER BY due_at LIMIT ?3) "
        "RETURNING kind, subject_id, channel_id, attempts");
    if (!stmt) return stmt.error();
    stmt->BindInt(1, now_ms).BindInt(2, lease_until_ms).BindInt(3, limit);
    std::vector<PendingTask> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      PendingTask task;
      task.key.kind = static_cast<TaskKind>(stmt->Int(0));
      task.key.subject_id = stmt->Id(1);
      task.channel_id = stmt->Id(2);
      task.attempts = static_cast<int>(stmt->Int(3));
      out.push_back(task);
    }
  });
}

Result<bool> SqliteStore::CompleteTask(TaskKey key, std::int64_t only_if_due_at_ms) {
  return Write([&](Connection& conn) { return DeleteTask(conn, key, only_if_due_at_ms); });
}

}  // namespace chat::store::sqlite
