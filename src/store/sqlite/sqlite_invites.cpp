// InviteStore over SQLite: the invites and bans tables (migration 0002).
#include <algorithm>
#include <string>

#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectInvite =
    "SELECT code, server_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, "
    "created_at FROM invites ";

Invite ReadInvite(const Statement& s) {
  Invite i;
  i.code = s.Text(0);
  i.guild_id = s.Id(1);
  i.channel_id = s.Id(2);
  i.inviter_id = s.OptId(3);
  i.max_age = static_cast<int>(s.Int(4));
  i.max_uses = static_cast<int>(s.Int(5));
  i.uses = static_cast<int>(s.Int(6));
  i.temporary = s.Bool(7);
  i.created_at_ms = s.Int(8);
  return i;
}

Result<std::vector<Invite>> CollectInvites(Statement& stmt) {
  std::vector<Invite> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(ReadInvite(stmt));
  }
}

Result<Invite> LoadInvite(Connection& conn, std::string_view code) {
  auto stmt = conn.Prepare(std::string(kSelectInvite) + "WHERE code = ?1");
  if (!stmt) return stmt.error();
  stmt->BindText(1, code);
  auto list = CollectInvites(*stmt);
  if (!list) return list.error();
  if (list->empty()) return UnknownInvite();
  return std::move(list->front());
}

Ban ReadBan(const Statement& s) { return Ban{s.Id(0), s.Id(1), s.OptText(2), s.Int(3)}; }

}  // namespace

Result<void> SqliteStore::CreateInvite(const Invite& invite) {
  return Write([&](Connection& conn) -> Result<void> {
    auto ok = RowExists(conn, "SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2",
                        invite.channel_id, invite.guild_id);
    if (!ok) return ok.error();
    if (!*ok) return UnknownChannel();
    auto stmt = conn.Prepare(
        "INSERT INTO invites (code, server_id, channel_id, inviter_id, max_age, max_uses, uses, "
        "temporary, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!stmt) return stmt.error();
    stmt->BindText(1, invite.code)
        .BindId(2, invite.guild_id)
        .BindId(3, invite.channel_id)
        .BindOptId(4, invite.inviter_id)
        .BindInt(5, invite.max_age)
        .BindInt(6, invite.max_uses)
        .BindInt(7, invite.uses)
        .BindBool(8, invite.temporary)
        .BindInt(9, invite.created_at_ms != 0 ? invite.created_at_ms : NowMs());
    return stmt->Run();
  });
}

Result<Invite> SqliteStore::GetInvite(std::string_view code) {
  return Read([&](Connection& conn) { return LoadInvite(conn, code); });
}

Result<std::vector<Invite>> SqliteStore::ListChannelInvites(domain::Snowflake channel_id) {
  return Read([&](Connection& conn) -> Result<std::vector<Invite>> {
    auto stmt = conn.Prepare(std::string(kSelectInvite) +
                             "WHERE channel_id = ?1 ORDER BY created_at DESC, code");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id);
    return CollectInvites(*stmt);
  });
}

Result<std::vector<Invite>> SqliteStore::ListGuildInvites(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<Invite>> {
    auto stmt = conn.Prepare(std::string(kSelectInvite) +
                             "WHERE server_id = ?1 ORDER BY created_at DESC, code");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    return CollectInvites(*stmt);
  });
}

Result<void> SqliteStore::DeleteInvite(std::string_view code) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM invites WHERE code = ?1");
    if (!stmt) return stmt.error();
    stmt->BindText(1, code);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownInvite();
    return {};
  });
}

Result<Invite> SqliteStore::UseInvite(std::string_view code, std::int64_t now_ms) {
  return Write([&](Connection& conn) -> Result<Invite> {
    // One conditional UPDATE: the budget check and the increment cannot be split by another
    // join.
    auto stmt = conn.Prepare(
        "UPDATE invites SET uses = uses + 1 WHERE code = ?1 "
        "AND (max_uses = 0 OR uses < max_uses) "
        "AND (max_age = 0 OR created_at + max_age * 1000 > ?2)");
    if (!stmt) return stmt.error();
    stmt->BindText(1, code).BindInt(2, now_ms);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownInvite();
    return LoadInvite(conn, code);
  });
}

Result<void> SqliteStore::PutBan(const Ban& ban) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, ban.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    auto user = UserExists(conn, ban.user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    auto stmt = conn.Prepare(
        "INSERT INTO bans (server_id, user_id, reason, created_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (server_id, user_id) DO UPDATE SET reason = excluded.reason");
    if (!stmt) return stmt.error();
    stmt->BindId(1, ban.guild_id)
        .BindId(2, ban.user_id)
        .BindOptText(3, ban.reason)
        .BindInt(4, ban.created_at_ms != 0 ? ban.created_at_ms : NowMs());
    if (auto r = stmt->Run(); !r) return r;
    auto remove = conn.Prepare("DELETE FROM server_members WHERE server_id = ?1 AND user_id = ?2");
    if (!remove) return remove.error();
    remove->BindId(1, ban.guild_id).BindId(2, ban.user_id);
    return remove->Run();
  });
}

Result<Ban> SqliteStore::GetBan(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<Ban> {
    auto stmt = conn.Prepare(
        "SELECT server_id, user_id, reason, created_at FROM bans "
        "WHERE server_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownBan();
    return ReadBan(*stmt);
  });
}

Result<std::vector<Ban>> SqliteStore::ListBans(domain::Snowflake guild_id, domain::Snowflake after,
                                               int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<Ban>> {
    auto stmt = conn.Prepare(
        "SELECT server_id, user_id, reason, created_at FROM bans "
        "WHERE server_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, after).BindInt(3, std::clamp(limit, 1, 1000));
    std::vector<Ban> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadBan(*stmt));
    }
  });
}

Result<void> SqliteStore::DeleteBan(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM bans WHERE server_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownBan();
    return {};
  });
}

}  // namespace chat::store::sqlite
