// InviteStore over PostgreSQL: the invites and bans tables (migration 0002).
#include <algorithm>
#include <string>

#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectInvite =
    "SELECT code, server_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, "
    "created_at FROM invites ";

Invite ReadInvite(const Row& r) {
  Invite i;
  i.code = r.Text(0);
  i.guild_id = r.Id(1);
  i.channel_id = r.Id(2);
  i.inviter_id = r.OptId(3);
  i.max_age = static_cast<int>(r.Int(4));
  i.max_uses = static_cast<int>(r.Int(5));
  i.uses = static_cast<int>(r.Int(6));
  i.temporary = r.Bool(7);
  i.created_at_ms = r.Int(8);
  return i;
}

Result<std::vector<Invite>> FindInvites(Connection& conn, std::string_view where,
                                        const Params& params) {
  auto rows = conn.Query(std::string(kSelectInvite) + std::string(where), params);
  if (!rows) return rows.error();
  std::vector<Invite> out;
  for (int i = 0; i < rows->size(); ++i) out.push_back(ReadInvite((*rows)[i]));
  return out;
}

Ban ReadBan(const Row& r) { return Ban{r.Id(0), r.Id(1), r.OptText(2), r.Int(3)}; }

}  // namespace

Result<void> PostgresStore::CreateInvite(const Invite& invite) {
  return Write([&](Connection& conn) -> Result<void> {
    auto ok = RowExists(conn, "SELECT 1 FROM channels WHERE id = $1 AND server_id = $2",
                        Params().Id(invite.channel_id).Id(invite.guild_id));
    if (!ok) return ok.error();
    if (!*ok) return UnknownChannel();
    auto rows = conn.Query(
        "INSERT INTO invites (code, server_id, channel_id, inviter_id, max_age, max_uses, uses, "
        "temporary, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Params()
            .Text(invite.code)
            .Id(invite.guild_id)
            .Id(invite.channel_id)
            .OptId(invite.inviter_id)
            .Int(invite.max_age)
            .Int(invite.max_uses)
            .Int(invite.uses)
            .Bool(invite.temporary)
            .Int(invite.created_at_ms != 0 ? invite.created_at_ms : NowMs()));
    if (!rows) return rows.error();
    return {};
  });
}

Result<Invite> PostgresStore::GetInvite(std::string_view code) {
  return Auto([&](Connection& conn) -> Result<Invite> {
    auto list = FindInvites(conn, "WHERE code = $1", Params().Text(code));
    if (!list) return list.error();
    if (list->empty()) return UnknownInvite();
    return std::move(list->front());
  });
}

Result<std::vector<Invite>> PostgresStore::ListChannelInvites(domain::Snowflake channel_id) {
  return Auto([&](Connection& conn) {
    return FindInvites(conn, "WHERE channel_id = $1 ORDER BY created_at DESC, code",
                       Params().Id(channel_id));
  });
}

Result<std::vector<Invite>> PostgresStore::ListGuildInvites(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return FindInvites(conn, "WHERE server_id = $1 ORDER BY created_at DESC, code",
                       Params().Id(guild_id));
  });
}

Result<void> PostgresStore::DeleteInvite(std::string_view code) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM invites WHERE code = $1", Params().Text(code));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownInvite();
    return {};
  });
}

Result<Invite> PostgresStore::UseInvite(std::string_view code, std::int64_t now_ms) {
  return Auto([&](Connection& conn) -> Result<Invite> {
    // One conditional UPDATE: the row lock makes concurrent joins re-check the budget.
    auto list = conn.Query(
        "UPDATE invites SET uses = uses + 1 WHERE code = $1 "
        "AND (max_uses = 0 OR uses < max_uses) "
        "AND (max_age = 0 OR created_at + max_age::bigint * 1000 > $2) "
        "RETURNING code, server_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, "
        "created_at",
        Params().Text(code).Int(now_ms));
    if (!list) return list.error();
    if (list->empty()) return UnknownInvite();
    return ReadInvite((*list)[0]);
  });
}

Result<void> PostgresStore::PutBan(const Ban& ban) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, ban.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    auto user = UserExists(conn, ban.user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    auto rows = conn.Query(
        "INSERT INTO bans (server_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (server_id, user_id) DO UPDATE SET reason = excluded.reason",
        Params()
            .Id(ban.guild_id)
            .Id(ban.user_id)
            .OptText(ban.reason)
            .Int(ban.created_at_ms != 0 ? ban.created_at_ms : NowMs()));
    if (!rows) return rows.error();
    auto removed = conn.Query("DELETE FROM server_members WHERE server_id = $1 AND user_id = $2",
                              Params().Id(ban.guild_id).Id(ban.user_id));
    if (!removed) return removed.error();
    return {};
  });
}

Result<Ban> PostgresStore::GetBan(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<Ban> {
    auto rows = conn.Query(
        "SELECT server_id, user_id, reason, created_at FROM bans "
        "WHERE server_id = $1 AND user_id = $2",
        Params().Id(guild_id).Id(user_id));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownBan();
    return ReadBan((*rows)[0]);
  });
}

Result<std::vector<Ban>> PostgresStore::ListBans(domain::Snowflake guild_id,
                                                 domain::Snowflake after, int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<Ban>> {
    auto rows = conn.Query(
        "SELECT server_id, user_id, reason, created_at FROM bans "
        "WHERE server_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3",
        Params().Id(guild_id).Id(after).Int(std::clamp(limit, 1, 1000)));
    if (!rows) return rows.error();
    std::vector<Ban> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back(ReadBan((*rows)[i]));
    return out;
  });
}

Result<void> PostgresStore::DeleteBan(domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM bans WHERE server_id = $1 AND user_id = $2",
                           Params().Id(guild_id).Id(user_id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownBan();
    return {};
  });
}

}  // namespace chat::store::postgres
