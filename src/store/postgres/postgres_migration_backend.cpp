#include "store/postgres/postgres_migration_backend.hpp"

#include <string>

#include "common/log.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store.hpp"

namespace chat::store::postgres {

namespace {

// The advisory lock key of schema migrations: any constant shared by every chat-server node
// ("chat" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x63686174;

}  // namespace

Result<void> PostgresMigrationBackend::EnsureMigrationsTable() {
  // Another node may create it at the same moment; IF NOT EXISTS alone can still race on the
  // catalog, which the advisory lock (taken first by the Migrator) rules out.
  return conn_.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
}

Result<std::vector<AppliedMigration>> PostgresMigrationBackend::ListApplied() {
  auto rows =
      conn_.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  if (!rows) return rows.error();
  std::vector<AppliedMigration> out;
  for (int i = 0; i < rows->size(); ++i) {
    Row row = (*rows)[i];
    out.push_back({static_cast<int>(row.Int(0)), row.Text(1), row.Int(2)});
  }
  return out;
}

Result<void> PostgresMigrationBackend::ApplyUp(const Migration& migration) {
  return Apply(migration, true);
}

Result<void> PostgresMigrationBackend::ApplyDown(const Migration& migration) {
  return Apply(migration, false);
}

Result<void> PostgresMigrationBackend::Apply(const Migration& migration, bool up) {
  auto result = InTransaction(conn_, "BEGIN", [&](Connection& c) -> Result<void> {
    auto recorded = c.Query("SELECT 1 FROM schema_migrations WHERE version = $1",
                            Params().Int(migration.version));
    if (!recorded) return recorded.error();
    // Another process may have got here first; then there is nothing left to do.
    if (up == !recorded->empty()) return {};
    if (auto r = c.Exec(up ? migration.up_sql : migration.down_sql); !r) return r;
    auto record = up ? c.Query(
                           "INSERT INTO schema_migrations (version, name, applied_at) "
                           "VALUES ($1, $2, $3)",
                           Params().Int(migration.version).Text(migration.name).Int(NowMs()))
                     : c.Query("DELETE FROM schema_migrations WHERE version = $1",
                               Params().Int(migration.version));
    if (!record) return record.error();
    return {};
  });
  if (result) {
    log::Info("chat_server::store", up ? "migration applied" : "migration reverted",
              {{"version", migration.version}, {"name", migration.name}});
  }
  return result;
}

Result<std::string> PostgresMigrationBackend::DumpSchema() {
  // Columns, indexes and constraints of the current schema, each in a stable order: enough to
  // tell whether down-then-up rebuilt exactly what up built.
  static constexpr std::string_view kParts[] = {
      "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || "
      "CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || "
      "COALESCE(' DEFAULT ' || column_default, '') "
      "FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' "
      "ORDER BY table_name, ordinal_position",
      "SELECT 'index ' || tablename || '.' || indexname || ': ' || indexdef "
      "FROM pg_indexes "
      "WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' "
      "ORDER BY tablename, indexname",
      "SELECT 'constraint ' || c.conrelid::regclass::text || '.' || c.conname || ': ' || "
      "pg_get_constraintdef(c.oid) "
      "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
      "WHERE n.nspname = current_schema() AND c.conrelid <> 0 "
      "AND c.conrelid::regclass::text <> 'schema_migrations' "
      "ORDER BY c.conrelid::regclass::text, c.conname",
  };
  std::string out;
  for (std::string_view sql : kParts) {
    auto rows = conn_.Query(sql);
    if (!rows) return rows.error();
    for (int i = 0; i < rows->size(); ++i) out += (*rows)[i].Text(0) + "\n";
  }
  return out;
}

Result<void> PostgresMigrationBackend::Lock() {
  auto rows = conn_.Query("SELECT pg_advisory_lock($1)", Params().Int(kMigrationLockKey));
  if (!rows) return rows.error();
  return {};
}

void PostgresMigrationBackend::Unlock() {
  // Losing the connection releases the lock too, so a failure here needs no handling.
  (void)conn_.Query("SELECT pg_advisory_unlock($1)", Params().Int(kMigrationLockKey));
}

Result<std::unique_ptr<MigrationBackend>> OpenPostgresMigrationBackend(
    const std::string& url, const PostgresOptions& options) {
  // No statement timeout: a migration may rebuild a large table, and waiting for another node's
  // migration lock is expected.
  auto conn = Connection::Open(
      {url, options.connect_timeout, std::chrono::milliseconds(0), "chat-server migrate"});
  if (!conn) return conn.error();
  return std::unique_ptr<MigrationBackend>(
      std::make_unique<PostgresMigrationBackend>(std::move(*conn)));
}

}  // namespace chat::store::postgres
