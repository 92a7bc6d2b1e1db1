#include "store/postgres/postgres_db.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "store/errors.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kLogTarget = "chat_server::store";
constexpr std::size_t kMaxLoggedSql = 300;

std::string_view Field(const PGresult* result, int field) {
  const char* value = result ? PQresultErrorField(result, field) : nullptr;
  return value ? std::string_view(value) : std::string_view();
}

// unique_violation → the conflict a client should read (the same words as the SQLite store).
Error ConflictFrom(std::string_view constraint, std::string_view table) {
  if (constraint == "users_username_key") return UsernameTaken();
  if (constraint == "users_email_key") return EmailTaken();
  if (constraint == "applications_bot_user_id_key") {
    return Error::Conflict("bot user already has an application");
  }
  if (table == "server_members") return Error::Conflict("already a member of this guild");
  static constexpr std::pair<std::string_view, std::string_view> kNouns[] = {
      {"users", "user"},
      {"servers", "guild"},
      {"roles", "role"},
      {"channel_overwrites", "overwrite"},
      {"channel_recipients", "recipient"},
      {"channels", "channel"},
      {"member_roles", "member role"},
      {"messages", "message"},
      {"refresh_tokens", "refresh token"},
      {"applications", "application"},
      {"schema_migrations", "migration"},
  };
  for (const auto& [name, noun] : kNouns) {
    if (table == name) return Error::Conflict(std::string(noun) + " already exists");
  }
  return Error::Conflict("already exists");
}

// foreign_key_violation on insert or update → the missing entity, by the constraint's column.
// The store checks existence first where it must; this keeps a concurrent delete from turning
// into a 500.
Error MissingFrom(std::string_view constraint) {
  auto has = [&](std::string_view what) { return constraint.find(what) != std::string_view::npos; };
  if (has("member_roles_member")) return UnknownMember();
  if (has("member_roles_role")) return UnknownRole();
  if (has("channel_id")) return UnknownChannel();
  if (has("server_id")) return UnknownGuild();
  if (has("message_id")) return UnknownMessage();
  return UnknownUser();  // owner_id, author_id, user_id, bot_user_id
}

// libpq prints notices (IF NOT EXISTS skips, an admin's termination notice) to stderr unless
// told otherwise; they belong in the log.
void LogNotice(void* /*arg*/, const char* message) {
  log::Debug(kLogTarget, "PostgreSQL notice", {{"message", message}});
}

bool IsConnectionError(std::string_view sqlstate) {
  return sqlstate.starts_with("08") ||  // connection_exception
         sqlstate == "57P01" ||         // admin_shutdown (pg_terminate_backend, fast stop)
         sqlstate == "57P02" ||         // crash_shutdown
         sqlstate == "57P03" ||         // cannot_connect_now (starting up, shutting down)
         sqlstate == "25006";           // read_only_sql_transaction: a standby after failover
}

}  // namespace

// ---- Params -------------------------------------------------------------------------------

Params& Params::Int(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Bool(bool value) {
  values_.emplace_back(value ? "t" : "f");
  return *this;
}

Params& Params::Text(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) has_nul_ = true;
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::Null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::OptText(const std::optional<std::string>& value) {
  return value ? Text(*value) : Null();
}

Params& Params::OptInt(const std::optional<std::int64_t>& value) {
  return value ? Int(*value) : Null();
}

Params& Params::OptId(const std::optional<domain::Snowflake>& value) {
  return value ? Id(*value) : Null();
}

Params& Params::IntArray(std::span<const std::int64_t> values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += std::to_string(values[i]);
  }
  literal += '}';
  values_.emplace_back(std::move(literal));
  return *this;
}

Params& Params::IdArray(std::span<const domain::Snowflake> ids) {
  std::vector<std::int64_t> values(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) values[i] = static_cast<std::int64_t>(ids[i]);
  return IntArray(values);
}

// ---- Rows ---------------------------------------------------------------------------------

