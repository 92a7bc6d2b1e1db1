// ThreadStore over SQLite: a thread is a channels row plus a threads row; thread_members lists who
// joined. message_count is kept by triggers on messages (migration 0015); member_count is counted
// when a thread is read (on the thread_members key), so neither goes stale.
#include "store/errors.hpp"
#include "store/id_list.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

domain::ThreadMember ReadThreadMember(const Statement& s) {
  return {s.Id(0), s.Id(1), s.Int(2), static_cast<int>(s.Int(3))};
}

constexpr std::string_view kSelectThreadMember =
    "SELECT channel_id, user_id, joined_at, flags FROM thread_members ";

Result<std::vector<domain::ThreadMember>> ThreadMembers(Statement& stmt) {
  std::vector<domain::ThreadMember> out;
  for (;;) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(ReadThreadMember(stmt));
  }
}

Result<std::vector<domain::Channel>> LoadIds(Connection& conn, Statement& stmt) {
  std::vector<domain::Snowflake> ids;
  for (;;) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) break;
    ids.push_back(stmt.Id(0));
  }
  std::vector<domain::Channel> out;
  for (domain::Snowflake id : ids) {
    auto c = LoadChannel(conn, id);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

Result<bool> IsThreadRow(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM threads WHERE channel_id = ?1", id);
}

Result<bool> InsertThreadMember(Connection& conn, const domain::ThreadMember& m) {
  auto stmt = conn.Prepare(
      "INSERT OR IGNORE INTO thread_members (channel_id, user_id, joined_at, flags) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!stmt) return stmt.error();
  stmt->BindId(1, m.thread_id).BindId(2, m.user_id).BindInt(3, m.join_timestamp_ms);
  stmt->BindInt(4, m.flags);
  if (auto r = stmt->Run(); !r) return r.error();
  return stmt->Changes() > 0;
}

}  // namespace

Result<void> LoadThreadMetadata(Connection& conn, domain::Channel& channel) {
  auto stmt = conn.Prepare(
      "SELECT owner_id, archived, locked, auto_archive_duration, archive_timestamp, invitable, "
      "created_at, message_count, "
      "(SELECT count(*) FROM thread_members WHERE channel_id = ?1) "
      "FROM threads WHERE channel_id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, channel.id);
  auto row = stmt->Step();
  if (!row) return row.error();
  domain::ThreadMetadata t;
  if (*row) {
    t.owner_id = stmt->Id(0);
    t.archived = stmt->Bool(1);
    t.locked = stmt->Bool(2);
    t.auto_archive_duration = static_cast<int>(stmt->Int(3));
    t.archive_timestamp_ms = stmt->Int(4);
    t.invitable = stmt->Bool(5);
    t.create_timestamp_ms = stmt->Int(6);
    t.message_count = static_cast<int>(stmt->Int(7));
    t.member_count = static_cast<int>(stmt->Int(8));
  }
  channel.thread = t;
  return {};
}

Result<bool> IsThreadMember(Connection& conn, domain::Snowflake thread_id,
                            domain::Snowflake user_id) {
  return RowExists(conn, "SELECT 1 FROM thread_members WHERE channel_id = ?1 AND user_id = ?2",
                   thread_id, user_id);
}

Result<void> SqliteStore::CreateThread(const domain::Channel& thread,
                                       const std::vector<domain::ThreadMember>& members) {
  if (!thread.guild_id || !thread.parent_id || !thread.thread) return UnknownChannel();
  return Write([&](Connection& conn) -> Result<void> {
    auto parent = RowExists(conn,
                            "SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2 "
                            "AND type NOT IN (10, 11, 12)",
                            *thread.parent_id, *thread.guild_id);
    if (!parent) return parent.error();
    if (!*parent) return UnknownChannel();
    if (auto r = InsertChannel(conn, thread); !r) return r;
    const domain::ThreadMetadata& t = *thread.thread;
    auto stmt = conn.Prepare(
        "INSERT INTO threads (channel_id, owner_id, archived, locked, auto_archive_duration, "
        "archive_timestamp, invitable, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, thread.id).BindId(2, t.owner_id).BindBool(3, t.archived);
    stmt->BindBool(4, t.locked).BindInt(5, t.auto_archive_duration);
    stmt->BindInt(6, t.archive_timestamp_ms).BindBool(7, t.invitable);
    stmt->BindInt(8, t.create_timestamp_ms);
    if (auto r = stmt->Run(); !r) return r;
    for (const auto& m : members) {
      if (auto r = InsertThreadMember(conn, m); !r) return r.error();
    }
    // A thread started from a message marks it HAS_THREAD (1 << 5), as Discord does.
    auto starter =
        conn.Prepare("UPDATE messages SET flags = flags | 32 WHERE id = ?1 AND channel_id = ?2");
    if (!starter) return starter.error();
    starter->BindId(1, thread.id).BindId(2, *thread.parent_id);
    return starter->Run();
  });
}

Result<domain::Channel> SqliteStore::UpdateThread(domain::Snowflake id,
                                                  const ThreadUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    auto exists = IsThreadRow(conn, id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownChannel();
    auto channel = conn.Prepare(
        "UPDATE channels SET name = CASE WHEN ?2 THEN ?3 ELSE name END, "
        "rate_limit_per_user = CASE WHEN ?4 THEN ?5 ELSE rate_limit_per_user END, "
        "applied_tags = CASE WHEN ?6 THEN ?7 ELSE applied_tags END WHERE id = ?1");
    if (!channel) return channel.error();
    channel->BindId(1, id);
    BindPatchText(*channel, 2, update.name);
    BindPatchInt(*channel, 4, update.rate_limit_per_user);
    std::optional<std::string> tags;
    if (update.applied_tags) tags = JoinIds(*update.applied_tags);
    BindPatchText(*channel, 6, tags);
    if (auto r = channel->Run(); !r) return r.error();
    auto stmt = conn.Prepare(
        "UPDATE threads SET "
        "archive_timestamp = CASE WHEN ?2 AND archived <> ?3 THEN ?10 ELSE archive_timestamp END, "
        "archived = CASE WHEN ?2 THEN ?3 ELSE archived END, "
        "locked = CASE WHEN ?4 THEN ?5 ELSE locked END, "
        "auto_archive_duration = CASE WHEN ?6 THEN ?7 ELSE auto_archive_duration END, "
        "invitable = CASE WHEN ?8 THEN ?9 ELSE invitable END WHERE channel_id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    BindPatchBool(*stmt, 2, update.archived);
    BindPatchBool(*stmt, 4, update.locked);
    BindPatchInt(*stmt, 6, update.auto_archive_duration);
    BindPatchBool(*stmt, 8, update.invitable);
    stmt->BindInt(10, update.now_ms);
    if (auto r = stmt->Run(); !r) return r.error();
    return LoadChannel(conn, id);
  });
}

Result<bool> SqliteStore::AddThreadMember(const domain::ThreadMember& member) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto thread = IsThreadRow(conn, member.thread_id);
    if (!thread) return thread.error();
    if (!*thread) return UnknownChannel();
    auto user = UserExists(conn, member.user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    return InsertThreadMember(conn, member);
  });
}

Result<bool> SqliteStore::RemoveThreadMember(domain::Snowflake thread_id,
                                             domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt = conn.Prepare("DELETE FROM thread_members WHERE channel_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, thread_id).BindId(2, user_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() > 0;
  });
}

