#include "store/sqlite/sqlite_migration_backend.hpp"

#include <chrono>
#include <string>

#include "common/log.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::store::sqlite {

namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<void> SqliteMigrationBackend::EnsureMigrationsTable() {
  return conn_.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

Result<std::vector<AppliedMigration>> SqliteMigrationBackend::ListApplied() {
  auto stmt =
      conn_.Prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  if (!stmt) return stmt.error();
  std::vector<AppliedMigration> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({static_cast<int>(stmt->Int(0)), stmt->Text(1), stmt->Int(2)});
  }
  return out;
}

Result<void> SqliteMigrationBackend::ApplyUp(const Migration& migration) {
  return RunWithoutForeignKeys(migration, true);
}

Result<void> SqliteMigrationBackend::ApplyDown(const Migration& migration) {
  return RunWithoutForeignKeys(migration, false);
}

Result<void> SqliteMigrationBackend::RunWithoutForeignKeys(const Migration& migration, bool up) {
  // The pragma is a no-op inside a transaction, so it brackets BEGIN … COMMIT.
  if (auto r = conn_.Exec("PRAGMA foreign_keys = OFF"); !r) return r;
  auto result = InTransaction(conn_, "BEGIN IMMEDIATE", [&](Connection& c) -> Result<void> {
    bool present = false;
    {
      // Scoped: an unfinished statement would lock the tables the script may drop.
      auto recorded = c.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
      if (!recorded) return recorded.error();
      recorded->BindInt(1, migration.version);
      auto row = recorded->Step();
      if (!row) return row.error();
      present = *row;
    }
    // Another process may have got here first; then there is nothing left to do.
    if (up == present) return {};
    if (auto r = c.Exec(up ? migration.up_sql : migration.down_sql); !r) return r;
    auto record = up ? c.Prepare(
                           "INSERT INTO schema_migrations (version, name, applied_at) "
                           "VALUES (?1, ?2, ?3)")
                     : c.Prepare("DELETE FROM schema_migrations WHERE version = ?1");
    if (!record) return record.error();
    record->BindInt(1, migration.version);
    if (up) record->BindText(2, migration.name).BindInt(3, NowMs());
    if (auto r = record->Run(); !r) return r;
    auto check = c.Prepare("PRAGMA foreign_key_check");
    if (!check) return check.error();
    auto violation = check->Step();
    if (!violation) return violation.error();
    if (*violation) {
      log::Error("chat_server::store", "migration leaves foreign keys dangling",
                 {{"version", migration.version}, {"table", check->Text(0)}});
      return Error::Database("migration " + std::to_string(migration.version) +
                             " violates foreign keys");
    }
    return {};
  });
  if (auto r = conn_.Exec("PRAGMA foreign_keys = ON"); !r && result) return r;
  if (result) {
    log::Info("chat_server::store", up ? "migration applied" : "migration reverted",
              {{"version", migration.version}, {"name", migration.name}});
  }
  return result;
}

Result<std::string> SqliteMigrationBackend::DumpSchema() {
  auto stmt = conn_.Prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master "
      "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations' "
      "ORDER BY type, name");
  if (!stmt) return stmt.error();
  std::string out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    out +=
        stmt->Text(0) + " " + stmt->Text(1) + " ON " + stmt->Text(2) + ":\n" + stmt->Text(3) + "\n";
  }
  return out;
}

Result<std::unique_ptr<MigrationBackend>> OpenSqliteMigrationBackend(const std::string& path) {
  auto conn = Connection::Open(path, SqliteOptions{}.busy_timeout_ms);
  if (!conn) return conn.error();
  return std::unique_ptr<MigrationBackend>(
      std::make_unique<SqliteMigrationBackend>(std::move(*conn)));
}

}  // namespace chat::store::sqlite
