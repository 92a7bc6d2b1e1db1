// ApplicationStore over SQLite: the applications table.
#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectApplication =
    "SELECT id, name, description, icon, owner_id, bot_user_id, bot_token_hash, bot_public, "
    "flags, created_at FROM applications ";

Application ReadApplication(const Statement& s) {
  Application a;
  a.id = s.Id(0);
  a.name = s.Text(1);
  a.description = s.Text(2);
  a.icon = s.OptText(3);
  a.owner_id = s.Id(4);
  a.bot_user_id = s.OptId(5);
  a.bot_token_hash = s.Text(6);
  a.bot_public = s.Bool(7);
  a.flags = s.Int(8);
  a.created_at_ms = s.Int(9);
  return a;
}

Result<Application> FindApplication(Connection& conn, std::string_view where,
                                    domain::Snowflake key) {
  auto stmt = conn.Prepare(std::string(kSelectApplication) + std::string(where));
  if (!stmt) return stmt.error();
  stmt->BindId(1, key);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownApplication();
  return ReadApplication(*stmt);
}

}  // namespace

Result<void> SqliteStore::CreateApplication(const Application& app) {
  return Write([&](Connection& conn) -> Result<void> {
    for (auto user_id : {std::optional<domain::Snowflake>(app.owner_id), app.bot_user_id}) {
      if (!user_id) continue;
      auto exists = UserExists(conn, *user_id);
      if (!exists) return exists.error();
      if (!*exists) return UnknownUser();
    }
    auto stmt = conn.Prepare(
        "INSERT INTO applications (id, name, description, icon, owner_id, bot_user_id, "
        "bot_token_hash, bot_public, flags, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, app.id)
        .BindText(2, app.name)
        .BindText(3, app.description)
        .BindOptText(4, app.icon)
        .BindId(5, app.owner_id)
        .BindOptId(6, app.bot_user_id)
        .BindText(7, app.bot_token_hash)
        .BindBool(8, app.bot_public)
        .BindInt(9, app.flags)
        .BindInt(10, app.created_at_ms != 0 ? app.created_at_ms : domain::SnowflakeUnixMs(app.id));
    return stmt->Run();
  });
}

Result<Application> SqliteStore::GetApplication(domain::Snowflake id) {
  return Read([&](Connection& conn) { return FindApplication(conn, "WHERE id = ?1", id); });
}

Result<Application> SqliteStore::GetApplicationByBotUser(domain::Snowflake bot_user_id) {
  return Read([&](Connection& conn) {
    return FindApplication(conn, "WHERE bot_user_id = ?1", bot_user_id);
  });
}

Result<std::vector<Application>> SqliteStore::ListApplicationsByOwner(domain::Snowflake owner_id) {
  return Read([&](Connection& conn) -> Result<std::vector<Application>> {
    auto stmt = conn.Prepare(std::string(kSelectApplication) + "WHERE owner_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, owner_id);
    std::vector<Application> apps;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return apps;
      apps.push_back(ReadApplication(*stmt));
    }
  });
}

Result<void> SqliteStore::UpdateBotTokenHash(domain::Snowflake app_id,
                                             std::string_view token_hash) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("UPDATE applications SET bot_token_hash = ?2 WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, app_id).BindText(2, token_hash);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownApplication();
    return {};
  });
}

}  // namespace chat::store::sqlite
