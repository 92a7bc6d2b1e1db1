// MemberStore over SQLite: server_members and member_roles. The @everyone role (id == guild id)
// is implicit and never stored as a member role.
#include <algorithm>
#include <map>
#include <string>

#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectMember =
    "SELECT m.server_id, m.user_id, m.nickname, m.joined_at, m.communication_disabled_until "
    "FROM server_members m ";

domain::Member ReadMember(const Statement& s) {
  domain::Member m;
  m.guild_id = s.Id(0);
  m.user_id = s.Id(1);
  m.nickname = s.OptText(2);
  m.joined_at_ms = s.Int(3);
  m.communication_disabled_until_ms = s.OptInt(4);
  return m;
}

Result<bool> MemberExists(Connection& conn, domain::Snowflake guild_id, domain::Snowflake user_id) {
  return RowExists(conn, "SELECT 1 FROM server_members WHERE server_id = ?1 AND user_id = ?2",
                   guild_id, user_id);
}

Result<void> RequireMember(Connection& conn, domain::Snowflake guild_id,
                           domain::Snowflake user_id) {
  auto exists = MemberExists(conn, guild_id, user_id);
  if (!exists) return exists.error();
  if (!*exists) return UnknownMember();
  return {};
}

Result<void> RequireRole(Connection& conn, domain::Snowflake guild_id, domain::Snowflake role_id) {
  auto exists =
      RowExists(conn, "SELECT 1 FROM roles WHERE id = ?1 AND server_id = ?2", role_id, guild_id);
  if (!exists) return exists.error();
  if (!*exists) return UnknownRole();
  return {};
}

// Fills role_ids of `members` (ascending by user id) with one range query.
Result<void> LoadRolesInto(Connection& conn, domain::Snowflake guild_id,
                           std::vector<domain::Member>& members) {
  if (members.empty()) return {};
  std::map<domain::Snowflake, domain::Member*> by_user;
  for (auto& m : members) by_user[m.user_id] = &m;
  auto stmt = conn.Prepare(
      "SELECT user_id, role_id FROM member_roles "
      "WHERE server_id = ?1 AND user_id BETWEEN ?2 AND ?3 ORDER BY user_id, role_id");
  if (!stmt) return stmt.error();
  stmt->BindId(1, guild_id).BindId(2, by_user.begin()->first).BindId(3, by_user.rbegin()->first);
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return {};
    auto it = by_user.find(stmt->Id(0));
    if (it != by_user.end()) it->second->role_ids.push_back(stmt->Id(1));
  }
}

Result<std::vector<domain::Member>> CollectMembers(Connection& conn, Statement& stmt,
                                                   domain::Snowflake guild_id) {
  std::vector<domain::Member> members;
  while (true) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) break;
    members.push_back(ReadMember(stmt));
  }
  if (auto r = LoadRolesInto(conn, guild_id, members); !r) return r.error();
  return members;
}

int ClampMemberLimit(int limit) { return std::clamp(limit, 1, kMaxMemberPage); }

// LIKE pattern matching strings that start with `prefix` literally.
std::string PrefixPattern(std::string_view prefix) {
  std::string pattern;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

}  // namespace

Result<void> ReplaceMemberRoles(Connection& conn, domain::Snowflake guild_id,
                                domain::Snowflake user_id,
                                std::span<const domain::Snowflake> role_ids) {
  for (domain::Snowflake role_id : role_ids) {
    if (role_id == guild_id) continue;  // @everyone
    if (auto r = RequireRole(conn, guild_id, role_id); !r) return r;
  }
  auto clear = conn.Prepare("DELETE FROM member_roles WHERE server_id = ?1 AND user_id = ?2");
  if (!clear) return clear.error();
  clear->BindId(1, guild_id).BindId(2, user_id);
  if (auto r = clear->Run(); !r) return r;
  for (domain::Snowflake role_id : role_ids) {
    if (role_id == guild_id) continue;
    auto add = conn.Prepare(
        "INSERT OR IGNORE INTO member_roles (server_id, user_id, role_id) VALUES (?1, ?2, ?3)");
    if (!add) return add.error();
    add->BindId(1, guild_id).BindId(2, user_id).BindId(3, role_id);
    if (auto r = add->Run(); !r) return r;
  }
  return {};
}

Result<void> InsertMember(Connection& conn, domain::Snowflake guild_id,
                          const domain::Member& member) {
  auto stmt = conn.Prepare(
      "INSERT INTO server_members (server_id, user_id, nickname, joined_at, "
      "communication_disabled_until) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt) return stmt.error();
  stmt->BindId(1, guild_id)
      .BindId(2, member.user_id)
      .BindOptText(3, member.nickname)
      .BindInt(4, member.joined_at_ms != 0 ? member.joined_at_ms : NowMs())
      .BindOptInt(5, member.communication_disabled_until_ms);
  if (auto r = stmt->Run(); !r) return r;
  return ReplaceMemberRoles(conn, guild_id, member.user_id, member.role_ids);
}

Result<domain::Member> LoadMember(Connection& conn, domain::Snowflake guild_id,
                                  domain::Snowflake user_id) {
  auto stmt =
      conn.Prepare(std::string(kSelectMember) + "WHERE m.server_id = ?1 AND m.user_id = ?2");
  if (!stmt) return stmt.error();
  stmt->BindId(1, guild_id).BindId(2, user_id);
  auto members = CollectMembers(conn, *stmt, guild_id);
  if (!members) return members.error();
  if (members->empty()) return UnknownMember();
  return std::move(members->front());
}

Result<void> SqliteStore::AddMember(const domain::Member& member) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, member.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    auto user = UserExists(conn, member.user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    return InsertMember(conn, member.guild_id, member);
  });
}