Result<std::optional<domain::ThreadMember>> SqliteStore::GetThreadMember(
    domain::Snowflake thread_id, domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<std::optional<domain::ThreadMember>> {
    auto stmt =
        conn.Prepare(std::string(kSelectThreadMember) + "WHERE channel_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, thread_id).BindId(2, user_id);
    auto found = ThreadMembers(*stmt);
    if (!found) return found.error();
    if (found->empty()) return std::optional<domain::ThreadMember>();
    return std::optional<domain::ThreadMember>(found->front());
  });
}

Result<std::vector<domain::ThreadMember>> SqliteStore::ListThreadMembers(
    domain::Snowflake thread_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::ThreadMember>> {
    auto stmt =
        conn.Prepare(std::string(kSelectThreadMember) + "WHERE channel_id = ?1 ORDER BY user_id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, thread_id);
    return ThreadMembers(*stmt);
  });
}

Result<std::vector<domain::Channel>> SqliteStore::ListActiveThreads(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Channel>> {
    auto stmt = conn.Prepare(
        "SELECT c.id FROM channels c JOIN threads t ON t.channel_id = c.id "
        "WHERE c.server_id = ?1 AND t.archived = 0 ORDER BY c.id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    return LoadIds(conn, *stmt);
  });
}

Result<std::vector<ThreadAccessRow>> SqliteStore::ListThreadAccess(domain::Snowflake guild_id,
                                                                   domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<std::vector<ThreadAccessRow>> {
    auto stmt = conn.Prepare(
        "SELECT c.id, c.parent_id, c.type, t.locked, EXISTS (SELECT 1 FROM thread_members m "
        "WHERE m.channel_id = c.id AND m.user_id = ?2) FROM channels c "
        "JOIN threads t ON t.channel_id = c.id WHERE c.server_id = ?1 ORDER BY c.id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id);
    std::vector<ThreadAccessRow> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back({stmt->Id(0), stmt->OptId(1).value_or(0),
                     static_cast<domain::ChannelType>(stmt->Int(2)), stmt->Bool(3), stmt->Bool(4)});
    }
  });
}

