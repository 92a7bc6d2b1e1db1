// store/postgres/postgres_db.hpp — thin RAII layer over libpq for the PostgreSQL store: Params
// (text parameters $1, $2…), Rows (an owned PGresult with typed column reads) and Connection
// (one PGconn with its prepared statements). Errors come back as chat::Error; SQL text and the
// server's message go to the log only. libpq-fe.h stays in the .cpp files.
// A Connection is not thread-safe: the pool hands each one to a single thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

struct pg_conn;
struct pg_result;

namespace chat::store::postgres {

// Text-format parameters for one statement, in $n order. Snowflakes and permissions travel as
// int64 (they fit in 63 bits).
class Params {
 public:
  Params& Int(std::int64_t value);
  Params& Id(domain::Snowflake value) { return Int(static_cast<std::int64_t>(value)); }
  Params& Bool(bool value);
  // TEXT cannot hold a NUL byte: a value with one makes the statement fail with Validation
  // before it reaches the server.
  Params& Text(std::string_view value);
  Params& Null();
  Params& OptText(const std::optional<std::string>& value);
  Params& OptInt(const std::optional<std::int64_t>& value);
  Params& OptId(const std::optional<domain::Snowflake>& value);
  // An array literal ("{1,2,3}") for `= ANY($n::bigint[])` or `unnest($n::integer[])`.
  Params& IntArray(std::span<const std::int64_t> values);
  Params& IdArray(std::span<const domain::Snowflake> ids);

  int size() const { return static_cast<int>(values_.size()); }
  bool has_nul() const { return has_nul_; }

 private:
  friend class Connection;
  std::vector<std::optional<std::string>> values_;
  bool has_nul_ = false;
};

class Rows;

// One row of a Rows; columns are 0-based.
class Row {
 public:
  Row(const Rows& rows, int index) : rows_(rows), index_(index) {}
  bool IsNull(int column) const;
  std::int64_t Int(int column) const;
  domain::Snowflake Id(int column) const { return static_cast<domain::Snowflake>(Int(column)); }
  bool Bool(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptText(int column) const;
  std::optional<std::int64_t> OptInt(int column) const;
  std::optional<domain::Snowflake> OptId(int column) const;
  // A bigint[] column ("{1,2,3}"); NULL reads as empty.
  std::vector<std::int64_t> IntArray(int column) const;
  std::vector<domain::Snowflake> IdArray(int column) const;

 private:
  const Rows& rows_;
  int index_;
};

// The result of a successful statement.
class Rows {
 public:
  explicit Rows(pg_result* result);
  Rows(Rows&&) noexcept = default;
  Rows& operator=(Rows&&) noexcept = default;

  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int index) const { return Row(*this, index); }
  // Rows inserted, updated or deleted by the statement.
  std::int64_t Affected() const;

  // Frees a PGresult (for owners other than Rows too).
  struct Clear {
    void operator()(pg_result* result) const;
  };

 private:
  friend class Row;
  std::unique_ptr<pg_result, Clear> result_;
};

struct ConnectSettings {
  std::string url;  // postgres://… URI or "key=value" conninfo
  std::chrono::seconds connect_timeout{3};
  std::chrono::milliseconds statement_timeout{30000};  // 0: none
  std::string application_name = "chat-server";        // shown in pg_stat_activity
};

class Connection {
 public:
  // Connects; Error::Unavailable when the server cannot be reached or refuses us.
  static Result<std::unique_ptr<Connection>> Open(const ConnectSettings& settings);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs `sql` (one statement, $n placeholders) as a prepared statement, preparing it on this
  // connection the first time it is seen.
  [[nodiscard]] Result<Rows> Query(std::string_view sql, const Params& params = {});
  // Runs `sql` through the simple protocol: may hold several statements, takes no parameters.
  // For transaction control and migration scripts only.
  [[nodiscard]] Result<void> Exec(std::string_view sql);

  // False once the connection is known dead (the server went away, or a query failed with a
  // connection error); the pool then drops it instead of reusing it.
  bool healthy() const;
  // Reads what the server sent while the connection sat idle (a termination notice, EOF) so
  // that a dead connection is noticed before a query is sent on it. Never blocks.
  bool CheckIdle();
  // True outside any transaction block (what the pool requires of a returned connection).
  bool idle_in_no_transaction() const;

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  // Turns a failed result (or none) into chat::Error and logs `sql` with the server's message.
  Error MakeError(pg_result* result, std::string_view sql);

  pg_conn* conn_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text → statement name
  int statements_prepared_ = 0;                            // names are never reused
  std::string last_sqlstate_;  // of the last failed statement, set by MakeError
};

// Runs fn(conn) between `begin` and COMMIT (ROLLBACK when fn fails) on `conn`.
template <class Fn>
auto InTransaction(Connection& conn, std::string_view begin, Fn&& fn) -> decltype(fn(conn)) {
  if (auto r = conn.Exec(begin); !r) return r.error();
  auto result = fn(conn);
  if (!result) {
    (void)conn.Exec("ROLLBACK");  // the original error is what the caller needs to see
    return result;
  }
  if (auto r = conn.Exec("COMMIT"); !r) {
    (void)conn.Exec("ROLLBACK");
    return r.error();
  }
  return result;
}

}  // namespace chat::store::postgres
