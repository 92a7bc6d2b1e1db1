// MessageStore over SQLite: messages and their mention tables. Pages are read from the
// (channel_id, id DESC) index; a page is a contiguous id range of one channel, so its mentions
// come back in one range join rather than a query per message.
#include <algorithm>
#include <map>
#include <string>

#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr domain::Snowflake kNoUpperBound = 0x7fffffffffffffff;

constexpr std::string_view kSelectMessage =
    "SELECT id, channel_id, author_id, content, created_at, edited_at, type, flags, tts, pinned, "
    "mention_everyone, nonce, referenced_message_id, embeds, webhook_id, webhook_name, "
    "webhook_avatar, components, interaction, poll, forward, crosspost_message_id, "
    "crosspost_channel_id, crosspost_guild_id, stickers FROM messages ";

domain::Message ReadMessage(const Statement& s) {
  domain::Message m;
  m.id = s.Id(0);
  m.channel_id = s.Id(1);
  m.author_id = s.Id(2);
  m.content = s.Text(3);
  m.created_at_ms = s.Int(4);
  m.edited_at_ms = s.OptInt(5);
  m.type = static_cast<int>(s.Int(6));
  m.flags = s.Int(7);
  m.tts = s.Bool(8);
  m.pinned = s.Bool(9);
  m.mention_everyone = s.Bool(10);
  m.nonce = s.OptText(11);
  m.referenced_message_id = s.OptId(12);
  m.embeds_json = s.Text(13);
  m.webhook_id = s.OptId(14);
  if (m.webhook_id) m.webhook_name = s.Text(15);
  m.webhook_avatar = s.OptText(16);
  m.components_json = s.Text(17);
  m.interaction_json = s.OptText(18);
  m.poll_json = s.OptText(19);
  m.forward_json = s.OptText(20);
  if (auto source = s.OptId(21)) {
    m.crosspost = domain::CrosspostSource{*source, s.Id(22), s.Id(23)};
  }
  m.stickers_json = s.OptText(24);
  return m;
}

// Runs a page query (?1 channel, ?2 bound, ?3 limit; the bound unused by some) into `out`.
Result<void> CollectPage(Connection& conn, std::string_view where_order,
                         domain::Snowflake channel_id, domain::Snowflake bound, int limit,
                         std::vector<domain::Message>& out) {
  auto stmt = conn.Prepare(std::string(kSelectMessage) + std::string(where_order));
  if (!stmt) return stmt.error();
  stmt->BindId(1, channel_id).BindId(2, bound).BindInt(3, limit);
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return {};
    out.push_back(ReadMessage(*stmt));
  }
}

// Fills mention_user_ids / mention_role_ids of `messages` (all from one channel).
Result<void> LoadMentions(Connection& conn, domain::Snowflake channel_id,
                          std::vector<domain::Message>& messages) {
  if (messages.empty()) return {};
  std::map<domain::Snowflake, domain::Message*> by_id;
  for (auto& m : messages) by_id[m.id] = &m;
  static constexpr std::string_view kQueries[] = {
      "SELECT mm.message_id, mm.user_id FROM messages m "
      "JOIN message_user_mentions mm ON mm.message_id = m.id "
      "WHERE m.channel_id = ?1 AND m.id BETWEEN ?2 AND ?3 ORDER BY mm.message_id, mm.user_id",
      "SELECT mm.message_id, mm.role_id FROM messages m "
      "JOIN message_role_mentions mm ON mm.message_id = m.id "
      "WHERE m.channel_id = ?1 AND m.id BETWEEN ?2 AND ?3 ORDER BY mm.message_id, mm.role_id",
  };
  for (int kind = 0; kind < 2; ++kind) {
    auto stmt = conn.Prepare(kQueries[kind]);
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id).BindId(2, by_id.begin()->first).BindId(3, by_id.rbegin()->first);
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      auto it = by_id.find(stmt->Id(0));
      if (it == by_id.end()) continue;
      auto& ids = kind == 0 ? it->second->mention_user_ids : it->second->mention_role_ids;
      ids.push_back(stmt->Id(1));
    }
  }
  return {};
}

