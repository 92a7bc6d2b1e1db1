// UserStore over SQLite: the users table.
#include <string>

#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kUserColumns =
    "id, username, email, password_hash, display_name, avatar, bot, flags, created_at, verified, "
    "token_version";

domain::User ReadUser(const Statement& s) {
  domain::User u;
  u.id = s.Id(0);
  u.username = s.Text(1);
  u.email = s.Text(2);  // NULL (bots) reads as ""
  u.password_hash = s.Text(3);
  u.display_name = s.OptText(4);
  u.avatar = s.OptText(5);
  u.bot = s.Bool(6);
  u.flags = s.Int(7);
  u.created_at_ms = s.Int(8);
  u.verified = s.Bool(9);
  u.token_version = s.Int(10);
  return u;
}

// Selects one user WHERE <column> = ?1.
Result<domain::User> FindUser(Connection& conn, std::string_view where, std::string_view key,
                              std::optional<domain::Snowflake> id) {
  auto stmt = conn.Prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE " +
                           std::string(where) + " = ?1");
  if (!stmt) return stmt.error();
  if (id) {
    stmt->BindId(1, *id);
  } else {
    stmt->BindText(1, key);
  }
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownUser();
  return ReadUser(*stmt);
}

}  // namespace

Result<domain::User> LoadUser(Connection& conn, domain::Snowflake id) {
  return FindUser(conn, "id", {}, id);
}

Result<void> SqliteStore::CreateUser(const domain::User& user) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare(
        "INSERT INTO users (id, username, email, password_hash, display_name, avatar, bot, flags, "
        "created_at, verified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, user.id).BindText(2, user.username);
    if (user.email.empty()) {
      stmt->BindNull(3);  // bots have no email; NULLs never clash under UNIQUE
    } else {
      stmt->BindText(3, user.email);
    }
    stmt->BindText(4, user.password_hash)
        .BindOptText(5, user.display_name)
        .BindOptText(6, user.avatar)
        .BindBool(7, user.bot)
        .BindInt(8, user.flags)
        .BindInt(9, user.created_at_ms != 0 ? user.created_at_ms : domain::SnowflakeUnixMs(user.id))
        .BindBool(10, user.verified);
    return stmt->Run();
  });
}

Result<domain::User> SqliteStore::GetUser(domain::Snowflake id) {
  return Read([&](Connection& conn) { return LoadUser(conn, id); });
}

Result<domain::User> SqliteStore::GetUserByUsername(std::string_view username) {
  return Read([&](Connection& conn) { return FindUser(conn, "username", username, {}); });
}

Result<domain::User> SqliteStore::GetUserByEmail(std::string_view email) {
  if (email.empty()) return UnknownUser();
  return Read([&](Connection& conn) { return FindUser(conn, "email", email, {}); });
}

Result<domain::User> SqliteStore::GetUserByLogin(std::string_view login) {
  return Read([&](Connection& conn) -> Result<domain::User> {
    auto by_name = FindUser(conn, "username", login, {});
    if (by_name || by_name.error().code != Errc::kNotFound || login.empty()) return by_name;
    return FindUser(conn, "email", login, {});
  });
}

Result<domain::User> SqliteStore::UpdateUser(domain::Snowflake id, const UserUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::User> {
    auto stmt = conn.Prepare(
        "UPDATE users SET "
        "username = CASE WHEN ?2 THEN ?3 ELSE username END, "
        "email = CASE WHEN ?4 THEN ?5 ELSE email END, "
        "display_name = CASE WHEN ?6 THEN ?7 ELSE display_name END, "
        "avatar = CASE WHEN ?8 THEN ?9 ELSE avatar END, "
        "password_hash = CASE WHEN ?10 THEN ?11 ELSE password_hash END, "
        "flags = CASE WHEN ?12 THEN ?13 ELSE flags END, "
        "verified = CASE WHEN ?14 THEN ?15 ELSE verified END "
        "WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    BindPatchText(*stmt, 2, update.username);
    // An emptied email becomes NULL, as on create.
    std::optional<std::string> email = update.email;
    BindPatchText(*stmt, 4, email);
    if (email && email->empty()) stmt->BindNull(5);
    BindPatchText(*stmt, 6, update.display_name);
    BindPatchText(*stmt, 8, update.avatar);
    BindPatchText(*stmt, 10, update.password_hash);
    BindPatchInt(*stmt, 12, update.flags);
    stmt->BindBool(14, update.verified.has_value()).BindBool(15, update.verified.value_or(false));
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownUser();
    return FindUser(conn, "id", {}, id);
  });
}

Result<std::vector<domain::User>> SqliteStore::ListUsers(std::span<const domain::Snowflake> ids) {
  if (ids.empty()) return std::vector<domain::User>{};
  return Read([&](Connection& conn) -> Result<std::vector<domain::User>> {
    // IN collapses duplicates; unknown ids match nothing.
    auto stmt =
        conn.Prepare("SELECT " + std::string(kUserColumns) +
                     " FROM users WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindText(1, JsonIdArray(ids));
    std::vector<domain::User> users;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return users;
      users.push_back(ReadUser(*stmt));
    }
  });
}

}  // namespace chat::store::sqlite
