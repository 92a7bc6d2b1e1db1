// store/sqlite/sqlite_db.hpp — thin RAII layer over the SQLite C API for the SQLite store:
// Connection (one sqlite3 handle with its prepared-statement cache) and Statement (a borrowed,
// reset-on-destruction handle with typed binds and column reads). Errors come back as
// chat::Error; SQL text and SQLite's message go to the log only.
// A Connection is not thread-safe: the store hands each one to a single thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace chat::store::sqlite {

class Connection;

class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL (?1, ?2…). Snowflakes and permissions are stored as
  // int64 (they fit in 63 bits).
  Statement& BindInt(int index, std::int64_t value);
  Statement& BindBool(int index, bool value) { return BindInt(index, value ? 1 : 0); }
  Statement& BindId(int index, domain::Snowflake value);
  Statement& BindText(int index, std::string_view value);
  Statement& BindNull(int index);
  Statement& BindOptText(int index, const std::optional<std::string>& value);
  Statement& BindOptInt(int index, const std::optional<std::int64_t>& value);
  Statement& BindOptId(int index, const std::optional<domain::Snowflake>& value);

  // Advances to the next row: true if there is one, false when done.
  [[nodiscard]] Result<bool> Step();
  // Steps to completion (for statements that return no rows).
  [[nodiscard]] Result<void> Run();
  // Rows changed by the last Run()/Step() of this connection.
  [[nodiscard]] std::int64_t Changes() const;

  [[nodiscard]] bool IsNull(int column) const;
  [[nodiscard]] std::int64_t Int(int column) const;
  [[nodiscard]] domain::Snowflake Id(int column) const;
  [[nodiscard]] bool Bool(int column) const { return Int(column) != 0; }
  [[nodiscard]] std::string Text(int column) const;
  [[nodiscard]] std::optional<std::string> OptText(int column) const;
  [[nodiscard]] std::optional<std::int64_t> OptInt(int column) const;
  [[nodiscard]] std::optional<domain::Snowflake> OptId(int column) const;

 private:
  friend class Connection;
  Statement(Connection* conn, sqlite3_stmt* stmt, bool* in_use, bool owned);

  Connection* conn_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag; null for an uncached statement
  bool owned_;    // finalize on destruction (uncached)
  int bind_rc_ = 0;
};

class Connection {
 public:
  // Opens `path` (":memory:" allowed) with foreign keys on, `busy_timeout_ms`, and, for files,
  // WAL and synchronous=NORMAL. Error::Unavailable if it cannot be opened.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int busy_timeout_ms);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A prepared statement for `sql`, cached by its text. While a previous Statement for the same
  // text is alive, a fresh uncached one is prepared, so nesting is safe.
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  // Runs `sql` (may hold several statements; no parameters): pragmas and migration scripts.
  [[nodiscard]] Result<void> Exec(std::string_view sql);
  // Runs one parameterless statement through the cache (BEGIN, COMMIT, ROLLBACK).
  [[nodiscard]] Result<void> Run(std::string_view sql);

  // Turns SQLite's result code into chat::Error and logs `sql` with SQLite's message.
  [[nodiscard]] Error MakeError(int rc, std::string_view sql) const;

  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement> cache_;
};

// Runs fn(conn) → Result<T> between `begin` ("BEGIN" or "BEGIN IMMEDIATE") and COMMIT, or
// ROLLBACK when fn fails or COMMIT does.
template <class Fn>
auto InTransaction(Connection& conn, std::string_view begin, Fn&& fn) -> decltype(fn(conn)) {
  if (auto r = conn.Run(begin); !r) return r.error();
  auto result = fn(conn);
  if (!result) {
    (void)conn.Run("ROLLBACK");  // the original error is what the caller needs to see
    return result;
  }
  if (auto r = conn.Run("COMMIT"); !r) {
    (void)conn.Run("ROLLBACK");
    return r.error();
  }
  return result;
}

}  // namespace chat::store::sqlite
