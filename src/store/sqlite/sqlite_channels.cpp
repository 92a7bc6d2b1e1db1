// ChannelStore over SQLite: channels, channel_overwrites and channel_recipients (threads'
// own rows are sqlite_threads.cpp's). last_message_id
// is not a column: it is read from the (channel_id, id DESC) index, so it never goes stale.
#include <map>

#include "store/errors.hpp"
#include "store/id_list.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectChannel =
    "SELECT c.id, c.server_id, c.type, c.name, c.position, c.parent_id, c.topic, c.nsfw, "
    "c.rate_limit_per_user, c.bitrate, c.user_limit, "
    "(SELECT m.id FROM messages m WHERE m.channel_id = c.id ORDER BY m.id DESC LIMIT 1), "
    "c.flags, c.forum, c.applied_tags, c.owner_id, c.icon_hash "
    "FROM channels c ";

domain::Channel ReadChannel(const Statement& s) {
  domain::Channel c;
  c.id = s.Id(0);
  c.guild_id = s.OptId(1);
  c.type = static_cast<domain::ChannelType>(s.Int(2));
  c.name = s.Text(3);
  c.position = static_cast<int>(s.Int(4));
  c.parent_id = s.OptId(5);
  c.topic = s.OptText(6);
  c.nsfw = s.Bool(7);
  c.rate_limit_per_user = static_cast<int>(s.Int(8));
  c.bitrate = static_cast<int>(s.Int(9));
  c.user_limit = static_cast<int>(s.Int(10));
  c.last_message_id = s.OptId(11);
  c.flags = static_cast<int>(s.Int(12));
  c.forum_json = s.OptText(13);
  c.applied_tags = SplitIds(s.Text(14));
  c.owner_id = s.OptId(15);
  c.icon_hash = s.OptText(16).value_or("");
  return c;
}

domain::PermissionOverwrite ReadOverwrite(const Statement& s, int first) {
  return {s.Id(first), static_cast<domain::OverwriteType>(s.Int(first + 1)),
          static_cast<std::uint64_t>(s.Int(first + 2)),
          static_cast<std::uint64_t>(s.Int(first + 3))};
}

Result<void> LoadRecipients(Connection& conn, domain::Channel& channel) {
  auto stmt =
      conn.Prepare("SELECT user_id FROM channel_recipients WHERE channel_id = ?1 ORDER BY user_id");
  if (!stmt) return stmt.error();
  stmt->BindId(1, channel.id);
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return {};
    channel.recipient_ids.push_back(stmt->Id(0));
  }
}

Result<bool> ChannelExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM channels WHERE id = ?1", id);
}

// A parent must be a channel of the same guild.
Result<void> CheckParent(Connection& conn, std::optional<domain::Snowflake> guild_id,
                         std::optional<domain::Snowflake> parent_id) {
  if (!parent_id) return {};
  if (!guild_id) return UnknownChannel();
  auto exists = RowExists(conn, "SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2",
                          *parent_id, *guild_id);
  if (!exists) return exists.error();
  if (!*exists) return UnknownChannel();
  return {};
}

Result<void> InsertOverwrites(Connection& conn, domain::Snowflake channel_id,
                              const std::vector<domain::PermissionOverwrite>& overwrites) {
  for (const domain::PermissionOverwrite& o : overwrites) {
    auto ow = conn.Prepare(
        "INSERT INTO channel_overwrites (channel_id, target_id, type, allow, deny) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!ow) return ow.error();
    ow->BindId(1, channel_id)
        .BindId(2, o.id)
        .BindInt(3, static_cast<int>(o.type))
        .BindInt(4, static_cast<std::int64_t>(o.allow))
        .BindInt(5, static_cast<std::int64_t>(o.deny));
    if (auto r = ow->Run(); !r) return r;
  }
  return {};
}

}  // namespace

