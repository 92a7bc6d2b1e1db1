// RoleStore over SQLite: the roles table. Role deletion also drops the role's channel overwrites
// (member_roles go by ON DELETE CASCADE).
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectRole =
    "SELECT id, server_id, name, permissions, position, color, hoist, mentionable FROM roles ";

domain::Role ReadRole(const Statement& s) {
  domain::Role r;
  r.id = s.Id(0);
  r.guild_id = s.Id(1);
  r.name = s.Text(2);
  r.permissions = static_cast<std::uint64_t>(s.Int(3));
  r.position = static_cast<int>(s.Int(4));
  if (auto color = s.OptInt(5)) r.color = static_cast<std::uint32_t>(*color);
  r.hoist = s.Bool(6);
  r.mentionable = s.Bool(7);
  return r;
}

Result<domain::Role> LoadRole(Connection& conn, domain::Snowflake guild_id,
                              domain::Snowflake role_id) {
  auto stmt = conn.Prepare(std::string(kSelectRole) + "WHERE id = ?1 AND server_id = ?2");
  if (!stmt) return stmt.error();
  stmt->BindId(1, role_id).BindId(2, guild_id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownRole();
  return ReadRole(*stmt);
}

}  // namespace

Result<void> InsertRole(Connection& conn, domain::Snowflake guild_id, const domain::Role& role) {
  auto stmt = conn.Prepare(
      "INSERT INTO roles (id, server_id, name, permissions, position, color, hoist, mentionable) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!stmt) return stmt.error();
  stmt->BindId(1, role.id)
      .BindId(2, guild_id)
      .BindText(3, role.name)
      .BindInt(4, static_cast<std::int64_t>(role.permissions))
      .BindInt(5, role.position)
      .BindOptInt(6, role.color ? std::optional<std::int64_t>(*role.color) : std::nullopt)
      .BindBool(7, role.hoist)
      .BindBool(8, role.mentionable);
  return stmt->Run();
}

Result<std::vector<domain::Role>> LoadRoles(Connection& conn, domain::Snowflake guild_id) {
  auto stmt = conn.Prepare(std::string(kSelectRole) + "WHERE server_id = ?1 ORDER BY position, id");
  if (!stmt) return stmt.error();
  stmt->BindId(1, guild_id);
  std::vector<domain::Role> roles;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return roles;
    roles.push_back(ReadRole(*stmt));
  }
}

Result<void> SqliteStore::CreateRole(const domain::Role& role) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, role.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    return InsertRole(conn, role.guild_id, role);
  });
}

Result<domain::Role> SqliteStore::GetRole(domain::Snowflake guild_id, domain::Snowflake role_id) {
  return Read([&](Connection& conn) { return LoadRole(conn, guild_id, role_id); });
}

Result<std::vector<domain::Role>> SqliteStore::ListRoles(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) { return LoadRoles(conn, guild_id); });
}

Result<domain::Role> SqliteStore::UpdateRole(domain::Snowflake guild_id, domain::Snowflake role_id,
                                             const RoleUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Role> {
    auto stmt = conn.Prepare(
        "UPDATE roles SET "
        "name = CASE WHEN ?3 THEN ?4 ELSE name END, "
        "permissions = CASE WHEN ?5 THEN ?6 ELSE permissions END, "
        "color = CASE WHEN ?7 THEN ?8 ELSE color END, "
        "hoist = CASE WHEN ?9 THEN ?10 ELSE hoist END, "
        "mentionable = CASE WHEN ?11 THEN ?12 ELSE mentionable END, "
        "position = CASE WHEN ?13 THEN ?14 ELSE position END "
        "WHERE id = ?1 AND server_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, role_id).BindId(2, guild_id);
    BindPatchText(*stmt, 3, update.name);
    BindPatchId(*stmt, 5, update.permissions);
    Nullable<std::int64_t> color;
    if (update.color) {
      color = *update.color ? std::optional<std::int64_t>(**update.color) : std::nullopt;
    }
    BindPatchInt(*stmt, 7, color);
    BindPatchBool(*stmt, 9, update.hoist);
    BindPatchBool(*stmt, 11, update.mentionable);
    BindPatchInt(*stmt, 13, update.position);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownRole();
    return LoadRole(conn, guild_id, role_id);
  });
}

Result<void> SqliteStore::DeleteRole(domain::Snowflake guild_id, domain::Snowflake role_id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM roles WHERE id = ?1 AND server_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, role_id).BindId(2, guild_id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownRole();
    auto overwrites = conn.Prepare(
        "DELETE FROM channel_overwrites WHERE target_id = ?1 AND type = 0 AND channel_id IN "
        "(SELECT id FROM channels WHERE server_id = ?2)");
    if (!overwrites) return overwrites.error();
    overwrites->BindId(1, role_id).BindId(2, guild_id);
    return overwrites->Run();
  });
}

Result<std::vector<domain::Role>> SqliteStore::SetRolePositions(
    domain::Snowflake guild_id, std::span<const RolePosition> positions) {
  return Write([&](Connection& conn) -> Result<std::vector<domain::Role>> {
    auto guild = GuildExists(conn, guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    for (const RolePosition& p : positions) {
      auto stmt = conn.Prepare("UPDATE roles SET position = ?3 WHERE id = ?1 AND server_id = ?2");
      if (!stmt) return stmt.error();
      stmt->BindId(1, p.id).BindId(2, guild_id).BindInt(3, p.position);
      if (auto r = stmt->Run(); !r) return r.error();
      if (stmt->Changes() == 0) return UnknownRole();  // rolls back the whole batch
    }
    return LoadRoles(conn, guild_id);
  });
}

}  // namespace chat::store::sqlite