Result<void> ReplaceMentions(Connection& conn, domain::Snowflake message_id,
                             const std::vector<domain::Snowflake>* user_ids,
                             const std::vector<domain::Snowflake>* role_ids) {
  struct Kind {
    const std::vector<domain::Snowflake>* ids;
    std::string_view clear;
    std::string_view insert;
  };
  const Kind kinds[] = {
      {user_ids, "DELETE FROM message_user_mentions WHERE message_id = ?1",
       "INSERT OR IGNORE INTO message_user_mentions (message_id, user_id) VALUES (?1, ?2)"},
      {role_ids, "DELETE FROM message_role_mentions WHERE message_id = ?1",
       "INSERT OR IGNORE INTO message_role_mentions (message_id, role_id) VALUES (?1, ?2)"},
  };
  for (const Kind& kind : kinds) {
    if (kind.ids == nullptr) continue;
    auto clear = conn.Prepare(kind.clear);
    if (!clear) return clear.error();
    clear->BindId(1, message_id);
    if (auto r = clear->Run(); !r) return r;
    for (domain::Snowflake id : *kind.ids) {
      auto insert = conn.Prepare(kind.insert);
      if (!insert) return insert.error();
      insert->BindId(1, message_id).BindId(2, id);
      if (auto r = insert->Run(); !r) return r;
    }
  }
  return {};
}

Result<domain::Message> LoadMessage(Connection& conn, domain::Snowflake channel_id,
                                    domain::Snowflake message_id) {
  std::vector<domain::Message> one;
  auto r = CollectPage(conn, "WHERE channel_id = ?1 AND id = ?2 LIMIT ?3", channel_id, message_id,
                       1, one);
  if (!r) return r.error();
  if (one.empty()) return UnknownMessage();
  if (auto m = LoadMentions(conn, channel_id, one); !m) return m.error();
  return std::move(one.front());
}

Result<bool> ChannelExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM channels WHERE id = ?1", id);
}

}  // namespace

namespace {

// The message row with its poll, mentions and search entry.
Result<void> InsertMessage(Connection& conn, const domain::Message& m) {
  auto channel = ChannelExists(conn, m.channel_id);
  if (!channel) return channel.error();
  if (!*channel) return UnknownChannel();
  auto author = UserExists(conn, m.author_id);
  if (!author) return author.error();
  if (!*author) return UnknownUser();
  auto stmt = conn.Prepare(
      "INSERT INTO messages (id, channel_id, author_id, content, created_at, edited_at, type, "
      "flags, tts, pinned, mention_everyone, nonce, referenced_message_id, embeds, webhook_id, "
      "webhook_name, webhook_avatar, components, interaction, poll, forward, "
      "crosspost_message_id, "
      "crosspost_channel_id, crosspost_guild_id, stickers) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22, ?23, ?24, ?25)");
  if (!stmt) return stmt.error();
  stmt->BindId(1, m.id)
      .BindId(2, m.channel_id)
      .BindId(3, m.author_id)
      .BindText(4, m.content)
      .BindInt(5, m.created_at_ms != 0 ? m.created_at_ms : domain::SnowflakeUnixMs(m.id))
      .BindOptInt(6, m.edited_at_ms)
      .BindInt(7, m.type)
      .BindInt(8, m.flags)
      .BindBool(9, m.tts)
      .BindBool(10, m.pinned)
      .BindBool(11, m.mention_everyone)
      .BindOptText(12, m.nonce)
      .BindOptId(13, m.referenced_message_id)
      .BindText(14, m.embeds_json)
      .BindOptId(15, m.webhook_id)
      .BindOptText(16, m.webhook_id ? std::optional<std::string>(m.webhook_name) : std::nullopt)
      .BindOptText(17, m.webhook_avatar)
      .BindText(18, m.components_json)
      .BindOptText(19, m.interaction_json)
      .BindOptText(20, m.poll_json)
      .BindOptText(21, m.forward_json)
      .BindOptId(22, m.crosspost ? std::optional(m.crosspost->message_id) : std::nullopt)
      .BindOptId(23, m.crosspost ? std::optional(m.crosspost->channel_id) : std::nullopt)
      .BindOptId(24, m.crosspost ? std::optional(m.crosspost->guild_id) : std::nullopt)
      .BindOptText(25, m.stickers_json);
  if (auto r = stmt->Run(); !r) return r;
  if (m.poll_json) {
    auto poll =
        conn.Prepare("INSERT INTO polls (message_id, channel_id, expires_at) VALUES (?1, ?2, ?3)");
    if (!poll) return poll.error();
    poll->BindId(1, m.id).BindId(2, m.channel_id).BindInt(3, m.poll_expires_at_ms);
    if (auto r = poll->Run(); !r) return r;
  }
  if (auto r = ReplaceMentions(conn, m.id, &m.mention_user_ids, &m.mention_role_ids); !r) {
    return r;
  }
  // The search index, here rather than by trigger (migration 0007 says why).
  auto index = conn.Prepare("INSERT INTO messages_fts (rowid, content) VALUES (?1, ?2)");
  if (!index) return index.error();
  index->BindId(1, m.id).BindText(2, m.content);
  return index->Run();
}

}  // namespace

