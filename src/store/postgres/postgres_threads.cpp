// ThreadStore over PostgreSQL: a thread is a channels row plus a threads row; thread_members lists
// who joined. Threads are read like channels (postgres_channels.cpp reads the metadata and counts
// in the channel's one statement).
#include "store/errors.hpp"
#include "store/id_list.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectThreadMember =
    "SELECT channel_id, user_id, joined_at, flags FROM thread_members ";

Result<std::vector<domain::ThreadMember>> ReadMembers(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<domain::ThreadMember> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back({r.Id(0), r.Id(1), r.Int(2), static_cast<int>(r.Int(3))});
  }
  return out;
}

Result<bool> IsThreadRow(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM threads WHERE channel_id = $1", Params().Id(id));
}

Result<bool> InsertThreadMember(Connection& conn, const domain::ThreadMember& m) {
  auto rows = conn.Query(
      "INSERT INTO thread_members (channel_id, user_id, joined_at, flags) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
      Params().Id(m.thread_id).Id(m.user_id).Int(m.join_timestamp_ms).Int(m.flags));
  if (!rows) return rows.error();
  return rows->Affected() > 0;
}

}  // namespace

Result<bool> IsThreadMember(Connection& conn, domain::Snowflake thread_id,
                            domain::Snowflake user_id) {
  return RowExists(conn, "SELECT 1 FROM thread_members WHERE channel_id = $1 AND user_id = $2",
                   Params().Id(thread_id).Id(user_id));
}

Result<void> PostgresStore::CreateThread(const domain::Channel& thread,
                                         const std::vector<domain::ThreadMember>& members) {
  if (!thread.guild_id || !thread.parent_id || !thread.thread) return UnknownChannel();
  return Write([&](Connection& conn) -> Result<void> {
    auto parent = RowExists(conn,
                            "SELECT 1 FROM channels WHERE id = $1 AND server_id = $2 "
                            "AND type NOT IN (10, 11, 12)",
                            Params().Id(*thread.parent_id).Id(*thread.guild_id));
    if (!parent) return parent.error();
    if (!*parent) return UnknownChannel();
    if (auto r = InsertChannel(conn, thread); !r) return r;
    const domain::ThreadMetadata& t = *thread.thread;
    auto rows = conn.Query(
        "INSERT INTO threads (channel_id, owner_id, archived, locked, auto_archive_duration, "
        "archive_timestamp, invitable, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Params()
            .Id(thread.id)
            .Id(t.owner_id)
            .Bool(t.archived)
            .Bool(t.locked)
            .Int(t.auto_archive_duration)
            .Int(t.archive_timestamp_ms)
            .Bool(t.invitable)
            .Int(t.create_timestamp_ms));
    if (!rows) return rows.error();
    for (const auto& m : members) {
      if (auto r = InsertThreadMember(conn, m); !r) return r.error();
    }
    // A thread started from a message marks it HAS_THREAD (1 << 5), as Discord does.
    auto starter =
        conn.Query("UPDATE messages SET flags = flags | 32 WHERE id = $1 AND channel_id = $2",
                   Params().Id(thread.id).Id(*thread.parent_id));
    if (!starter) return starter.error();
    return {};
  });
}

Result<domain::Channel> PostgresStore::UpdateThread(domain::Snowflake id,
                                                    const ThreadUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    auto exists = IsThreadRow(conn, id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownChannel();
    Params channel;
    channel.Id(id);
    PatchText(channel, update.name);
    PatchInt(channel, update.rate_limit_per_user);
    std::optional<std::string> tags;
    if (update.applied_tags) tags = JoinIds(*update.applied_tags);
    PatchText(channel, tags);
    auto c = conn.Query(
        "UPDATE channels SET name = CASE WHEN $2 THEN $3 ELSE name END, "
        "rate_limit_per_user = CASE WHEN $4 THEN $5::integer ELSE rate_limit_per_user END, "
        "applied_tags = CASE WHEN $6 THEN $7 ELSE applied_tags END "
        "WHERE id = $1",
        channel);
    if (!c) return c.error();
    Params params;
    params.Id(id);
    PatchBool(params, update.archived);
    PatchBool(params, update.locked);
    PatchInt(params, update.auto_archive_duration);
    PatchBool(params, update.invitable);
    params.Int(update.now_ms);
    auto t = conn.Query(
        "UPDATE threads SET "
        "archive_timestamp = CASE WHEN $2 AND archived <> $3::boolean THEN $10 "
        "ELSE archive_timestamp END, "
        "archived = CASE WHEN $2 THEN $3::boolean ELSE archived END, "
        "locked = CASE WHEN $4 THEN $5::boolean ELSE locked END, "
        "auto_archive_duration = CASE WHEN $6 THEN $7::integer ELSE auto_archive_duration END, "
        "invitable = CASE WHEN $8 THEN $9::boolean ELSE invitable END WHERE channel_id = $1",
        params);
    if (!t) return t.error();
    return LoadChannel(conn, id);
  });
}

Result<bool> PostgresStore::AddThreadMember(const domain::ThreadMember& member) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto found = conn.Query(
        "SELECT EXISTS (SELECT 1 FROM threads WHERE channel_id = $1), "
        "EXISTS (SELECT 1 FROM users WHERE id = $2)",
        Params().Id(member.thread_id).Id(member.user_id));
    if (!found) return found.error();
    if (!(*found)[0].Bool(0)) return UnknownChannel();
    if (!(*found)[0].Bool(1)) return UnknownUser();
    return InsertThreadMember(conn, member);
  });
}

