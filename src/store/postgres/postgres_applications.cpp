// ApplicationStore over PostgreSQL: the applications table.
#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectApplication =
    "SELECT id, name, description, icon, owner_id, bot_user_id, bot_token_hash, bot_public, "
    "flags, created_at FROM applications ";

Application ReadApplication(const Row& r) {
  Application a;
  a.id = r.Id(0);
  a.name = r.Text(1);
  a.description = r.Text(2);
  a.icon = r.OptText(3);
  a.owner_id = r.Id(4);
  a.bot_user_id = r.OptId(5);
  a.bot_token_hash = r.Text(6);
  a.bot_public = r.Bool(7);
  a.flags = r.Int(8);
  a.created_at_ms = r.Int(9);
  return a;
}

Result<std::vector<Application>> FindApplications(Connection& conn, std::string_view where,
                                                  domain::Snowflake key) {
  auto rows = conn.Query(std::string(kSelectApplication) + std::string(where), Params().Id(key));
  if (!rows) return rows.error();
  std::vector<Application> apps;
  apps.reserve(rows->size());
  for (int i = 0; i < rows->size(); ++i) apps.push_back(ReadApplication((*rows)[i]));
  return apps;
}

Result<Application> FindApplication(Connection& conn, std::string_view where,
                                    domain::Snowflake key) {
  auto apps = FindApplications(conn, where, key);
  if (!apps) return apps.error();
  if (apps->empty()) return UnknownApplication();
  return std::move(apps->front());
}

}  // namespace

Result<void> PostgresStore::CreateApplication(const Application& app) {
  return Auto([&](Connection& conn) -> Result<void> {
    // Both users in one round trip; the owner is reported first, as the SQLite store does.
    auto users = conn.Query(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1), "
        "$2::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $2)",
        Params().Id(app.owner_id).OptId(app.bot_user_id));
    if (!users) return users.error();
    if (!(*users)[0].Bool(0) || !(*users)[0].Bool(1)) return UnknownUser();
    auto rows = conn.Query(
        "INSERT INTO applications (id, name, description, icon, owner_id, bot_user_id, "
        "bot_token_hash, bot_public, flags, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        Params()
            .Id(app.id)
            .Text(app.name)
            .Text(app.description)
            .OptText(app.icon)
            .Id(app.owner_id)
            .OptId(app.bot_user_id)
            .Text(app.bot_token_hash)
            .Bool(app.bot_public)
            .Int(app.flags)
            .Int(app.created_at_ms != 0 ? app.created_at_ms : domain::SnowflakeUnixMs(app.id)));
    if (!rows) return rows.error();
    return {};
  });
}

Result<Application> PostgresStore::GetApplication(domain::Snowflake id) {
  return Auto([&](Connection& conn) { return FindApplication(conn, "WHERE id = $1", id); });
}

Result<Application> PostgresStore::GetApplicationByBotUser(domain::Snowflake bot_user_id) {
  return Auto([&](Connection& conn) {
    return FindApplication(conn, "WHERE bot_user_id = $1", bot_user_id);
  });
}

Result<std::vector<Application>> PostgresStore::ListApplicationsByOwner(
    domain::Snowflake owner_id) {
  return Auto([&](Connection& conn) {
    return FindApplications(conn, "WHERE owner_id = $1 ORDER BY id", owner_id);
  });
}

Result<void> PostgresStore::UpdateBotTokenHash(domain::Snowflake app_id,
                                               std::string_view token_hash) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("UPDATE applications SET bot_token_hash = $2 WHERE id = $1",
                           Params().Id(app_id).Text(token_hash));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownApplication();
    return {};
  });
}

}  // namespace chat::store::postgres
