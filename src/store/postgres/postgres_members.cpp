// MemberStore over PostgreSQL: server_members and member_roles. A member is read in one
// statement, with its role ids as an array. The @everyone role (id == guild id) is implicit and
// never stored as a member role.
#include <algorithm>
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectMember =
    "SELECT m.server_id, m.user_id, m.nickname, m.joined_at, m.communication_disabled_until, "
    "ARRAY(SELECT r.role_id FROM member_roles r "
    "WHERE r.server_id = m.server_id AND r.user_id = m.user_id ORDER BY r.role_id) "
    "FROM server_members m ";

domain::Member ReadMember(const Row& r) {
  domain::Member m;
  m.guild_id = r.Id(0);
  m.user_id = r.Id(1);
  m.nickname = r.OptText(2);
  m.joined_at_ms = r.Int(3);
  m.communication_disabled_until_ms = r.OptInt(4);
  m.role_ids = r.IdArray(5);
  return m;
}

Result<std::vector<domain::Member>> FindMembers(Connection& conn, std::string_view where,
                                                const Params& params) {
  auto rows = conn.Query(std::string(kSelectMember) + std::string(where), params);
  if (!rows) return rows.error();
  std::vector<domain::Member> members;
  members.reserve(rows->size());
  for (int i = 0; i < rows->size(); ++i) members.push_back(ReadMember((*rows)[i]));
  return members;
}

Result<bool> MemberExists(Connection& conn, domain::Snowflake guild_id, domain::Snowflake user_id) {
  return RowExists(conn, "SELECT 1 FROM server_members WHERE server_id = $1 AND user_id = $2",
                   Params().Id(guild_id).Id(user_id));
}

Result<void> RequireMember(Connection& conn, domain::Snowflake guild_id,
                           domain::Snowflake user_id) {
  auto exists = MemberExists(conn, guild_id, user_id);
  if (!exists) return exists.error();
  if (!*exists) return UnknownMember();
  return {};
}

// The member check first, then the role's, as the SQLite store reports them.
Result<void> RequireMemberAndRole(Connection& conn, domain::Snowflake guild_id,
                                  domain::Snowflake user_id, domain::Snowflake role_id) {
  auto rows = conn.Query(
      "SELECT EXISTS (SELECT 1 FROM server_members WHERE server_id = $1 AND user_id = $2), "
      "EXISTS (SELECT 1 FROM roles WHERE id = $3 AND server_id = $1)",
      Params().Id(guild_id).Id(user_id).Id(role_id));
  if (!rows) return rows.error();
  if (!(*rows)[0].Bool(0)) return UnknownMember();
  if (!(*rows)[0].Bool(1)) return UnknownRole();
  return {};
}

int ClampMemberLimit(int limit) { return std::clamp(limit, 1, kMaxMemberPage); }

}  // namespace

Result<void> ReplaceMemberRoles(Connection& conn, domain::Snowflake guild_id,
                                domain::Snowflake user_id,
                                std::span<const domain::Snowflake> role_ids) {
  std::vector<domain::Snowflake> roles;
  for (domain::Snowflake role_id : role_ids) {
    if (role_id != guild_id) roles.push_back(role_id);  // @everyone is implicit
  }
  if (!roles.empty()) {
    auto known = conn.Query(
        "SELECT count(*) = (SELECT count(DISTINCT x) FROM unnest($2::bigint[]) AS x) "
        "FROM roles WHERE server_id = $1 AND id = ANY($2::bigint[])",
        Params().Id(guild_id).IdArray(roles));
    if (!known) return known.error();
    if (!(*known)[0].Bool(0)) return UnknownRole();
  }
  auto clear = conn.Query("DELETE FROM member_roles WHERE server_id = $1 AND user_id = $2",
                          Params().Id(guild_id).Id(user_id));
  if (!clear) return clear.error();
  if (roles.empty()) return {};
  auto add = conn.Query(
      "INSERT INTO member_roles (server_id, user_id, role_id) "
      "SELECT DISTINCT $1::bigint, $2::bigint, unnest($3::bigint[]) ON CONFLICT DO NOTHING",
      Params().Id(guild_id).Id(user_id).IdArray(roles));
  if (!add) return add.error();
  return {};
}

Result<void> InsertMember(Connection& conn, domain::Snowflake guild_id,
                          const domain::Member& member) {
  auto rows = conn.Query(
      "INSERT INTO server_members (server_id, user_id, nickname, joined_at, "
      "communication_disabled_until) VALUES ($1, $2, $3, $4, $5)",
      Params()
          .Id(guild_id)
          .Id(member.user_id)
          .OptText(member.nickname)
          .Int(member.joined_at_ms != 0 ? member.joined_at_ms : NowMs())
          .OptInt(member.communication_disabled_until_ms));
  if (!rows) return rows.error();
  return ReplaceMemberRoles(conn, guild_id, member.user_id, member.role_ids);
}

Result<domain::Member> LoadMember(Connection& conn, domain::Snowflake guild_id,
                                  domain::Snowflake user_id) {
  auto members = FindMembers(conn, "WHERE m.server_id = $1 AND m.user_id = $2",
                             Params().Id(guild_id).Id(user_id));
  if (!members) return members.error();
  if (members->empty()) return UnknownMember();
  return std::move(members->front());
}

