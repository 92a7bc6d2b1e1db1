// ChannelStore over PostgreSQL: channels, channel_overwrites and channel_recipients. A channel
// is read in one statement: its overwrites, DM recipients and thread metadata come along as
// arrays, and last_message_id from the (channel_id, id DESC) index, so it never goes stale.
#include <vector>

#include "store/errors.hpp"
#include "store/id_list.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectChannel =
    "SELECT c.id, c.server_id, c.type, c.name, c.position, c.parent_id, c.topic, c.nsfw, "
    "c.rate_limit_per_user, c.bitrate, c.user_limit, "
    "(SELECT m.id FROM messages m WHERE m.channel_id = c.id ORDER BY m.id DESC LIMIT 1), "
    "ARRAY(SELECT ARRAY[o.target_id, o.type, o.allow, o.deny] FROM channel_overwrites o "
    "WHERE o.channel_id = c.id ORDER BY o.target_id), "
    "CASE WHEN c.server_id IS NULL THEN ARRAY(SELECT r.user_id FROM channel_recipients r "
    "WHERE r.channel_id = c.id ORDER BY r.user_id) END, "
    "(SELECT ARRAY[t.owner_id, t.archived::int, t.locked::int, t.auto_archive_duration, "
    "t.archive_timestamp, t.invitable::int, t.created_at, "
    "t.message_count, "
    "(SELECT count(*) FROM thread_members tm WHERE tm.channel_id = c.id)]::bigint[] "
    "FROM threads t WHERE t.channel_id = c.id), "
    "c.flags, c.forum, c.applied_tags, c.owner_id, c.icon_hash "
    "FROM channels c ";

domain::Channel ReadChannel(const Row& r) {
  domain::Channel c;
  c.id = r.Id(0);
  c.guild_id = r.OptId(1);
  c.type = static_cast<domain::ChannelType>(r.Int(2));
  c.name = r.Text(3);
  c.position = static_cast<int>(r.Int(4));
  c.parent_id = r.OptId(5);
  c.topic = r.OptText(6);
  c.nsfw = r.Bool(7);
  c.rate_limit_per_user = static_cast<int>(r.Int(8));
  c.bitrate = static_cast<int>(r.Int(9));
  c.user_limit = static_cast<int>(r.Int(10));
  c.last_message_id = r.OptId(11);
  // A two-dimensional array, flattened: (target, type, allow, deny) per overwrite.
  const std::vector<std::int64_t> ow = r.IntArray(12);
  for (std::size_t i = 0; i + 3 < ow.size(); i += 4) {
    c.overwrites.push_back(
        {static_cast<domain::Snowflake>(ow[i]), static_cast<domain::OverwriteType>(ow[i + 1]),
         static_cast<std::uint64_t>(ow[i + 2]), static_cast<std::uint64_t>(ow[i + 3])});
  }
  c.recipient_ids = r.IdArray(13);
  // A thread's metadata and counts, flattened; NULL for other channels.
  const std::vector<std::int64_t> t = r.IntArray(14);
  if (t.size() == 9) {
    domain::ThreadMetadata m;
    m.owner_id = static_cast<domain::Snowflake>(t[0]);
    m.archived = t[1] != 0;
    m.locked = t[2] != 0;
    m.auto_archive_duration = static_cast<int>(t[3]);
    m.archive_timestamp_ms = t[4];
    m.invitable = t[5] != 0;
    m.create_timestamp_ms = t[6];
    m.message_count = static_cast<int>(t[7]);
    m.member_count = static_cast<int>(t[8]);
    c.thread = m;
  } else if (domain::IsThread(c.type)) {
    c.thread = domain::ThreadMetadata{};
  }
  c.flags = static_cast<int>(r.Int(15));
  c.forum_json = r.OptText(16);
  c.applied_tags = SplitIds(r.Text(17));
  c.owner_id = r.OptId(18);
  c.icon_hash = r.OptText(19).value_or("");
  return c;
}