Result<void> InsertChannel(Connection& conn, const domain::Channel& c) {
  auto stmt = conn.Prepare(
      "INSERT INTO channels (id, server_id, type, name, position, parent_id, topic, nsfw, "
      "rate_limit_per_user, bitrate, user_limit, flags, forum, applied_tags, owner_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  if (!stmt) return stmt.error();
  stmt->BindId(1, c.id)
      .BindOptId(2, c.guild_id)
      .BindInt(3, static_cast<int>(c.type))
      .BindText(4, c.name)
      .BindInt(5, c.position)
      .BindOptId(6, c.parent_id)
      .BindOptText(7, c.topic)
      .BindBool(8, c.nsfw)
      .BindInt(9, c.rate_limit_per_user)
      .BindInt(10, c.bitrate)
      .BindInt(11, c.user_limit)
      .BindInt(12, c.flags)
      .BindOptText(13, c.forum_json)
      .BindText(14, JoinIds(c.applied_tags))
      .BindOptId(15, c.owner_id);
  if (auto r = stmt->Run(); !r) return r;
  if (auto r = InsertOverwrites(conn, c.id, c.overwrites); !r) return r;
  for (domain::Snowflake user_id : c.recipient_ids) {
    auto rc = conn.Prepare(
        "INSERT OR IGNORE INTO channel_recipients (channel_id, user_id) VALUES (?1, ?2)");
    if (!rc) return rc.error();
    rc->BindId(1, c.id).BindId(2, user_id);
    if (auto r = rc->Run(); !r) return r;
  }
  return {};
}

Result<domain::Channel> LoadChannel(Connection& conn, domain::Snowflake id) {
  domain::Channel channel;
  {
    auto stmt = conn.Prepare(std::string(kSelectChannel) + "WHERE c.id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownChannel();
    channel = ReadChannel(*stmt);
  }
  auto ow = conn.Prepare(
      "SELECT target_id, type, allow, deny FROM channel_overwrites WHERE channel_id = ?1 "
      "ORDER BY target_id");
  if (!ow) return ow.error();
  ow->BindId(1, id);
  while (true) {
    auto row = ow->Step();
    if (!row) return row.error();
    if (!*row) break;
    channel.overwrites.push_back(ReadOverwrite(*ow, 0));
  }
  if (!channel.guild_id) {
    if (auto r = LoadRecipients(conn, channel); !r) return r.error();
  }
  if (domain::IsThread(channel.type)) {
    if (auto r = LoadThreadMetadata(conn, channel); !r) return r.error();
  }
  return channel;
}

Result<void> SqliteStore::CreateChannel(const domain::Channel& channel) {
  return Write([&](Connection& conn) -> Result<void> {
    if (channel.guild_id) {
      auto guild = GuildExists(conn, *channel.guild_id);
      if (!guild) return guild.error();
      if (!*guild) return UnknownGuild();
    }
    if (auto r = CheckParent(conn, channel.guild_id, channel.parent_id); !r) return r;
    for (domain::Snowflake user_id : channel.recipient_ids) {
      auto user = UserExists(conn, user_id);
      if (!user) return user.error();
      if (!*user) return UnknownUser();
    }
    return InsertChannel(conn, channel);
  });
}

Result<domain::Channel> SqliteStore::GetChannel(domain::Snowflake id) {
  return Read([&](Connection& conn) { return LoadChannel(conn, id); });
}

Result<std::vector<domain::Channel>> SqliteStore::ListChannels(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Channel>> {
    std::vector<domain::Channel> channels;
    std::map<domain::Snowflake, std::size_t> index;
    {
      auto stmt = conn.Prepare(std::string(kSelectChannel) +
                               "WHERE c.server_id = ?1 AND c.type NOT IN (10, 11, 12) "
                               "ORDER BY c.position, c.id");
      if (!stmt) return stmt.error();
      stmt->BindId(1, guild_id);
      while (true) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        index[stmt->Id(0)] = channels.size();
        channels.push_back(ReadChannel(*stmt));
      }
    }
    auto ow = conn.Prepare(
        "SELECT o.channel_id, o.target_id, o.type, o.allow, o.deny FROM channel_overwrites o "
        "JOIN channels c ON c.id = o.channel_id WHERE c.server_id = ?1 "
        "AND c.type NOT IN (10, 11, 12) "
        "ORDER BY o.channel_id, o.target_id");
    if (!ow) return ow.error();
    ow->BindId(1, guild_id);
    while (true) {
      auto row = ow->Step();
      if (!row) return row.error();
      if (!*row) return channels;
      auto it = index.find(ow->Id(0));
      if (it != index.end()) channels[it->second].overwrites.push_back(ReadOverwrite(*ow, 1));
    }
  });
}

