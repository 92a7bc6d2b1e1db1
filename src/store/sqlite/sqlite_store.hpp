// store/sqlite/sqlite_store.hpp — the embedded SQLite Store (DATA_DIR/chat.db, or ":memory:" for
// tests). WAL, foreign keys on, one writer connection behind a mutex and a small pool of reader
// connections, prepared statements cached per connection. sqlite3.h stays in the .cpp files.
// The returned Store is thread-safe (see store/store.hpp).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/result.hpp"
#include "store/migrator.hpp"
#include "store/store.hpp"

namespace chat::store::sqlite {

struct SqliteOptions {
  // Reader connections besides the writer. ":memory:" always uses the writer alone, since each
  // connection to ":memory:" would be a different database.
  int reader_connections = 4;
  int busy_timeout_ms = 5000;
  // Apply pending migrations on open (the server does; `chat-server migrate` opens the backend
  // below instead).
  bool migrate = true;
};

// Opens (creating if needed) the database at `path`. Error::Unavailable if it cannot be opened,
// Error::Database if a migration fails.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                             const SqliteOptions& options = {});

// A migration backend over its own connection to `path`, for `chat-server migrate up|down|status`
// and the migration tests. Use it while no Store has the file open, or expect busy waits.
[[nodiscard]] Result<std::unique_ptr<MigrationBackend>> OpenSqliteMigrationBackend(
    const std::string& path);

// migrations/sqlite/*.sql, embedded at build time, ascending by version.
std::span<const Migration> SqliteMigrations();

}  // namespace chat::store::sqlite