// A parent must be a channel of the same guild.
Result<void> CheckParent(Connection& conn, std::optional<domain::Snowflake> guild_id,
                         std::optional<domain::Snowflake> parent_id) {
  if (!parent_id) return {};
  if (!guild_id) return UnknownChannel();
  auto exists = RowExists(conn, "SELECT 1 FROM channels WHERE id = $1 AND server_id = $2",
                          Params().Id(*parent_id).Id(*guild_id));
  if (!exists) return exists.error();
  if (!*exists) return UnknownChannel();
  return {};
}

// One statement for all of them.
Result<void> InsertOverwrites(Connection& conn, domain::Snowflake channel_id,
                              const std::vector<domain::PermissionOverwrite>& overwrites) {
  if (overwrites.empty()) return {};
  std::vector<std::int64_t> targets, types, allows, denies;
  for (const domain::PermissionOverwrite& o : overwrites) {
    targets.push_back(static_cast<std::int64_t>(o.id));
    types.push_back(static_cast<int>(o.type));
    allows.push_back(static_cast<std::int64_t>(o.allow));
    denies.push_back(static_cast<std::int64_t>(o.deny));
  }
  auto ow = conn.Query(
      "INSERT INTO channel_overwrites (channel_id, target_id, type, allow, deny) "
      "SELECT $1::bigint, * FROM unnest($2::bigint[], $3::integer[], $4::bigint[], "
      "$5::bigint[])",
      Params().Id(channel_id).IntArray(targets).IntArray(types).IntArray(allows).IntArray(denies));
  if (!ow) return ow.error();
  return {};
}

}  // namespace

Result<std::vector<domain::Channel>> FindChannels(Connection& conn, std::string_view where,
                                                  const Params& params) {
  auto rows = conn.Query(std::string(kSelectChannel) + std::string(where), params);
  if (!rows) return rows.error();
  std::vector<domain::Channel> channels;
  channels.reserve(rows->size());
  for (int i = 0; i < rows->size(); ++i) channels.push_back(ReadChannel((*rows)[i]));
  return channels;
}

Result<void> InsertChannel(Connection& conn, const domain::Channel& c) {
  auto rows = conn.Query(
      "INSERT INTO channels (id, server_id, type, name, position, parent_id, topic, nsfw, "
      "rate_limit_per_user, bitrate, user_limit, flags, forum, applied_tags, owner_id) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
      Params()
          .Id(c.id)
          .OptId(c.guild_id)
          .Int(static_cast<int>(c.type))
          .Text(c.name)
          .Int(c.position)
          .OptId(c.parent_id)
          .OptText(c.topic)
          .Bool(c.nsfw)
          .Int(c.rate_limit_per_user)
          .Int(c.bitrate)
          .Int(c.user_limit)
          .Int(c.flags)
          .OptText(c.forum_json)
          .Text(JoinIds(c.applied_tags))
          .OptId(c.owner_id));
  if (!rows) return rows.error();
  if (auto r = InsertOverwrites(conn, c.id, c.overwrites); !r) return r;
  if (!c.recipient_ids.empty()) {
    auto rc = conn.Query(
        "INSERT INTO channel_recipients (channel_id, user_id) "
        "SELECT DISTINCT $1::bigint, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
        Params().Id(c.id).IdArray(c.recipient_ids));
    if (!rc) return rc.error();
  }
  return {};
}

Result<domain::Channel> LoadChannel(Connection& conn, domain::Snowflake id) {
  auto channels = FindChannels(conn, "WHERE c.id = $1", Params().Id(id));
  if (!channels) return channels.error();
  if (channels->empty()) return UnknownChannel();
  return std::move(channels->front());
}