Result<void> PostgresStore::AddMember(const domain::Member& member) {
  return Write([&](Connection& conn) -> Result<void> {
    auto found = conn.Query(
        "SELECT EXISTS (SELECT 1 FROM servers WHERE id = $1), "
        "EXISTS (SELECT 1 FROM users WHERE id = $2)",
        Params().Id(member.guild_id).Id(member.user_id));
    if (!found) return found.error();
    if (!(*found)[0].Bool(0)) return UnknownGuild();
    if (!(*found)[0].Bool(1)) return UnknownUser();
    return InsertMember(conn, member.guild_id, member);
  });
}

Result<domain::Member> PostgresStore::GetMember(domain::Snowflake guild_id,
                                                domain::Snowflake user_id) {
  return Auto([&](Connection& conn) { return LoadMember(conn, guild_id, user_id); });
}

Result<std::vector<domain::Member>> PostgresStore::ListMembers(domain::Snowflake guild_id,
                                                               domain::Snowflake after, int limit) {
  return Auto([&](Connection& conn) {
    return FindMembers(conn,
                       "WHERE m.server_id = $1 AND m.user_id > $2 ORDER BY m.user_id LIMIT $3",
                       Params().Id(guild_id).Id(after).Int(ClampMemberLimit(limit)));
  });
}

Result<std::vector<domain::Member>> PostgresStore::SearchMembers(domain::Snowflake guild_id,
                                                                 std::string_view prefix,
                                                                 int limit) {
  return Auto([&](Connection& conn) {
    // lower() under "C" folds ASCII only, which is what the interface promises; starts_with
    // needs no escaping of LIKE's wildcards.
    return FindMembers(conn,
                       "JOIN users u ON u.id = m.user_id WHERE m.server_id = $1 AND "
                       "(starts_with(lower(u.username COLLATE \"C\"), lower($2 COLLATE \"C\")) "
                       "OR starts_with(lower(m.nickname COLLATE \"C\"), lower($2 COLLATE \"C\"))) "
                       "ORDER BY m.user_id LIMIT $3",
                       Params().Id(guild_id).Text(prefix).Int(ClampMemberLimit(limit)));
  });
}

Result<domain::Member> PostgresStore::UpdateMember(domain::Snowflake guild_id,
                                                   domain::Snowflake user_id,
                                                   const MemberUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Member> {
    Params params;
    params.Id(guild_id).Id(user_id);
    PatchText(params, update.nickname);
    PatchNullableInt(params, update.communication_disabled_until_ms);
    auto rows = conn.Query(
        "UPDATE server_members SET "
        "nickname = CASE WHEN $3 THEN $4 ELSE nickname END, "
        "communication_disabled_until = "
        "CASE WHEN $5 THEN $6 ELSE communication_disabled_until END "
        "WHERE server_id = $1 AND user_id = $2",
        params);
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownMember();
    if (update.role_ids) {
      if (auto r = ReplaceMemberRoles(conn, guild_id, user_id, *update.role_ids); !r) {
        return r.error();
      }
    }
    return LoadMember(conn, guild_id, user_id);
  });
}

Result<void> PostgresStore::SetMemberRoles(domain::Snowflake guild_id, domain::Snowflake user_id,
                                           std::span<const domain::Snowflake> role_ids) {
  return Write([&](Connection& conn) -> Result<void> {
    if (auto r = RequireMember(conn, guild_id, user_id); !r) return r;
    return ReplaceMemberRoles(conn, guild_id, user_id, role_ids);
  });
}

Result<void> PostgresStore::AddMemberRole(domain::Snowflake guild_id, domain::Snowflake user_id,
                                          domain::Snowflake role_id) {
  return Auto([&](Connection& conn) -> Result<void> {
    if (auto r = RequireMemberAndRole(conn, guild_id, user_id, role_id); !r) return r;
    if (role_id == guild_id) return {};  // @everyone is implicit
    auto rows = conn.Query(
        "INSERT INTO member_roles (server_id, user_id, role_id) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        Params().Id(guild_id).Id(user_id).Id(role_id));
    if (!rows) return rows.error();
    return {};
  });
}

Result<void> PostgresStore::RemoveMemberRole(domain::Snowflake guild_id, domain::Snowflake user_id,
                                             domain::Snowflake role_id) {
  return Auto([&](Connection& conn) -> Result<void> {
    if (auto r = RequireMemberAndRole(conn, guild_id, user_id, role_id); !r) return r;
    auto rows = conn.Query(
        "DELETE FROM member_roles WHERE server_id = $1 AND user_id = $2 AND role_id = $3",
        Params().Id(guild_id).Id(user_id).Id(role_id));
    if (!rows) return rows.error();
    return {};
  });
}

Result<void> PostgresStore::RemoveMember(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM server_members WHERE server_id = $1 AND user_id = $2",
                           Params().Id(guild_id).Id(user_id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownMember();
    return {};
  });
}

Result<bool> PostgresStore::IsMember(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Auto([&](Connection& conn) { return MemberExists(conn, guild_id, user_id); });
}

}  // namespace chat::store::postgres
