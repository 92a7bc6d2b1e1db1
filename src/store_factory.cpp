#include "store_factory.hpp"

#include <filesystem>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::store {
namespace {

bool IsPostgres(const config::Settings& s) {
  return s.database_url.rfind("postgres://", 0) == 0 ||
         s.database_url.rfind("postgresql://", 0) == 0;
}

std::string SqlitePath(const config::Settings& s) {
  if (s.database_url.rfind("sqlite://", 0) == 0) return s.database_url.substr(9);
  return (std::filesystem::path(s.data_dir) / "chat.db").string();
}

postgres::PostgresOptions PgOptions(const config::Settings& s, bool migrate) {
  postgres::PostgresOptions o;
  o.min_connections = static_cast<int>(s.database_min_connections);
  o.max_connections = static_cast<int>(s.database_max_connections);
  o.acquire_timeout = s.db_timeout;
  o.migrate = migrate;
  return o;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const config::Settings& settings, bool migrate) {
  if (IsPostgres(settings)) {
    return postgres::OpenPostgresStore(settings.database_url, PgOptions(settings, migrate));
  }
  sqlite::SqliteOptions options;
  options.migrate = migrate;
  options.busy_timeout_ms = static_cast<int>(settings.db_timeout.count());
  // One reader per database thread: a request never waits for another's reader.
  options.reader_connections = static_cast<int>(settings.DatabaseThreads());
  return sqlite::OpenSqliteStore(SqlitePath(settings), options);
}

Result<std::unique_ptr<MigrationBackend>> OpenMigrationBackend(const config::Settings& settings) {
  if (IsPostgres(settings)) {
    return postgres::OpenPostgresMigrationBackend(settings.database_url,
                                                  PgOptions(settings, false));
  }
  return sqlite::OpenSqliteMigrationBackend(SqlitePath(settings));
}

std::span<const Migration> MigrationsFor(const config::Settings& settings) {
  if (IsPostgres(settings)) return postgres::PostgresMigrations();
  return sqlite::SqliteMigrations();
}

std::string DescribeDatabase(const config::Settings& settings) {
  if (!IsPostgres(settings)) return "sqlite:" + SqlitePath(settings);
  // postgres://user:password@host:port/db → postgres://host:port/db
  std::string url = settings.database_url;
  auto scheme_end = url.find("://") + 3;
  auto at = url.find('@', scheme_end);
  if (at != std::string::npos) url.erase(scheme_end, at + 1 - scheme_end);
  auto query = url.find('?');
  if (query != std::string::npos) url.resize(query);
  return url;
}

}  // namespace chat::store