Result<void> PostgresStore::CreateChannel(const domain::Channel& channel) {
  return Write([&](Connection& conn) -> Result<void> {
    if (channel.guild_id) {
      auto guild = GuildExists(conn, *channel.guild_id);
      if (!guild) return guild.error();
      if (!*guild) return UnknownGuild();
    }
    if (auto r = CheckParent(conn, channel.guild_id, channel.parent_id); !r) return r;
    if (!channel.recipient_ids.empty()) {
      // count(*) counts each user once, so a repeated recipient must not read as unknown.
      auto distinct = conn.Query(
          "SELECT count(*) = (SELECT count(DISTINCT u) FROM unnest($1::bigint[]) AS u) "
          "FROM users WHERE id = ANY($1::bigint[])",
          Params().IdArray(channel.recipient_ids));
      if (!distinct) return distinct.error();
      if (!(*distinct)[0].Bool(0)) return UnknownUser();
    }
    return InsertChannel(conn, channel);
  });
}

Result<domain::Channel> PostgresStore::GetChannel(domain::Snowflake id) {
  return Auto([&](Connection& conn) { return LoadChannel(conn, id); });
}

Result<std::vector<domain::Channel>> PostgresStore::ListChannels(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return FindChannels(conn,
                        "WHERE c.server_id = $1 AND c.type NOT IN (10, 11, 12) "
                        "ORDER BY c.position, c.id",
                        Params().Id(guild_id));
  });
}

Result<domain::Channel> PostgresStore::UpdateChannel(domain::Snowflake id,
                                                     const ChannelUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    auto current = LoadChannel(conn, id);
    if (!current) return current.error();
    if (update.parent_id && *update.parent_id) {
      if (**update.parent_id == id) return UnknownChannel();  // its own parent
      if (auto r = CheckParent(conn, current->guild_id, *update.parent_id); !r) return r.error();
    }
    Params params;
    params.Id(id);
    PatchText(params, update.name);
    std::optional<int> type;
    if (update.type) type = static_cast<int>(*update.type);
    PatchInt(params, type);
    PatchInt(params, update.position);
    PatchNullableInt(params, update.parent_id);
    PatchText(params, update.topic);
    PatchBool(params, update.nsfw);
    PatchInt(params, update.rate_limit_per_user);
    PatchInt(params, update.bitrate);
    PatchInt(params, update.user_limit);
    PatchText(params, update.forum_json);
    PatchInt(params, update.flags);
    auto rows = conn.Query(
        "UPDATE channels SET "
        "name = CASE WHEN $2 THEN $3 ELSE name END, "
        "type = CASE WHEN $4 THEN $5 ELSE type END, "
        "position = CASE WHEN $6 THEN $7 ELSE position END, "
        "parent_id = CASE WHEN $8 THEN $9 ELSE parent_id END, "
        "topic = CASE WHEN $10 THEN $11 ELSE topic END, "
        "nsfw = CASE WHEN $12 THEN $13 ELSE nsfw END, "
        "rate_limit_per_user = CASE WHEN $14 THEN $15 ELSE rate_limit_per_user END, "
        "bitrate = CASE WHEN $16 THEN $17 ELSE bitrate END, "
        "user_limit = CASE WHEN $18 THEN $19 ELSE user_limit END, "
        "forum = CASE WHEN $20 THEN $21 ELSE forum END, "
        "flags = CASE WHEN $22 THEN $23 ELSE flags END "
        "WHERE id = $1",
        params);
    if (!rows) return rows.error();
    if (update.overwrites) {
      auto clear =
          conn.Query("DELETE FROM channel_overwrites WHERE channel_id = $1", Params().Id(id));
      if (!clear) return clear.error();
      if (auto r = InsertOverwrites(conn, id, *update.overwrites); !r) return r.error();
    }
    return LoadChannel(conn, id);
  });
}