void Rows::Clear::operator()(pg_result* result) const { PQclear(result); }

Rows::Rows(pg_result* result) : result_(result) {}

int Rows::size() const { return PQntuples(result_.get()); }

std::int64_t Rows::Affected() const {
  const char* text = PQcmdTuples(result_.get());
  std::int64_t n = 0;
  if (text != nullptr) std::from_chars(text, text + std::char_traits<char>::length(text), n);
  return n;
}

bool Row::IsNull(int column) const { return PQgetisnull(rows_.result_.get(), index_, column) != 0; }

std::int64_t Row::Int(int column) const {
  const char* text = PQgetvalue(rows_.result_.get(), index_, column);
  const int length = PQgetlength(rows_.result_.get(), index_, column);
  std::int64_t value = 0;
  std::from_chars(text, text + length, value);  // columns are integer-typed: always parses
  return value;
}

bool Row::Bool(int column) const {
  const char* text = PQgetvalue(rows_.result_.get(), index_, column);
  return text[0] == 't';
}

std::string Row::Text(int column) const {
  return std::string(PQgetvalue(rows_.result_.get(), index_, column),
                     static_cast<std::size_t>(PQgetlength(rows_.result_.get(), index_, column)));
}

std::optional<std::string> Row::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::optional<std::int64_t> Row::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<domain::Snowflake> Row::OptId(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Id(column);
}

std::vector<std::int64_t> Row::IntArray(int column) const {
  std::vector<std::int64_t> out;
  if (IsNull(column)) return out;
  const char* text = PQgetvalue(rows_.result_.get(), index_, column);
  const char* end = text + PQgetlength(rows_.result_.get(), index_, column);
  // Integer arrays print as {1,-2,3}: no quotes, no spaces, no nested braces.
  for (const char* p = text; p < end; ++p) {
    if (*p == '{' || *p == ',' || *p == '}') continue;
    std::int64_t value = 0;
    auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc()) break;
    out.push_back(value);
    p = next - 1;
  }
  return out;
}

std::vector<domain::Snowflake> Row::IdArray(int column) const {
  std::vector<domain::Snowflake> out;
  for (std::int64_t value : IntArray(column)) out.push_back(static_cast<domain::Snowflake>(value));
  return out;
}

// ---- Connection ---------------------------------------------------------------------------

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectSettings& settings) {
  const std::string connect_timeout = std::to_string(settings.connect_timeout.count());
  // Server-side guards: no statement or idle transaction outlives these, so a call never hangs
  // on a lock or a forgotten transaction.
  const std::string options =
      "-c statement_timeout=" + std::to_string(settings.statement_timeout.count()) +
      " -c idle_in_transaction_session_timeout=" +
      std::to_string(settings.statement_timeout.count() * 2);
  // Keywords before "dbname" are defaults the URL may override; expand_dbname parses the URL.
  // Keepalives and tcp_user_timeout notice a server that vanished mid-query, which
  // statement_timeout (enforced by that very server) cannot.
  const std::pair<const char*, const char*> params[] = {
      {"connect_timeout", connect_timeout.c_str()},
      {"options", options.c_str()},
      {"application_name", settings.application_name.c_str()},
      {"keepalives_idle", "10"},
      {"keepalives_interval", "5"},
      {"keepalives_count", "3"},
      {"tcp_user_timeout", "10000"},
      {"client_encoding", "UTF8"},
      {"dbname", settings.url.c_str()},
  };
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (const auto& [key, value] : params) {
    keys.push_back(key);
    values.push_back(value);
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    log::Warn(kLogTarget, "cannot connect to PostgreSQL",
              {{"error", conn ? PQerrorMessage(conn) : "out of memory"}});
    PQfinish(conn);
    return Error::Unavailable("database unavailable");
  }
  PQsetNoticeProcessor(conn, &LogNotice, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::healthy() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::CheckIdle() {
  // An idle connection has nothing to read unless the server spoke on its own: typically a
  // termination notice followed by EOF. Read until the socket is quiet; libpq marks the
  // connection bad when it reaches the EOF. poll() with a zero timeout never blocks.
  for (int i = 0; i < 8 && !broken_; ++i) {
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (fd.fd < 0 || ::poll(&fd, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) == 0) broken_ = true;
  }
  while (PGnotify* notify = PQnotifies(conn_)) PQfreemem(notify);
  if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
  return !broken_;
}

bool Connection::idle_in_no_transaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result<Rows> Connection::Query(std::string_view sql, const Params& params) {
  last_sqlstate_.clear();
  if (params.has_nul()) return Error::Validation("text must not contain NUL characters");
  if (broken_) return Error::Unavailable("database unavailable");

  auto it = prepared_.find(std::string(sql));
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(++statements_prepared_);
    const std::string text(sql);
    PGresult* prepared = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) return MakeError(prepared, sql);
    PQclear(prepared);
    it = prepared_.emplace(text, std::move(name)).first;
  }

  std::vector<const char*> values;
  values.reserve(params.values_.size());
  for (const auto& value : params.values_) values.push_back(value ? value->c_str() : nullptr);
  PGresult* result = PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(),
                                    nullptr, nullptr, /*resultFormat=*/0);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Error error = MakeError(result, sql);
    // The server lost the statement (a pooler in between) or can no longer run its plan (a
    // migration changed a column's type): prepare it afresh next time instead of failing forever.
    if (last_sqlstate_ == "26000" || last_sqlstate_ == "0A000") prepared_.erase(it);
    return error;
  }
  return Rows(result);
}