Result<domain::Channel> SqliteStore::UpdateChannel(domain::Snowflake id,
                                                   const ChannelUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    auto current = LoadChannel(conn, id);
    if (!current) return current.error();
    if (update.parent_id && *update.parent_id) {
      if (**update.parent_id == id) return UnknownChannel();  // its own parent
      if (auto r = CheckParent(conn, current->guild_id, *update.parent_id); !r) return r.error();
    }
    auto stmt = conn.Prepare(
        "UPDATE channels SET "
        "name = CASE WHEN ?2 THEN ?3 ELSE name END, "
        "type = CASE WHEN ?4 THEN ?5 ELSE type END, "
        "position = CASE WHEN ?6 THEN ?7 ELSE position END, "
        "parent_id = CASE WHEN ?8 THEN ?9 ELSE parent_id END, "
        "topic = CASE WHEN ?10 THEN ?11 ELSE topic END, "
        "nsfw = CASE WHEN ?12 THEN ?13 ELSE nsfw END, "
        "rate_limit_per_user = CASE WHEN ?14 THEN ?15 ELSE rate_limit_per_user END, "
        "bitrate = CASE WHEN ?16 THEN ?17 ELSE bitrate END, "
        "user_limit = CASE WHEN ?18 THEN ?19 ELSE user_limit END, "
        "forum = CASE WHEN ?20 THEN ?21 ELSE forum END, "
        "flags = CASE WHEN ?22 THEN ?23 ELSE flags END "
        "WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    BindPatchText(*stmt, 2, update.name);
    std::optional<int> type;
    if (update.type) type = static_cast<int>(*update.type);
    BindPatchInt(*stmt, 4, type);
    BindPatchInt(*stmt, 6, update.position);
    BindPatchId(*stmt, 8, update.parent_id);
    BindPatchText(*stmt, 10, update.topic);
    BindPatchBool(*stmt, 12, update.nsfw);
    BindPatchInt(*stmt, 14, update.rate_limit_per_user);
    BindPatchInt(*stmt, 16, update.bitrate);
    BindPatchInt(*stmt, 18, update.user_limit);
    BindPatchText(*stmt, 20, update.forum_json);
    BindPatchInt(*stmt, 22, update.flags);
    if (auto r = stmt->Run(); !r) return r.error();
    if (update.overwrites) {
      auto clear = conn.Prepare("DELETE FROM channel_overwrites WHERE channel_id = ?1");
      if (!clear) return clear.error();
      clear->BindId(1, id);
      if (auto r = clear->Run(); !r) return r.error();
      if (auto r = InsertOverwrites(conn, id, *update.overwrites); !r) return r.error();
    }
    return LoadChannel(conn, id);
  });
}

Result<void> SqliteStore::SetChannelPositions(domain::Snowflake guild_id,
                                              std::span<const ChannelPosition> positions) {
  return Write([&](Connection& conn) -> Result<void> {
    for (const ChannelPosition& p : positions) {
      if (p.parent_id && *p.parent_id) {
        if (**p.parent_id == p.id) return UnknownChannel();
        if (auto r = CheckParent(conn, guild_id, *p.parent_id); !r) return r;
      }
      auto stmt = conn.Prepare(
          "UPDATE channels SET position = ?3, parent_id = CASE WHEN ?4 THEN ?5 ELSE parent_id END "
          "WHERE id = ?1 AND server_id = ?2 AND type NOT IN (10, 11, 12)");
      if (!stmt) return stmt.error();
      stmt->BindId(1, p.id).BindId(2, guild_id).BindInt(3, p.position);
      BindPatchId(*stmt, 4, p.parent_id);
      if (auto r = stmt->Run(); !r) return r;
      if (stmt->Changes() == 0) return UnknownChannel();  // rolls back the whole batch
    }
    return {};
  });
}

