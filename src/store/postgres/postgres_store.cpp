#include "store/postgres/postgres_store.hpp"

#include <utility>

#include "store/migrator.hpp"
#include "store/postgres/postgres_migration_backend.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const PostgresOptions& options) {
  if (options.migrate) {
    // Migrations get their own connection without a statement timeout; it closes before the
    // pool opens, so it never counts against max_connections for long.
    auto backend = OpenPostgresMigrationBackend(url, options);
    if (!backend) return backend.error();
    Migrator migrator(**backend, PostgresMigrations());
    auto applied = migrator.Up();
    if (!applied) return applied.error();
  }
  auto pool = std::make_unique<Pool>(
      ConnectSettings{url, options.connect_timeout, options.statement_timeout},
      options.min_connections, options.max_connections, options.acquire_timeout);
  pool->OpenMin();
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool)));
}

PostgresStore::~PostgresStore() = default;

Result<void> PostgresStore::Ping() {
  auto r = Auto([](Connection& conn) -> Result<void> {
    auto rows = conn.Query("SELECT 1");
    if (!rows) return rows.error();
    return {};
  });
  if (!r) return Error::Unavailable("database unavailable");
  return {};
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 const PostgresOptions& options) {
  auto store = PostgresStore::Open(url, options);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace chat::store::postgres