Result<domain::Member> SqliteStore::GetMember(domain::Snowflake guild_id,
                                              domain::Snowflake user_id) {
  return Read([&](Connection& conn) { return LoadMember(conn, guild_id, user_id); });
}

Result<std::vector<domain::Member>> SqliteStore::ListMembers(domain::Snowflake guild_id,
                                                             domain::Snowflake after, int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Member>> {
    auto stmt =
        conn.Prepare(std::string(kSelectMember) +
                     "WHERE m.server_id = ?1 AND m.user_id > ?2 ORDER BY m.user_id LIMIT ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, after).BindInt(3, ClampMemberLimit(limit));
    return CollectMembers(conn, *stmt, guild_id);
  });
}

Result<std::vector<domain::Member>> SqliteStore::SearchMembers(domain::Snowflake guild_id,
                                                               std::string_view prefix, int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Member>> {
    // LIKE folds ASCII case only, which is what the interface promises.
    auto stmt = conn.Prepare(std::string(kSelectMember) +
                             "JOIN users u ON u.id = m.user_id WHERE m.server_id = ?1 AND "
                             "(u.username LIKE ?2 ESCAPE '\\' OR m.nickname LIKE ?2 ESCAPE '\\') "
                             "ORDER BY m.user_id LIMIT ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id)
        .BindText(2, PrefixPattern(prefix))
        .BindInt(3, ClampMemberLimit(limit));
    return CollectMembers(conn, *stmt, guild_id);
  });
}

Result<domain::Member> SqliteStore::UpdateMember(domain::Snowflake guild_id,
                                                 domain::Snowflake user_id,
                                                 const MemberUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Member> {
    if (auto r = RequireMember(conn, guild_id, user_id); !r) return r.error();
    auto stmt = conn.Prepare(
        "UPDATE server_members SET "
        "nickname = CASE WHEN ?3 THEN ?4 ELSE nickname END, "
        "communication_disabled_until = "
        "CASE WHEN ?5 THEN ?6 ELSE communication_disabled_until END "
        "WHERE server_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id);
    BindPatchText(*stmt, 3, update.nickname);
    BindPatchInt(*stmt, 5, update.communication_disabled_until_ms);
    if (auto r = stmt->Run(); !r) return r.error();
    if (update.role_ids) {
      if (auto r = ReplaceMemberRoles(conn, guild_id, user_id, *update.role_ids); !r) {
        return r.error();
      }
    }
    return LoadMember(conn, guild_id, user_id);
  });
}

Result<void> SqliteStore::SetMemberRoles(domain::Snowflake guild_id, domain::Snowflake user_id,
                                         std::span<const domain::Snowflake> role_ids) {
  return Write([&](Connection& conn) -> Result<void> {
    if (auto r = RequireMember(conn, guild_id, user_id); !r) return r;
    return ReplaceMemberRoles(conn, guild_id, user_id, role_ids);
  });
}

Result<void> SqliteStore::AddMemberRole(domain::Snowflake guild_id, domain::Snowflake user_id,
                                        domain::Snowflake role_id) {
  return Write([&](Connection& conn) -> Result<void> {
    if (auto r = RequireMember(conn, guild_id, user_id); !r) return r;
    if (auto r = RequireRole(conn, guild_id, role_id); !r) return r;
    if (role_id == guild_id) return {};  // @everyone is implicit
    auto stmt = conn.Prepare(
        "INSERT OR IGNORE INTO member_roles (server_id, user_id, role_id) VALUES (?1, ?2, ?3)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id).BindId(3, role_id);
    return stmt->Run();
  });
}

Result<void> SqliteStore::RemoveMemberRole(domain::Snowflake guild_id, domain::Snowflake user_id,
                                           domain::Snowflake role_id) {
  return Write([&](Connection& conn) -> Result<void> {
    if (auto r = RequireMember(conn, guild_id, user_id); !r) return r;
    if (auto r = RequireRole(conn, guild_id, role_id); !r) return r;
    auto stmt = conn.Prepare(
        "DELETE FROM member_roles WHERE server_id = ?1 AND user_id = ?2 AND role_id = ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id).BindId(3, role_id);
    return stmt->Run();
  });
}

Result<void> SqliteStore::RemoveMember(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM server_members WHERE server_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownMember();
    return {};
  });
}

Result<bool> SqliteStore::IsMember(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Read([&](Connection& conn) { return MemberExists(conn, guild_id, user_id); });
}

}  // namespace chat::store::sqlite