Result<void> SqliteStore::CreateMessage(const domain::Message& m) {
  return Write([&](Connection& conn) { return InsertMessage(conn, m); });
}

Result<void> SqliteStore::CreateMessageCompleting(const domain::Message& m, TaskKey task) {
  return Write([&](Connection& conn) -> Result<void> {
    auto completed = DeleteTask(conn, task);
    if (!completed) return completed.error();
    if (!*completed) return Error::Conflict("the task was already done");
    return InsertMessage(conn, m);
  });
}

Result<domain::Message> SqliteStore::GetMessage(domain::Snowflake channel_id,
                                                domain::Snowflake message_id) {
  return Read([&](Connection& conn) { return LoadMessage(conn, channel_id, message_id); });
}

Result<std::vector<domain::Message>> SqliteStore::ListCrosspostCopies(
    domain::Snowflake source_message_id) {
  // Copies mention nobody (a follower's copy pings no one), so no mention rows are read.
  return Read([&](Connection& conn) -> Result<std::vector<domain::Message>> {
    auto stmt =
        conn.Prepare(std::string(kSelectMessage) + "WHERE crosspost_message_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, source_message_id);
    std::vector<domain::Message> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadMessage(*stmt));
    }
  });
}

Result<std::vector<domain::Message>> SqliteStore::ListMessages(domain::Snowflake channel_id,
                                                               const MessageQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxMessagePage);
  return Read([&](Connection& conn) -> Result<std::vector<domain::Message>> {
    std::vector<domain::Message> page;
    Result<void> r;
    if (query.around) {
      // The older half includes the message itself; the newer half is read oldest-first.
      const int older = (limit + 1) / 2;
      std::vector<domain::Message> newer;
      r = CollectPage(conn, "WHERE channel_id = ?1 AND id > ?2 ORDER BY id ASC LIMIT ?3",
                      channel_id, *query.around, limit - older, newer);
      if (r) {
        page.assign(newer.rbegin(), newer.rend());
        r = CollectPage(conn, "WHERE channel_id = ?1 AND id <= ?2 ORDER BY id DESC LIMIT ?3",
                        channel_id, *query.around, older, page);
      }
    } else if (query.before || !query.after) {
      // No bound reads as "before the largest possible id" (ids fit in 63 bits).
      const domain::Snowflake before = query.before.value_or(kNoUpperBound);
      r = CollectPage(conn, "WHERE channel_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
                      channel_id, before, limit, page);
    } else {
      // The oldest `limit` after the bound, returned newest first as Discord does.
      r = CollectPage(conn, "WHERE channel_id = ?1 AND id > ?2 ORDER BY id ASC LIMIT ?3",
                      channel_id, *query.after, limit, page);
      std::reverse(page.begin(), page.end());
    }
    if (!r) return r.error();
    if (auto m = LoadMentions(conn, channel_id, page); !m) return m.error();
    return page;
  });
}

