// GuildStore over PostgreSQL: the servers table. A guild's creation inserts its roles, channels
// and owner membership in one transaction (the system channel key is deferred to COMMIT); its
// deletion relies on ON DELETE CASCADE.
#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kGuildColumns =
    "g.id, g.name, g.owner_id, g.icon_url, g.description, g.created_at, "
    "g.system_channel_id, g.afk_channel_id, g.afk_timeout, g.verification_level, "
    "g.default_message_notifications, g.explicit_content_filter, g.preferred_locale ";

domain::Guild ReadGuild(const Row& r) {
  domain::Guild g;
  g.id = r.Id(0);
  g.name = r.Text(1);
  g.owner_id = r.Id(2);
  g.icon = r.OptText(3);
  g.description = r.OptText(4);
  g.created_at_ms = r.Int(5);
  g.system_channel_id = r.OptId(6);
  g.afk_channel_id = r.OptId(7);
  g.afk_timeout = static_cast<int>(r.Int(8));
  g.verification_level = static_cast<int>(r.Int(9));
  g.default_message_notifications = static_cast<int>(r.Int(10));
  g.explicit_content_filter = static_cast<int>(r.Int(11));
  g.preferred_locale = r.Text(12);
  return g;
}

// A channel a guild setting points at must belong to that guild.
Result<void> CheckGuildChannel(Connection& conn, domain::Snowflake guild_id,
                               const Nullable<domain::Snowflake>& channel_id) {
  if (!channel_id || !*channel_id) return {};
  auto exists = RowExists(conn, "SELECT 1 FROM channels WHERE id = $1 AND server_id = $2",
                          Params().Id(**channel_id).Id(guild_id));
  if (!exists) return exists.error();
  if (!*exists) return UnknownChannel();
  return {};
}

}  // namespace

Result<domain::Guild> LoadGuild(Connection& conn, domain::Snowflake id) {
  auto rows = conn.Query("SELECT " + std::string(kGuildColumns) + "FROM servers g WHERE g.id = $1",
                         Params().Id(id));
  if (!rows) return rows.error();
  if (rows->empty()) return UnknownGuild();
  return ReadGuild((*rows)[0]);
}

Result<void> PostgresStore::CreateGuild(const NewGuild& new_guild) {
  const domain::Guild& g = new_guild.guild;
  return Write([&](Connection& conn) -> Result<void> {
    auto owner = UserExists(conn, g.owner_id);
    if (!owner) return owner.error();
    if (!*owner) return UnknownUser();
    auto rows = conn.Query(
        "INSERT INTO servers (id, name, owner_id, icon_url, description, created_at, "
        "system_channel_id, afk_channel_id, afk_timeout, verification_level, "
        "default_message_notifications, explicit_content_filter, preferred_locale) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        Params()
            .Id(g.id)
            .Text(g.name)
            .Id(g.owner_id)
            .OptText(g.icon)
            .OptText(g.description)
            .Int(g.created_at_ms != 0 ? g.created_at_ms : domain::SnowflakeUnixMs(g.id))
            .OptId(g.system_channel_id)
            .OptId(g.afk_channel_id)
            .Int(g.afk_timeout)
            .Int(g.verification_level)
            .Int(g.default_message_notifications)
            .Int(g.explicit_content_filter)
            .Text(g.preferred_locale));
    if (!rows) return rows.error();
    for (const domain::Role& role : new_guild.roles) {
      if (auto r = InsertRole(conn, g.id, role); !r) return r;
    }
    // Parents before children: a channel's parent_id must already exist.
    for (bool with_parent : {false, true}) {
      for (domain::Channel channel : new_guild.channels) {
        if (channel.parent_id.has_value() != with_parent) continue;
        channel.guild_id = g.id;
        if (auto r = InsertChannel(conn, channel); !r) return r;
      }
    }
    return InsertMember(conn, g.id, new_guild.owner);
  });
}

Result<domain::Guild> PostgresStore::GetGuild(domain::Snowflake id) {
  return Auto([&](Connection& conn) { return LoadGuild(conn, id); });
}

