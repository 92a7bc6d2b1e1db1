// RoleStore over PostgreSQL: the roles table. Role deletion also drops the role's channel
// overwrites (member_roles go by ON DELETE CASCADE).
#include <unordered_map>

#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kRoleColumns =
    "id, server_id, name, permissions, position, color, hoist, mentionable ";

domain::Role ReadRole(const Row& r) {
  domain::Role role;
  role.id = r.Id(0);
  role.guild_id = r.Id(1);
  role.name = r.Text(2);
  role.permissions = static_cast<std::uint64_t>(r.Int(3));
  role.position = static_cast<int>(r.Int(4));
  if (auto color = r.OptInt(5)) role.color = static_cast<std::uint32_t>(*color);
  role.hoist = r.Bool(6);
  role.mentionable = r.Bool(7);
  return role;
}

Result<domain::Role> LoadRole(Connection& conn, domain::Snowflake guild_id,
                              domain::Snowflake role_id) {
  auto rows = conn.Query(
      "SELECT " + std::string(kRoleColumns) + "FROM roles WHERE id = $1 AND server_id = $2",
      Params().Id(role_id).Id(guild_id));
  if (!rows) return rows.error();
  if (rows->empty()) return UnknownRole();
  return ReadRole((*rows)[0]);
}

}  // namespace

Result<void> InsertRole(Connection& conn, domain::Snowflake guild_id, const domain::Role& role) {
  auto rows = conn.Query(
      "INSERT INTO roles (id, server_id, name, permissions, position, color, hoist, mentionable) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      Params()
          .Id(role.id)
          .Id(guild_id)
          .Text(role.name)
          .Int(static_cast<std::int64_t>(role.permissions))
          .Int(role.position)
          .OptInt(role.color ? std::optional<std::int64_t>(*role.color) : std::nullopt)
          .Bool(role.hoist)
          .Bool(role.mentionable));
  if (!rows) return rows.error();
  return {};
}

Result<std::vector<domain::Role>> LoadRoles(Connection& conn, domain::Snowflake guild_id) {
  auto rows = conn.Query("SELECT " + std::string(kRoleColumns) +
                             "FROM roles WHERE server_id = $1 ORDER BY position, id",
                         Params().Id(guild_id));
  if (!rows) return rows.error();
  std::vector<domain::Role> roles;
  roles.reserve(rows->size());
  for (int i = 0; i < rows->size(); ++i) roles.push_back(ReadRole((*rows)[i]));
  return roles;
}

Result<void> PostgresStore::CreateRole(const domain::Role& role) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, role.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    return InsertRole(conn, role.guild_id, role);
  });
}

Result<domain::Role> PostgresStore::GetRole(domain::Snowflake guild_id, domain::Snowflake role_id) {
  return Auto([&](Connection& conn) { return LoadRole(conn, guild_id, role_id); });
}

Result<std::vector<domain::Role>> PostgresStore::ListRoles(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) { return LoadRoles(conn, guild_id); });
}

Result<domain::Role> PostgresStore::UpdateRole(domain::Snowflake guild_id,
                                               domain::Snowflake role_id,
                                               const RoleUpdate& update) {
  return Auto([&](Connection& conn) -> Result<domain::Role> {
    Params params;
    params.Id(role_id).Id(guild_id);
    PatchText(params, update.name);
    PatchInt(params, update.permissions);
    PatchNullableInt(params, update.color);
    PatchBool(params, update.hoist);
    PatchBool(params, update.mentionable);
    PatchInt(params, update.position);
    auto rows = conn.Query(
        "UPDATE roles SET "
        "name = CASE WHEN $3 THEN $4 ELSE name END, "
        "permissions = CASE WHEN $5 THEN $6 ELSE permissions END, "
        "color = CASE WHEN $7 THEN $8 ELSE color END, "
        "hoist = CASE WHEN $9 THEN $10 ELSE hoist END, "
        "mentionable = CASE WHEN $11 THEN $12 ELSE mentionable END, "
        "position = CASE WHEN $13 THEN $14 ELSE position END "
        "WHERE id = $1 AND server_id = $2 RETURNING " +
            std::string(kRoleColumns),
        params);
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownRole();
    return ReadRole((*rows)[0]);
  });
}

Result<void> PostgresStore::DeleteRole(domain::Snowflake guild_id, domain::Snowflake role_id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM roles WHERE id = $1 AND server_id = $2",
                           Params().Id(role_id).Id(guild_id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownRole();
    auto overwrites = conn.Query(
        "DELETE FROM channel_overwrites WHERE target_id = $1 AND type = 0 AND channel_id IN "
        "(SELECT id FROM channels WHERE server_id = $2)",
        Params().Id(role_id).Id(guild_id));
    if (!overwrites) return overwrites.error();
    return {};
  });
}

Result<std::vector<domain::Role>> PostgresStore::SetRolePositions(
    domain::Snowflake guild_id, std::span<const RolePosition> positions) {
  // One UPDATE for the batch. With a repeated id the last position wins, as when applying the
  // list in order.
  std::unordered_map<domain::Snowflake, int> last;
  for (const RolePosition& p : positions) last[p.id] = p.position;
  std::vector<domain::Snowflake> ids;
  std::vector<std::int64_t> values;
  for (const auto& [id, position] : last) {
    ids.push_back(id);
    values.push_back(position);
  }
  return Write([&](Connection& conn) -> Result<std::vector<domain::Role>> {
    auto guild = GuildExists(conn, guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    auto rows = conn.Query(
        "UPDATE roles r SET position = v.position "
        "FROM unnest($2::bigint[], $3::integer[]) AS v (id, position) "
        "WHERE r.id = v.id AND r.server_id = $1",
        Params().Id(guild_id).IdArray(ids).IntArray(values));
    if (!rows) return rows.error();
    // Fewer rows than ids: one is not a role of this guild; the rollback undoes the rest.
    if (rows->Affected() != static_cast<std::int64_t>(ids.size())) return UnknownRole();
    return LoadRoles(conn, guild_id);
  });
}

}  // namespace chat::store::postgres