Result<domain::Message> SqliteStore::UpdateMessage(domain::Snowflake channel_id,
                                                   domain::Snowflake message_id,
                                                   const MessageUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Message> {
    auto stmt = conn.Prepare(
        "UPDATE messages SET "
        "content = CASE WHEN ?3 THEN ?4 ELSE content END, "
        "edited_at = CASE WHEN ?5 THEN ?6 ELSE edited_at END, "
        "embeds = CASE WHEN ?7 THEN ?8 ELSE embeds END, "
        "flags = CASE WHEN ?9 THEN (flags & ~?18) | (?10 & ?18) ELSE flags END, "
        "pinned = CASE WHEN ?11 THEN ?12 ELSE pinned END, "
        "mention_everyone = CASE WHEN ?13 THEN ?14 ELSE mention_everyone END, "
        "components = CASE WHEN ?15 THEN ?16 ELSE components END "
        "WHERE id = ?1 AND channel_id = ?2 AND (flags & ?17) = 0");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindId(2, channel_id);
    BindPatchText(*stmt, 3, update.content);
    BindPatchInt(*stmt, 5, update.edited_at_ms);
    BindPatchText(*stmt, 7, update.embeds_json);
    BindPatchInt(*stmt, 9, update.flags);
    BindPatchBool(*stmt, 11, update.pinned);
    BindPatchBool(*stmt, 13, update.mention_everyone);
    BindPatchText(*stmt, 15, update.components_json);
    stmt->BindInt(17, update.unless_flags).BindInt(18, update.flags_mask);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) {
      if (update.unless_flags == 0) return UnknownMessage();
      auto present = LoadMessage(conn, channel_id, message_id);
      if (!present) return present.error();
      return Error::Conflict("the message has one of those flags already");
    }
    auto mentions = ReplaceMentions(conn, message_id,
                                    update.mention_user_ids ? &*update.mention_user_ids : nullptr,
                                    update.mention_role_ids ? &*update.mention_role_ids : nullptr);
    if (!mentions) return mentions.error();
    if (update.task) {
      if (auto r = InsertTask(conn, *update.task); !r) return r.error();
    }
    return LoadMessage(conn, channel_id, message_id);
  });
}

Result<void> SqliteStore::DeleteMessage(domain::Snowflake channel_id, domain::Snowflake message_id,
                                        std::span<const NewTask> tasks) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM messages WHERE id = ?1 AND channel_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindId(2, channel_id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownMessage();
    for (const NewTask& task : tasks) {
      if (auto r = InsertTask(conn, task); !r) return r;
    }
    return {};
  });
}

Result<std::int64_t> SqliteStore::DeleteMessages(domain::Snowflake channel_id,
                                                 std::span<const domain::Snowflake> ids,
                                                 std::span<const NewTask> tasks) {
  return Write([&](Connection& conn) -> Result<std::int64_t> {
    std::int64_t deleted = 0;
    for (domain::Snowflake id : ids) {
      auto stmt = conn.Prepare("DELETE FROM messages WHERE id = ?1 AND channel_id = ?2");
      if (!stmt) return stmt.error();
      stmt->BindId(1, id).BindId(2, channel_id);
      if (auto r = stmt->Run(); !r) return r.error();
      deleted += stmt->Changes();
    }
    for (const NewTask& task : tasks) {
      if (auto r = InsertTask(conn, task); !r) return r.error();
    }
    return deleted;
  });
}

Result<std::optional<domain::Snowflake>> SqliteStore::GetLastMessageId(
    domain::Snowflake channel_id) {
  return Read([&](Connection& conn) -> Result<std::optional<domain::Snowflake>> {
    auto channel = ChannelExists(conn, channel_id);
    if (!channel) return channel.error();
    if (!*channel) return UnknownChannel();
    auto stmt =
        conn.Prepare("SELECT id FROM messages WHERE channel_id = ?1 ORDER BY id DESC LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return std::optional<domain::Snowflake>();
    return std::optional<domain::Snowflake>(stmt->Id(0));
  });
}

}  // namespace chat::store::sqlite
