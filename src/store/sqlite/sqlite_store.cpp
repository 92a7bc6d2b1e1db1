#include "store/sqlite/sqlite_store.hpp"

#include <utility>

#include "common/log.hpp"
#include "store/migrator.hpp"
#include "store/sqlite/sqlite_migration_backend.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  auto writer = Connection::Open(path, options.busy_timeout_ms);
  if (!writer) return writer.error();
  store->writer_ = std::move(*writer);
  store->group_commit_ = std::make_unique<GroupCommit>(*store->writer_, store->writer_mutex_);

  if (options.migrate) {
    SqliteMigrationBackend backend(*store->writer_);
    Migrator migrator(backend, SqliteMigrations());
    auto applied = migrator.Up();
    if (!applied) return applied.error();
  }

  // Every connection to ":memory:" (or "") is a separate, private database, so those keep the
  // writer alone; a file gets its reader pool, which WAL lets run beside the writer.
  const bool private_db = path.empty() || path == ":memory:";
  if (!private_db) {
    for (int i = 0; i < options.reader_connections; ++i) {
      auto reader = Connection::Open(path, options.busy_timeout_ms);
      if (!reader) return reader.error();
      if (auto r = (*reader)->Exec("PRAGMA query_only = ON"); !r) return r.error();
      store->free_readers_.push_back(reader->get());
      store->readers_.push_back(std::move(*reader));
    }
  }
  return store;
}

SqliteStore::~SqliteStore() = default;

Connection* SqliteStore::AcquireReader() {
  std::unique_lock lock(pool_mutex_);
  pool_cv_.wait(lock, [&] { return !free_readers_.empty(); });
  Connection* conn = free_readers_.back();
  free_readers_.pop_back();
  return conn;
}

void SqliteStore::ReleaseReader(Connection* conn) {
  {
    std::lock_guard lock(pool_mutex_);
    free_readers_.push_back(conn);
  }
  pool_cv_.notify_one();
}

Result<void> SqliteStore::Ping() {
  auto r = Read([](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("SELECT 1");
    if (!stmt) return stmt.error();
    auto row = stmt->Step();
    if (!row) return row.error();
    return {};
  });
  if (!r) return Error::Unavailable("database unavailable");
  return {};
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  auto store = SqliteStore::Open(path, options);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace chat::store::sqlite