Result<void> Connection::Exec(std::string_view sql) {
  last_sqlstate_.clear();
  if (broken_) return Error::Unavailable("database unavailable");
  const std::string text(sql);  // PQexec wants NUL termination
  PGresult* result = PQexec(conn_, text.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return MakeError(result, sql);
  PQclear(result);
  return {};
}

Error Connection::MakeError(pg_result* result, std::string_view sql) {
  std::unique_ptr<pg_result, Rows::Clear> owned(result);
  last_sqlstate_ = std::string(Field(result, PG_DIAG_SQLSTATE));
  const std::string_view constraint = Field(result, PG_DIAG_CONSTRAINT_NAME);
  const std::string_view logged_sql = sql.substr(0, kMaxLoggedSql);
  const std::string message = result && *PQresultErrorMessage(result) ? PQresultErrorMessage(result)
                                                                      : PQerrorMessage(conn_);

  if (result == nullptr || PQstatus(conn_) != CONNECTION_OK || IsConnectionError(last_sqlstate_)) {
    broken_ = true;
    log::Warn(kLogTarget, "PostgreSQL connection lost",
              {{"sqlstate", last_sqlstate_}, {"error", message}, {"sql", logged_sql}});
    return Error::Unavailable("database unavailable");
  }
  if (last_sqlstate_ == "23505") {
    log::Debug(kLogTarget, "unique constraint", {{"constraint", constraint}, {"sql", logged_sql}});
    return ConflictFrom(constraint, Field(result, PG_DIAG_TABLE_NAME));
  }
  if (last_sqlstate_ == "23503") {
    log::Debug(kLogTarget, "foreign key constraint",
               {{"constraint", constraint}, {"sql", logged_sql}});
    return MissingFrom(constraint);
  }
  log::Warn(kLogTarget, "PostgreSQL error",
            {{"sqlstate", last_sqlstate_}, {"error", message}, {"sql", logged_sql}});
  if (last_sqlstate_ == "22021" || last_sqlstate_ == "22P05") {
    return Error::Validation("text is not valid UTF-8");
  }
  if (last_sqlstate_ == "57014") return Error::Unavailable("database timed out");
  // insufficient_resources: disk full, out of memory, too many connections.
  if (last_sqlstate_.starts_with("53")) return Error::Unavailable("database unavailable");
  return Error::Database("database error");
}

}  // namespace chat::store::postgres
