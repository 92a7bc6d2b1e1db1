// store/postgres/postgres_store.hpp — the PostgreSQL Store (DATABASE_URL=postgres://…): a pool
// of libpq connections sized by DATABASE_MIN/MAX_CONNECTIONS, prepared statements per
// connection, transactions for multi-statement operations. A connection that dies is dropped
// and the call answers Error::Unavailable; later calls reconnect, so the store recovers by itself
// after a server restart. libpq-fe.h stays in the .cpp files. The returned Store is thread-safe
// (see store/store.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "common/result.hpp"
#include "store/migrator.hpp"
#include "store/store.hpp"

namespace chat::store::postgres {

struct PostgresOptions {
  int min_connections = 1;   // opened at start if the server is reachable
  int max_connections = 10;  // never more open at once
  // libpq's connect_timeout (whole seconds; libpq treats values below 2 as 2).
  std::chrono::seconds connect_timeout{3};
  // How long a call waits for a free connection before answering Error::Unavailable.
  std::chrono::milliseconds acquire_timeout{5000};
  // Server-side limit on each statement (and, doubled, on an idle open transaction).
  std::chrono::milliseconds statement_timeout{30000};
  // Apply pending migrations on open (the server does; `chat-server migrate` opens the backend
  // below instead).
  bool migrate = true;
};

// Connects to `url` (postgres://… or postgresql://…, or a libpq "key=value" string). With
// options.migrate, the server must be reachable (Error::Unavailable otherwise) and a failing
// migration gives Error::Database; without it, an unreachable server is not an error: the
// pool connects on first use.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                               const PostgresOptions& options = {});

// A migration backend over its own connection to `url` (no statement timeout), for
// `chat-server migrate up|down|status` and the migration tests. Error::Unavailable when the
// server cannot be reached.
[[nodiscard]] Result<std::unique_ptr<MigrationBackend>> OpenPostgresMigrationBackend(
    const std::string& url, const PostgresOptions& options = {});

// migrations/postgres/*.sql, embedded at build time, ascending by version.
std::span<const Migration> PostgresMigrations();

}  // namespace chat::store::postgres