Result<std::vector<domain::ThreadMember>> SqliteStore::ListJoinedActiveThreads(
    domain::Snowflake guild_id, domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::ThreadMember>> {
    auto stmt = conn.Prepare(
        "SELECT m.channel_id, m.user_id, m.joined_at, m.flags FROM thread_members m "
        "JOIN threads t ON t.channel_id = m.channel_id JOIN channels c ON c.id = m.channel_id "
        "WHERE m.user_id = ?2 AND c.server_id = ?1 AND t.archived = 0 ORDER BY m.channel_id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id).BindId(2, user_id);
    return ThreadMembers(*stmt);
  });
}

Result<std::vector<domain::Channel>> SqliteStore::ListArchivedThreads(
    const ArchivedThreadQuery& q) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Channel>> {
    auto stmt = conn.Prepare(
        "SELECT c.id FROM channels c JOIN threads t ON t.channel_id = c.id "
        "WHERE c.parent_id = ?1 AND t.archived = 1 AND (c.type = 12) = ?2 "
        "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM thread_members m "
        "WHERE m.channel_id = c.id AND m.user_id = ?3)) "
        "AND (?4 IS NULL OR t.archive_timestamp < ?4) AND (?6 IS NULL OR c.id < ?6) "
        "ORDER BY CASE WHEN ?3 IS NULL THEN t.archive_timestamp ELSE c.id END DESC, c.id DESC "
        "LIMIT ?5");
    if (!stmt) return stmt.error();
    stmt->BindId(1, q.parent_id).BindBool(2, q.private_threads).BindOptId(3, q.member_id);
    stmt->BindOptInt(4, q.before_ms).BindInt(5, q.limit).BindOptId(6, q.before_id);
    return LoadIds(conn, *stmt);
  });
}

Result<std::vector<domain::Channel>> SqliteStore::ArchiveIdleThreads(std::int64_t now_ms,
                                                                     int limit) {
  return Write([&](Connection& conn) -> Result<std::vector<domain::Channel>> {
    // The last activity: the newest message (kept by a trigger) or the last (re)opening.
    auto idle = conn.Prepare(
        "SELECT channel_id FROM threads WHERE archived = 0 AND "
        "max(archive_timestamp, last_message_at) + auto_archive_duration * 60000 <= ?1 "
        "ORDER BY channel_id LIMIT ?2");
    if (!idle) return idle.error();
    idle->BindInt(1, now_ms).BindInt(2, limit);
    std::vector<domain::Snowflake> ids;
    for (;;) {
      auto row = idle->Step();
      if (!row) return row.error();
      if (!*row) break;
      ids.push_back(idle->Id(0));
    }
    std::vector<domain::Channel> out;
    for (domain::Snowflake id : ids) {
      auto stmt = conn.Prepare(
          "UPDATE threads SET archived = 1, archive_timestamp = ?2 "
          "WHERE channel_id = ?1 AND archived = 0");
      if (!stmt) return stmt.error();
      stmt->BindId(1, id).BindInt(2, now_ms);
      if (auto r = stmt->Run(); !r) return r.error();
      if (stmt->Changes() == 0) continue;
      auto c = LoadChannel(conn, id);
      if (!c) return c.error();
      out.push_back(std::move(*c));
    }
    return out;
  });
}

}  // namespace chat::store::sqlite