Result<bool> PostgresStore::RemoveThreadMember(domain::Snowflake thread_id,
                                               domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<bool> {
    auto rows = conn.Query("DELETE FROM thread_members WHERE channel_id = $1 AND user_id = $2",
                           Params().Id(thread_id).Id(user_id));
    if (!rows) return rows.error();
    return rows->Affected() > 0;
  });
}

Result<std::optional<domain::ThreadMember>> PostgresStore::GetThreadMember(
    domain::Snowflake thread_id, domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<std::optional<domain::ThreadMember>> {
    auto found = ReadMembers(
        conn.Query(std::string(kSelectThreadMember) + "WHERE channel_id = $1 AND user_id = $2",
                   Params().Id(thread_id).Id(user_id)));
    if (!found) return found.error();
    if (found->empty()) return std::optional<domain::ThreadMember>();
    return std::optional<domain::ThreadMember>(found->front());
  });
}

Result<std::vector<domain::ThreadMember>> PostgresStore::ListThreadMembers(
    domain::Snowflake thread_id) {
  return Auto([&](Connection& conn) {
    return ReadMembers(
        conn.Query(std::string(kSelectThreadMember) + "WHERE channel_id = $1 ORDER BY user_id",
                   Params().Id(thread_id)));
  });
}

Result<std::vector<domain::Channel>> PostgresStore::ListActiveThreads(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return FindChannels(conn,
                        "WHERE c.server_id = $1 AND EXISTS (SELECT 1 FROM threads t "
                        "WHERE t.channel_id = c.id AND NOT t.archived) ORDER BY c.id",
                        Params().Id(guild_id));
  });
}

Result<std::vector<ThreadAccessRow>> PostgresStore::ListThreadAccess(domain::Snowflake guild_id,
                                                                     domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<std::vector<ThreadAccessRow>> {
    auto rows = conn.Query(
        "SELECT c.id, c.parent_id, c.type, t.locked, EXISTS (SELECT 1 FROM thread_members m "
        "WHERE m.channel_id = c.id AND m.user_id = $2) FROM channels c "
        "JOIN threads t ON t.channel_id = c.id WHERE c.server_id = $1 ORDER BY c.id",
        Params().Id(guild_id).Id(user_id));
    if (!rows) return rows.error();
    std::vector<ThreadAccessRow> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int i = 0; i < rows->size(); ++i) {
      const Row r = (*rows)[i];
      out.push_back({r.Id(0), r.OptId(1).value_or(0), static_cast<domain::ChannelType>(r.Int(2)),
                     r.Bool(3), r.Bool(4)});
    }
    return out;
  });
}

Result<std::vector<domain::ThreadMember>> PostgresStore::ListJoinedActiveThreads(
    domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Auto([&](Connection& conn) {
    return ReadMembers(conn.Query(
        "SELECT m.channel_id, m.user_id, m.joined_at, m.flags FROM thread_members m "
        "JOIN threads t ON t.channel_id = m.channel_id JOIN channels c ON c.id = m.channel_id "
        "WHERE m.user_id = $2 AND c.server_id = $1 AND NOT t.archived ORDER BY m.channel_id",
        Params().Id(guild_id).Id(user_id)));
  });
}

Result<std::vector<domain::Channel>> PostgresStore::ListArchivedThreads(
    const ArchivedThreadQuery& q) {
  return Auto([&](Connection& conn) {
    return FindChannels(conn,
                        "JOIN threads t ON t.channel_id = c.id "
                        "WHERE c.parent_id = $1 AND t.archived AND (c.type = 12) = $2::boolean "
                        "AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM thread_members m "
                        "WHERE m.channel_id = c.id AND m.user_id = $3::bigint)) "
                        "AND ($4::bigint IS NULL OR t.archive_timestamp < $4::bigint) "
                        "AND ($6::bigint IS NULL OR c.id < $6::bigint) "
                        "ORDER BY CASE WHEN $3::bigint IS NULL THEN t.archive_timestamp "
                        "ELSE c.id END DESC, c.id DESC LIMIT $5",
                        Params()
                            .Id(q.parent_id)
                            .Bool(q.private_threads)
                            .OptId(q.member_id)
                            .OptInt(q.before_ms)
                            .Int(q.limit)
                            .OptId(q.before_id));
  });
}

Result<std::vector<domain::Channel>> PostgresStore::ArchiveIdleThreads(std::int64_t now_ms,
                                                                       int limit) {
  return Write([&](Connection& conn) -> Result<std::vector<domain::Channel>> {
    // The last activity: the newest message (kept by a trigger) or the last (re)opening. The
    // test is on the thread's own row, so a message inserted meanwhile (its trigger locks and
    // changes the row) is seen when the update re-checks the row after the lock; the conditional
    // update archives each thread once, whichever node's sweep gets there first.
    auto rows = conn.Query(
        "UPDATE threads t SET archived = true, archive_timestamp = $1 "
        "WHERE t.channel_id IN (SELECT i.channel_id FROM threads i WHERE NOT i.archived AND "
        "GREATEST(i.archive_timestamp, i.last_message_at) + i.auto_archive_duration * "
        "60000::bigint "
        "<= $1 ORDER BY i.channel_id LIMIT $2) AND NOT t.archived AND "
        "GREATEST(t.archive_timestamp, t.last_message_at) + t.auto_archive_duration * "
        "60000::bigint "
        "<= $1 RETURNING t.channel_id",
        Params().Int(now_ms).Int(limit));
    if (!rows) return rows.error();
    std::vector<domain::Channel> out;
    for (int i = 0; i < rows->size(); ++i) {
      auto c = LoadChannel(conn, (*rows)[i].Id(0));
      if (!c) return c.error();
      out.push_back(std::move(*c));
    }
    return out;
  });
}

}  // namespace chat::store::postgres