Result<domain::Guild> PostgresStore::UpdateGuild(domain::Snowflake id, const GuildUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Guild> {
    if (update.owner_id) {
      auto owner = UserExists(conn, *update.owner_id);
      if (!owner) return owner.error();
      if (!*owner) return UnknownUser();
    }
    if (auto r = CheckGuildChannel(conn, id, update.system_channel_id); !r) return r.error();
    if (auto r = CheckGuildChannel(conn, id, update.afk_channel_id); !r) return r.error();
    Params params;
    params.Id(id);
    PatchText(params, update.name);
    PatchText(params, update.description);
    PatchText(params, update.icon);
    PatchInt(params, update.owner_id);
    PatchNullableInt(params, update.system_channel_id);
    PatchNullableInt(params, update.afk_channel_id);
    PatchInt(params, update.afk_timeout);
    PatchInt(params, update.verification_level);
    PatchInt(params, update.default_message_notifications);
    PatchInt(params, update.explicit_content_filter);
    PatchText(params, update.preferred_locale);
    auto rows = conn.Query(
        "UPDATE servers g SET "
        "name = CASE WHEN $2 THEN $3 ELSE name END, "
        "description = CASE WHEN $4 THEN $5 ELSE description END, "
        "icon_url = CASE WHEN $6 THEN $7 ELSE icon_url END, "
        "owner_id = CASE WHEN $8 THEN $9 ELSE owner_id END, "
        "system_channel_id = CASE WHEN $10 THEN $11 ELSE system_channel_id END, "
        "afk_channel_id = CASE WHEN $12 THEN $13 ELSE afk_channel_id END, "
        "afk_timeout = CASE WHEN $14 THEN $15 ELSE afk_timeout END, "
        "verification_level = CASE WHEN $16 THEN $17 ELSE verification_level END, "
        "default_message_notifications = "
        "CASE WHEN $18 THEN $19 ELSE default_message_notifications END, "
        "explicit_content_filter = CASE WHEN $20 THEN $21 ELSE explicit_content_filter END, "
        "preferred_locale = CASE WHEN $22 THEN $23 ELSE preferred_locale END "
        "WHERE id = $1 RETURNING " +
            std::string(kGuildColumns),
        params);
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownGuild();
    return ReadGuild((*rows)[0]);
  });
}

Result<void> PostgresStore::DeleteGuild(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM servers WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownGuild();
    return {};
  });
}

Result<std::vector<domain::Snowflake>> PostgresStore::ListUserGuildIds(domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto rows =
        conn.Query("SELECT server_id FROM server_members WHERE user_id = $1 ORDER BY server_id",
                   Params().Id(user_id));
    if (!rows) return rows.error();
    std::vector<domain::Snowflake> ids;
    ids.reserve(rows->size());
    for (int i = 0; i < rows->size(); ++i) ids.push_back((*rows)[i].Id(0));
    return ids;
  });
}

Result<std::vector<domain::Guild>> PostgresStore::ListUserGuilds(domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Guild>> {
    auto rows = conn.Query("SELECT " + std::string(kGuildColumns) +
                               "FROM servers g JOIN server_members m ON m.server_id = g.id "
                               "WHERE m.user_id = $1 ORDER BY g.id",
                           Params().Id(user_id));
    if (!rows) return rows.error();
    std::vector<domain::Guild> guilds;
    guilds.reserve(rows->size());
    for (int i = 0; i < rows->size(); ++i) guilds.push_back(ReadGuild((*rows)[i]));
    return guilds;
  });
}

Result<std::int64_t> PostgresStore::CountMembers(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) -> Result<std::int64_t> {
    // NULL when the guild does not exist, which an empty member count cannot tell apart.
    auto rows = conn.Query(
        "SELECT (SELECT count(*) FROM server_members WHERE server_id = g.id) "
        "FROM servers g WHERE g.id = $1",
        Params().Id(guild_id));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownGuild();
    return (*rows)[0].Int(0);
  });
}

}  // namespace chat::store::postgres
