// GuildStore over SQLite: the servers table. A guild's creation inserts its roles, channels and
// owner membership in the same write transaction; its deletion relies on ON DELETE CASCADE.
#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectGuild =
    "SELECT g.id, g.name, g.owner_id, g.icon_url, g.description, g.created_at, "
    "g.system_channel_id, g.afk_channel_id, g.afk_timeout, g.verification_level, "
    "g.default_message_notifications, g.explicit_content_filter, g.preferred_locale "
    "FROM servers g ";

domain::Guild ReadGuild(const Statement& s) {
  domain::Guild g;
  g.id = s.Id(0);
  g.name = s.Text(1);
  g.owner_id = s.Id(2);
  g.icon = s.OptText(3);
  g.description = s.OptText(4);
  g.created_at_ms = s.Int(5);
  g.system_channel_id = s.OptId(6);
  g.afk_channel_id = s.OptId(7);
  g.afk_timeout = static_cast<int>(s.Int(8));
  g.verification_level = static_cast<int>(s.Int(9));
  g.default_message_notifications = static_cast<int>(s.Int(10));
  g.explicit_content_filter = static_cast<int>(s.Int(11));
  g.preferred_locale = s.Text(12);
  return g;
}

// A channel a guild setting points at must belong to that guild.
Result<void> CheckGuildChannel(Connection& conn, domain::Snowflake guild_id,
                               const Nullable<domain::Snowflake>& channel_id) {
  if (!channel_id || !*channel_id) return {};
  auto exists = RowExists(conn, "SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2",
                          **channel_id, guild_id);
  if (!exists) return exists.error();
  if (!*exists) return UnknownChannel();
  return {};
}

}  // namespace

Result<domain::Guild> LoadGuild(Connection& conn, domain::Snowflake id) {
  auto stmt = conn.Prepare(std::string(kSelectGuild) + "WHERE g.id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownGuild();
  return ReadGuild(*stmt);
}

Result<void> SqliteStore::CreateGuild(const NewGuild& new_guild) {
  const domain::Guild& g = new_guild.guild;
  return Write([&](Connection& conn) -> Result<void> {
    auto owner = UserExists(conn, g.owner_id);
    if (!owner) return owner.error();
    if (!*owner) return UnknownUser();
    auto stmt = conn.Prepare(
        "INSERT INTO servers (id, name, owner_id, icon_url, description, created_at, "
        "system_channel_id, afk_channel_id, afk_timeout, verification_level, "
        "default_message_notifications, explicit_content_filter, preferred_locale) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, g.id)
        .BindText(2, g.name)
        .BindId(3, g.owner_id)
        .BindOptText(4, g.icon)
        .BindOptText(5, g.description)
        .BindInt(6, g.created_at_ms != 0 ? g.created_at_ms : domain::SnowflakeUnixMs(g.id))
        .BindOptId(7, g.system_channel_id)
        .BindOptId(8, g.afk_channel_id)
        .BindInt(9, g.afk_timeout)
        .BindInt(10, g.verification_level)
        .BindInt(11, g.default_message_notifications)
        .BindInt(12, g.explicit_content_filter)
        .BindText(13, g.preferred_locale);
    if (auto r = stmt->Run(); !r) return r;
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

Result<domain::Guild> SqliteStore::GetGuild(domain::Snowflake id) {
  return Read([&](Connection& conn) { return LoadGuild(conn, id); });
}

Result<domain::Guild> SqliteStore::UpdateGuild(domain::Snowflake id, const GuildUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Guild> {
    if (update.owner_id) {
      auto owner = UserExists(conn, *update.owner_id);
      if (!owner) return owner.error();
      if (!*owner) return UnknownUser();
    }
    if (auto r = CheckGuildChannel(conn, id, update.system_channel_id); !r) return r.error();
    if (auto r = CheckGuildChannel(conn, id, update.afk_channel_id); !r) return r.error();
    auto stmt = conn.Prepare(
        "UPDATE servers SET "
        "name = CASE WHEN ?2 THEN ?3 ELSE name END, "
        "description = CASE WHEN ?4 THEN ?5 ELSE description END, "
        "icon_url = CASE WHEN ?6 THEN ?7 ELSE icon_url END, "
        "owner_id = CASE WHEN ?8 THEN ?9 ELSE owner_id END, "
        "system_channel_id = CASE WHEN ?10 THEN ?11 ELSE system_channel_id END, "
        "afk_channel_id = CASE WHEN ?12 THEN ?13 ELSE afk_channel_id END, "
        "afk_timeout = CASE WHEN ?14 THEN ?15 ELSE afk_timeout END, "
        "verification_level = CASE WHEN ?16 THEN ?17 ELSE verification_level END, "
        "default_message_notifications = "
        "CASE WHEN ?18 THEN ?19 ELSE default_message_notifications END, "
        "explicit_content_filter = CASE WHEN ?20 THEN ?21 ELSE explicit_content_filter END, "
        "preferred_locale = CASE WHEN ?22 THEN ?23 ELSE preferred_locale END "
        "WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    BindPatchText(*stmt, 2, update.name);
    BindPatchText(*stmt, 4, update.description);
    BindPatchText(*stmt, 6, update.icon);
    BindPatchId(*stmt, 8, update.owner_id);
    BindPatchId(*stmt, 10, update.system_channel_id);
    BindPatchId(*stmt, 12, update.afk_channel_id);
    BindPatchInt(*stmt, 14, update.afk_timeout);
    BindPatchInt(*stmt, 16, update.verification_level);
    BindPatchInt(*stmt, 18, update.default_message_notifications);
    BindPatchInt(*stmt, 20, update.explicit_content_filter);
    BindPatchText(*stmt, 22, update.preferred_locale);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownGuild();
    return LoadGuild(conn, id);
  });
}

Result<void> SqliteStore::DeleteGuild(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM servers WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownGuild();
    return {};
  });
}

Result<std::vector<domain::Snowflake>> SqliteStore::ListUserGuildIds(domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto stmt =
        conn.Prepare("SELECT server_id FROM server_members WHERE user_id = ?1 ORDER BY server_id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, user_id);
    std::vector<domain::Snowflake> ids;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return ids;
      ids.push_back(stmt->Id(0));
    }
  });
}

Result<std::vector<domain::Guild>> SqliteStore::ListUserGuilds(domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Guild>> {
    auto stmt = conn.Prepare(std::string(kSelectGuild) +
                             "JOIN server_members m ON m.server_id = g.id "
                             "WHERE m.user_id = ?1 ORDER BY g.id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, user_id);
    std::vector<domain::Guild> guilds;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return guilds;
      guilds.push_back(ReadGuild(*stmt));
    }
  });
}

Result<std::int64_t> SqliteStore::CountMembers(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::int64_t> {
    auto exists = GuildExists(conn, guild_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownGuild();
    auto stmt = conn.Prepare("SELECT COUNT(*) FROM server_members WHERE server_id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    auto row = stmt->Step();
    if (!row) return row.error();
    return stmt->Int(0);
  });
}

}  // namespace chat::store::sqlite