Result<void> SqliteStore::DeleteChannel(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    // A thread's starter message (the one with its id) loses HAS_THREAD when the thread goes.
    auto starter = conn.Prepare(
        "UPDATE messages SET flags = flags & ~32 WHERE id = ?1 "
        "AND EXISTS (SELECT 1 FROM threads WHERE channel_id = ?1)");
    if (!starter) return starter.error();
    starter->BindId(1, id);
    if (auto r = starter->Run(); !r) return r;
    // Its threads go with it (the parent_id key would only orphan them).
    auto threads =
        conn.Prepare("DELETE FROM channels WHERE parent_id = ?1 AND type IN (10, 11, 12)");
    if (!threads) return threads.error();
    threads->BindId(1, id);
    if (auto r = threads->Run(); !r) return r;
    auto stmt = conn.Prepare("DELETE FROM channels WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownChannel();
    return {};
  });
}

Result<void> SqliteStore::PutOverwrite(domain::Snowflake channel_id,
                                       const domain::PermissionOverwrite& o) {
  return Write([&](Connection& conn) -> Result<void> {
    auto exists = ChannelExists(conn, channel_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownChannel();
    auto stmt = conn.Prepare(
        "INSERT INTO channel_overwrites (channel_id, target_id, type, allow, deny) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (channel_id, target_id) DO UPDATE SET "
        "type = excluded.type, allow = excluded.allow, deny = excluded.deny");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id)
        .BindId(2, o.id)
        .BindInt(3, static_cast<int>(o.type))
        .BindInt(4, static_cast<std::int64_t>(o.allow))
        .BindInt(5, static_cast<std::int64_t>(o.deny));
    return stmt->Run();
  });
}

Result<void> SqliteStore::DeleteOverwrite(domain::Snowflake channel_id,
                                          domain::Snowflake target_id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto exists = ChannelExists(conn, channel_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownChannel();
    auto stmt =
        conn.Prepare("DELETE FROM channel_overwrites WHERE channel_id = ?1 AND target_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id).BindId(2, target_id);
    return stmt->Run();
  });
}

Result<std::optional<domain::Channel>> SqliteStore::FindDmChannel(domain::Snowflake user_a,
                                                                  domain::Snowflake user_b) {
  return Read([&](Connection& conn) -> Result<std::optional<domain::Channel>> {
    domain::Snowflake id = 0;
    {
      auto stmt = conn.Prepare(
          "SELECT c.id FROM channels c "
          "JOIN channel_recipients a ON a.channel_id = c.id AND a.user_id = ?1 "
          "JOIN channel_recipients b ON b.channel_id = c.id AND b.user_id = ?2 "
          "WHERE c.type = 1 ORDER BY c.id LIMIT 1");
      if (!stmt) return stmt.error();
      stmt->BindId(1, user_a).BindId(2, user_b);
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return std::optional<domain::Channel>();
      id = stmt->Id(0);
    }
    auto channel = LoadChannel(conn, id);
    if (!channel) return channel.error();
    return std::optional<domain::Channel>(std::move(*channel));
  });
}

Result<std::vector<domain::Channel>> SqliteStore::ListDmChannels(domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Channel>> {
    std::vector<domain::Snowflake> ids;
    {
      auto stmt = conn.Prepare(
          "SELECT r.channel_id FROM channel_recipients r JOIN channels c ON c.id = r.channel_id "
          "WHERE r.user_id = ?1 AND c.server_id IS NULL ORDER BY r.channel_id");
      if (!stmt) return stmt.error();
      stmt->BindId(1, user_id);
      while (true) {
        auto row = stmt->Step();
        if (!row) return row.error();
        if (!*row) break;
        ids.push_back(stmt->Id(0));
      }
    }
    std::vector<domain::Channel> channels;
    for (domain::Snowflake id : ids) {
      auto channel = LoadChannel(conn, id);
      if (!channel) return channel.error();
      channels.push_back(std::move(*channel));
    }
    return channels;
  });
}

}  // namespace chat::store::sqlite
