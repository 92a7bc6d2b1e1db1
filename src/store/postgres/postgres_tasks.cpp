// TaskStore over PostgreSQL (store/task_store.hpp). Nodes sweep at once: a claim skips the rows
// another node's claim holds locked, so each due task goes to one of them.
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"
#include "store/task_store.hpp"

namespace chat::store::postgres {

Result<void> InsertTask(Connection& conn, const NewTask& task) {
  auto rows = conn.Query(
      "INSERT INTO pending_tasks (kind, subject_id, channel_id, due_at, attempts) "
      "VALUES ($1, $2, $3, $4, 1) "
      "ON CONFLICT (kind, subject_id) DO UPDATE SET channel_id = excluded.channel_id, "
      "due_at = excluded.due_at, attempts = 1",
      Params()
          .Int(static_cast<int>(task.key.kind))
          .Id(task.key.subject_id)
          .Id(task.channel_id)
          .Int(task.due_at_ms));
  if (!rows) return rows.error();
  return {};
}

Result<bool> DeleteTask(Connection& conn, TaskKey key, std::int64_t only_if_due_at_ms) {
  auto rows = conn.Query(
      "DELETE FROM pending_tasks WHERE kind = $1 AND subject_id = $2 "
      "AND ($3::BIGINT = 0 OR due_at = $3::BIGINT)",
      Params().Int(static_cast<int>(key.kind)).Id(key.subject_id).Int(only_if_due_at_ms));
  if (!rows) return rows.error();
  return rows->Affected() > 0;
}

Result<std::vector<PendingTask>> PostgresStore::ClaimDueTasks(std::int64_t now_ms,
                                                              std::int64_t lease_until_ms,
                                                              int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<PendingTask>> {
    auto rows = conn.Query(
        "UPDATE pending_tasks t SET due_at = $2, attempts = t.attempts + 1 "
        "FROM (SELECT kind, subject_id FROM pending_tasks WHERE due_at <= $1 "
        "ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) due "
        "WHERE t.kind = due.kind AND t.subject_id = due.subject_id "
        "RETURNING t.kind, t.subject_id, t.channel_id, t.attempts",
        Params().Int(now_ms).Int(lease_until_ms).Int(limit));
    if (!rows) return rows.error();
    std::vector<PendingTask> out;
    for (int i = 0; i < rows->size(); ++i) {
      PendingTask task;
      task.key.kind = static_cast<TaskKind>((*rows)[i].Int(0));
      task.key.subject_id = (*rows)[i].Id(1);
      task.channel_id = (*rows)[i].Id(2);
      task.attempts = static_cast<int>((*rows)[i].Int(3));
      out.push_back(task);
    }
    return out;
  });
}

Result<bool> PostgresStore::CompleteTask(TaskKey key, std::int64_t only_if_due_at_ms) {
  return Auto([&](Connection& conn) { return DeleteTask(conn, key, only_if_due_at_ms); });
}

}  // namespace chat::store::postgres
