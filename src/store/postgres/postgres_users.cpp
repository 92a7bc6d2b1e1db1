// UserStore over PostgreSQL: the users table. Emails compare with lower(… COLLATE "C"), which
// folds ASCII only (SQLite's NOCASE) and matches the users_email_key index.
#include <algorithm>
#include <string>

#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectUser =
    "SELECT id, username, email, password_hash, display_name, avatar, bot, flags, created_at, "
    "verified, token_version FROM users ";

domain::User ReadUser(const Row& r) {
  domain::User u;
  u.id = r.Id(0);
  u.username = r.Text(1);
  u.email = r.Text(2);  // NULL (bots) reads as ""
  u.password_hash = r.Text(3);
  u.display_name = r.OptText(4);
  u.avatar = r.OptText(5);
  u.bot = r.Bool(6);
  u.flags = r.Int(7);
  u.created_at_ms = r.Int(8);
  u.verified = r.Bool(9);
  u.token_version = r.Int(10);
  return u;
}

Result<domain::User> FindUser(Connection& conn, std::string_view where, const Params& params) {
  auto rows = conn.Query(std::string(kSelectUser) + std::string(where), params);
  if (!rows) return rows.error();
  if (rows->empty()) return UnknownUser();
  return ReadUser((*rows)[0]);
}

Result<domain::User> FindByUsername(Connection& conn, std::string_view username) {
  return FindUser(conn, "WHERE username = $1", Params().Text(username));
}

Result<domain::User> FindByEmail(Connection& conn, std::string_view email) {
  return FindUser(conn, "WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\")",
                  Params().Text(email));
}

}  // namespace

Result<domain::User> LoadUser(Connection& conn, domain::Snowflake id) {
  return FindUser(conn, "WHERE id = $1", Params().Id(id));
}

Result<void> PostgresStore::CreateUser(const domain::User& user) {
  return Auto([&](Connection& conn) -> Result<void> {
    Params params;
    params.Id(user.id).Text(user.username);
    if (user.email.empty()) {
      params.Null();  // bots have no email; NULLs never clash under the unique index
    } else {
      params.Text(user.email);
    }
    params.Text(user.password_hash)
        .OptText(user.display_name)
        .OptText(user.avatar)
        .Bool(user.bot)
        .Int(user.flags)
        .Int(user.created_at_ms != 0 ? user.created_at_ms : domain::SnowflakeUnixMs(user.id))
        .Bool(user.verified);
    auto rows = conn.Query(
        "INSERT INTO users (id, username, email, password_hash, display_name, avatar, bot, flags, "
        "created_at, verified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        params);
    if (!rows) return rows.error();
    return {};
  });
}

Result<domain::User> PostgresStore::GetUser(domain::Snowflake id) {
  return Auto([&](Connection& conn) { return LoadUser(conn, id); });
}

Result<domain::User> PostgresStore::GetUserByUsername(std::string_view username) {
  return Auto([&](Connection& conn) { return FindByUsername(conn, username); });
}

Result<domain::User> PostgresStore::GetUserByEmail(std::string_view email) {
  if (email.empty()) return UnknownUser();
  return Auto([&](Connection& conn) { return FindByEmail(conn, email); });
}

Result<domain::User> PostgresStore::GetUserByLogin(std::string_view login) {
  return Auto([&](Connection& conn) -> Result<domain::User> {
    // One statement: the username match wins over an email match, as in two lookups.
    auto rows = conn.Query(std::string(kSelectUser) +
                               "WHERE username = $1 OR ($1 <> '' AND "
                               "lower(email COLLATE \"C\") = lower($1 COLLATE \"C\")) "
                               "ORDER BY (username = $1) DESC LIMIT 1",
                           Params().Text(login));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownUser();
    return ReadUser((*rows)[0]);
  });
}

Result<domain::User> PostgresStore::UpdateUser(domain::Snowflake id, const UserUpdate& update) {
  return Auto([&](Connection& conn) -> Result<domain::User> {
    Params params;
    params.Id(id);
    PatchText(params, update.username);
    // An emptied email becomes NULL, as on create.
    std::optional<std::string> email = update.email;
    params.Bool(email.has_value());
    if (email && !email->empty()) {
      params.Text(*email);
    } else {
      params.Null();
    }
    PatchText(params, update.display_name);
    PatchText(params, update.avatar);
    PatchText(params, update.password_hash);
    PatchInt(params, update.flags);
    params.Bool(update.verified.has_value()).Bool(update.verified.value_or(false));
    auto rows = conn.Query(
        "UPDATE users SET "
        "username = CASE WHEN $2 THEN $3 ELSE username END, "
        "email = CASE WHEN $4 THEN $5 ELSE email END, "
        "display_name = CASE WHEN $6 THEN $7 ELSE display_name END, "
        "avatar = CASE WHEN $8 THEN $9 ELSE avatar END, "
        "password_hash = CASE WHEN $10 THEN $11 ELSE password_hash END, "
        "flags = CASE WHEN $12 THEN $13 ELSE flags END, "
        "verified = CASE WHEN $14 THEN $15 ELSE verified END "
        "WHERE id = $1 "
        "RETURNING id, username, email, password_hash, display_name, avatar, bot, flags, "
        "created_at, verified, token_version",
        params);
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownUser();
    return ReadUser((*rows)[0]);
  });
}

Result<std::vector<domain::User>> PostgresStore::ListUsers(std::span<const domain::Snowflake> ids) {
  if (ids.empty()) return std::vector<domain::User>();
  return Auto([&](Connection& conn) -> Result<std::vector<domain::User>> {
    // ANY() already ignores duplicates and unknown ids.
    auto rows = conn.Query(std::string(kSelectUser) + "WHERE id = ANY($1::bigint[]) ORDER BY id",
                           Params().IdArray(ids));
    if (!rows) return rows.error();
    std::vector<domain::User> users;
    users.reserve(rows->size());
    for (int i = 0; i < rows->size(); ++i) users.push_back(ReadUser((*rows)[i]));
    return users;
  });
}

}  // namespace chat::store::postgres
