#include "store/sqlite/sqlite_db.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "common/log.hpp"
#include "store/errors.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kLogTarget = "chat_server::store";
constexpr std::size_t kMaxLoggedSql = 300;

// "UNIQUE constraint failed: users.username" → the conflict a client should read.
Error ConflictFrom(std::string_view sqlite_message) {
  auto has = [&](std::string_view what) {
    return sqlite_message.find(what) != std::string_view::npos;
  };
  if (has("users.username")) return UsernameTaken();
  if (has("users.email")) return EmailTaken();
  if (has("applications.bot_user_id"))
    return Error::Conflict("bot user already has an application");
  if (has("server_members.")) return Error::Conflict("already a member of this guild");
  static constexpr std::pair<std::string_view, std::string_view> kNouns[] = {
      {"users.", "user"},
      {"servers.", "guild"},
      {"roles.", "role"},
      {"channel_overwrites.", "overwrite"},
      {"channel_recipients.", "recipient"},
      {"channels.", "channel"},
      {"member_roles.", "member role"},
      {"messages.", "message"},
      {"refresh_tokens.", "refresh token"},
      {"applications.", "application"},
      {"schema_migrations.", "migration"},
  };
  for (const auto& [table, noun] : kNouns) {
    if (has(table)) return Error::Conflict(std::string(noun) + " already exists");
  }
  return Error::Conflict("already exists");
}

}  // namespace

// ---- Statement ----------------------------------------------------------------------------

Statement::Statement(Connection* conn, sqlite3_stmt* stmt, bool* in_use, bool owned)
    : conn_(conn), stmt_(stmt), in_use_(in_use), owned_(owned) {}

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(other.owned_),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (owned_) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_ != nullptr) *in_use_ = false;
}

Statement& Statement::BindInt(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindId(int index, domain::Snowflake value) {
  return BindInt(index, static_cast<std::int64_t>(value));
}

Statement& Statement::BindText(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: the caller's buffer may not outlive the step.
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindOptText(int index, const std::optional<std::string>& value) {
  return value ? BindText(index, *value) : BindNull(index);
}

Statement& Statement::BindOptInt(int index, const std::optional<std::int64_t>& value) {
  return value ? BindInt(index, *value) : BindNull(index);
}

Statement& Statement::BindOptId(int index, const std::optional<domain::Snowflake>& value) {
  return value ? BindId(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return conn_->MakeError(bind_rc_, sqlite3_sql(stmt_));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return conn_->MakeError(rc, sqlite3_sql(stmt_));
}

Result<void> Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

std::int64_t Statement::Changes() const { return sqlite3_changes64(conn_->handle()); }

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

domain::Snowflake Statement::Id(int column) const {
  return static_cast<domain::Snowflake>(sqlite3_column_int64(stmt_, column));
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::optional<std::int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<domain::Snowflake> Statement::OptId(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Id(column);
}

// ---- Connection ---------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  // NOMUTEX: the store gives each connection to one thread at a time, so SQLite's own
  // per-connection mutex would be pure overhead.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    log::Error(kLogTarget, "cannot open SQLite database",
               {{"path", path}, {"error", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)}});
    sqlite3_close(db);
    return Error::Unavailable("database unavailable");
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  if (auto r = conn->Exec("PRAGMA foreign_keys = ON"); !r) return r.error();
  if (path != ":memory:" && !path.empty()) {
    if (auto r = conn->Exec("PRAGMA journal_mode = WAL"); !r) return r.error();
    if (auto r = conn->Exec("PRAGMA synchronous = NORMAL"); !r) return r.error();
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second.in_use, false);
  }
  sqlite3_stmt* stmt = nullptr;
  const unsigned flags = it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr);
  if (rc != SQLITE_OK) return MakeError(rc, sql);
  if (it != cache_.end()) return Statement(this, stmt, nullptr, true);  // nested use
  auto [slot, inserted] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
  return Statement(this, stmt, &slot->second.in_use, false);
}

Result<void> Connection::Exec(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants NUL termination
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return MakeError(rc, sql);
  return {};
}

Result<void> Connection::Run(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->Run();
}

Error Connection::MakeError(int rc, std::string_view sql) const {
  const std::string_view message = sqlite3_errmsg(db_);
  const std::string_view logged_sql = sql.substr(0, kMaxLoggedSql);
  const int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    log::Debug(kLogTarget, "unique constraint", {{"error", message}, {"sql", logged_sql}});
    return ConflictFrom(message);
  }
  log::Error(kLogTarget, "SQLite error", {{"code", rc}, {"error", message}, {"sql", logged_sql}});
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return Error::Unavailable("database unavailable");
    default:
      return Error::Database("database error");
  }
}

}  // namespace chat::store::sqlite