Result<void> PostgresStore::SetChannelPositions(domain::Snowflake guild_id,
                                                std::span<const ChannelPosition> positions) {
  return Write([&](Connection& conn) -> Result<void> {
    for (const ChannelPosition& p : positions) {
      if (p.parent_id && *p.parent_id) {
        if (**p.parent_id == p.id) return UnknownChannel();
        if (auto r = CheckParent(conn, guild_id, *p.parent_id); !r) return r;
      }
      Params params;
      params.Id(p.id).Id(guild_id).Int(p.position);
      PatchNullableInt(params, p.parent_id);
      auto rows = conn.Query(
          "UPDATE channels SET position = $3, parent_id = CASE WHEN $4 THEN $5 ELSE parent_id END "
          "WHERE id = $1 AND server_id = $2 AND type NOT IN (10, 11, 12)",
          params);
      if (!rows) return rows.error();
      if (rows->Affected() == 0) return UnknownChannel();  // rolls back the whole batch
    }
    return {};
  });
}

Result<void> PostgresStore::DeleteChannel(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    // A thread's starter message (the one with its id) loses HAS_THREAD when the thread goes.
    auto starter = conn.Query(
        "UPDATE messages SET flags = flags & ~32 WHERE id = $1 "
        "AND EXISTS (SELECT 1 FROM threads WHERE channel_id = $1)",
        Params().Id(id));
    if (!starter) return starter.error();
    // Its threads go with it (the parent_id key would only orphan them).
    auto threads = conn.Query("DELETE FROM channels WHERE parent_id = $1 AND type IN (10, 11, 12)",
                              Params().Id(id));
    if (!threads) return threads.error();
    auto rows = conn.Query("DELETE FROM channels WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownChannel();
    return {};
  });
}

Result<void> PostgresStore::PutOverwrite(domain::Snowflake channel_id,
                                         const domain::PermissionOverwrite& o) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto exists = ChannelExists(conn, channel_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownChannel();
    auto rows = conn.Query(
        "INSERT INTO channel_overwrites (channel_id, target_id, type, allow, deny) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, target_id) DO UPDATE SET "
        "type = excluded.type, allow = excluded.allow, deny = excluded.deny",
        Params()
            .Id(channel_id)
            .Id(o.id)
            .Int(static_cast<int>(o.type))
            .Int(static_cast<std::int64_t>(o.allow))
            .Int(static_cast<std::int64_t>(o.deny)));
    if (!rows) return rows.error();
    return {};
  });
}

Result<void> PostgresStore::DeleteOverwrite(domain::Snowflake channel_id,
                                            domain::Snowflake target_id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto exists = ChannelExists(conn, channel_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownChannel();
    auto rows =
        conn.Query("DELETE FROM channel_overwrites WHERE channel_id = $1 AND target_id = $2",
                   Params().Id(channel_id).Id(target_id));
    if (!rows) return rows.error();
    return {};
  });
}

Result<std::optional<domain::Channel>> PostgresStore::FindDmChannel(domain::Snowflake user_a,
                                                                    domain::Snowflake user_b) {
  return Auto([&](Connection& conn) -> Result<std::optional<domain::Channel>> {
    auto channels =
        FindChannels(conn,
                     "WHERE c.type = 1 "
                     "AND EXISTS (SELECT 1 FROM channel_recipients a WHERE a.channel_id = c.id "
                     "AND a.user_id = $1) "
                     "AND EXISTS (SELECT 1 FROM channel_recipients b WHERE b.channel_id = c.id "
                     "AND b.user_id = $2) "
                     "ORDER BY c.id LIMIT 1",
                     Params().Id(user_a).Id(user_b));
    if (!channels) return channels.error();
    if (channels->empty()) return std::optional<domain::Channel>();
    return std::optional<domain::Channel>(std::move(channels->front()));
  });
}

Result<std::vector<domain::Channel>> PostgresStore::ListDmChannels(domain::Snowflake user_id) {
  return Auto([&](Connection& conn) {
    return FindChannels(conn,
                        "JOIN channel_recipients me ON me.channel_id = c.id "
                        "WHERE me.user_id = $1 AND c.server_id IS NULL ORDER BY c.id",
                        Params().Id(user_id));
  });
}

}  // namespace chat::store::postgres
