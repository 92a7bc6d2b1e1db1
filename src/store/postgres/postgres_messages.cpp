// MessageStore over PostgreSQL: messages and their mention tables. Pages are read from the
// (channel_id, id DESC) index in one statement each, with the mentions as arrays.
#include <algorithm>
#include <string>
#include <vector>

#include "domain/snowflake.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kMessageColumns =
    "m.id, m.channel_id, m.author_id, m.content, m.created_at, m.edited_at, m.type, m.flags, "
    "m.tts, m.pinned, m.mention_everyone, m.nonce, m.referenced_message_id, m.embeds, "
    "m.webhook_id, m.webhook_name, m.webhook_avatar, m.components, m.interaction, m.poll, "
    "m.forward, m.crosspost_message_id, m.crosspost_channel_id, m.crosspost_guild_id, "
    "ARRAY(SELECT u.user_id FROM message_user_mentions u WHERE u.message_id = m.id "
    "ORDER BY u.user_id), "
    "ARRAY(SELECT r.role_id FROM message_role_mentions r WHERE r.message_id = m.id "
    "ORDER BY r.role_id), m.stickers ";

domain::Message ReadMessage(const Row& r) {
  domain::Message m;
  m.id = r.Id(0);
  m.channel_id = r.Id(1);
  m.author_id = r.Id(2);
  m.content = r.Text(3);
  m.created_at_ms = r.Int(4);
  m.edited_at_ms = r.OptInt(5);
  m.type = static_cast<int>(r.Int(6));
  m.flags = r.Int(7);
  m.tts = r.Bool(8);
  m.pinned = r.Bool(9);
  m.mention_everyone = r.Bool(10);
  m.nonce = r.OptText(11);
  m.referenced_message_id = r.OptId(12);
  m.embeds_json = r.Text(13);
  m.webhook_id = r.OptId(14);
  if (m.webhook_id) m.webhook_name = r.Text(15);
  m.webhook_avatar = r.OptText(16);
  m.components_json = r.Text(17);
  m.interaction_json = r.OptText(18);
  m.poll_json = r.OptText(19);
  m.forward_json = r.OptText(20);
  if (auto source = r.OptId(21)) {
    m.crosspost = domain::CrosspostSource{*source, r.Id(22), r.Id(23)};
  }
  m.mention_user_ids = r.IdArray(24);
  m.mention_role_ids = r.IdArray(25);
  m.stickers_json = r.OptText(26);
  return m;
}

// Runs a page query ($1 channel, $2 bound, $3 limit) and appends its rows to `out`.
Result<void> CollectPage(Connection& conn, std::string_view where_order,
                         domain::Snowflake channel_id, domain::Snowflake bound, int limit,
                         std::vector<domain::Message>& out) {
  auto rows = conn.Query(
      "SELECT " + std::string(kMessageColumns) + "FROM messages m " + std::string(where_order),
      Params().Id(channel_id).Id(bound).Int(limit));
  if (!rows) return rows.error();
  for (int i = 0; i < rows->size(); ++i) out.push_back(ReadMessage((*rows)[i]));
  return {};
}

Result<domain::Message> LoadMessage(Connection& conn, domain::Snowflake channel_id,
                                    domain::Snowflake message_id) {
  std::vector<domain::Message> one;
  auto r = CollectPage(conn, "WHERE m.channel_id = $1 AND m.id = $2 LIMIT $3", channel_id,
                       message_id, 1, one);
  if (!r) return r.error();
  if (one.empty()) return UnknownMessage();
  return std::move(one.front());
}

// Replaces one kind of mention (`table` is message_user_mentions or message_role_mentions,
// `column` user_id or role_id: both compile-time constants, never input).
Result<void> ReplaceMentions(Connection& conn, domain::Snowflake message_id, std::string_view table,
                             std::string_view column, const std::vector<domain::Snowflake>& ids,
                             bool clear_first) {
  if (clear_first) {
    auto clear = conn.Query("DELETE FROM " + std::string(table) + " WHERE message_id = $1",
                            Params().Id(message_id));
    if (!clear) return clear.error();
  }
  if (ids.empty()) return {};
  auto insert =
      conn.Query("INSERT INTO " + std::string(table) + " (message_id, " + std::string(column) +
                     ") SELECT DISTINCT $1::bigint, unnest($2::bigint[]) "
                     "ON CONFLICT DO NOTHING",
                 Params().Id(message_id).IdArray(ids));
  if (!insert) return insert.error();
  return {};
}

}  // namespace

namespace {

// The message row with its poll and mentions.
Result<void> InsertMessage(Connection& conn, const domain::Message& m) {
  auto found = conn.Query(
      "SELECT EXISTS (SELECT 1 FROM channels WHERE id = $1), "
      "EXISTS (SELECT 1 FROM users WHERE id = $2)",
      Params().Id(m.channel_id).Id(m.author_id));
  if (!found) return found.error();
  if (!(*found)[0].Bool(0)) return UnknownChannel();
  if (!(*found)[0].Bool(1)) return UnknownUser();
  auto rows = conn.Query(
      "INSERT INTO messages (id, channel_id, author_id, content, created_at, edited_at, type, "
      "flags, tts, pinned, mention_everyone, nonce, referenced_message_id, embeds, webhook_id, "
      "webhook_name, webhook_avatar, components, interaction, poll, forward, "
      "crosspost_message_id, "
      "crosspost_channel_id, crosspost_guild_id, stickers) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
      "$18, $19, $20, $21, $22, $23, $24, $25)",
      Params()
          .Id(m.id)
          .Id(m.channel_id)
          .Id(m.author_id)
          .Text(m.content)
          .Int(m.created_at_ms != 0 ? m.created_at_ms : domain::SnowflakeUnixMs(m.id))
          .OptInt(m.edited_at_ms)
          .Int(m.type)
          .Int(m.flags)
          .Bool(m.tts)
          .Bool(m.pinned)
          .Bool(m.mention_everyone)
          .OptText(m.nonce)
          .OptId(m.referenced_message_id)
          .Text(m.embeds_json)
          .OptId(m.webhook_id)
          .OptText(m.webhook_id ? std::optional<std::string>(m.webhook_name) : std::nullopt)
          .OptText(m.webhook_avatar)
          .Text(m.components_json)
          .OptText(m.interaction_json)
          .OptText(m.poll_json)
          .OptText(m.forward_json)
          .OptId(m.crosspost ? std::optional(m.crosspost->message_id) : std::nullopt)
          .OptId(m.crosspost ? std::optional(m.crosspost->channel_id) : std::nullopt)
          .OptId(m.crosspost ? std::optional(m.crosspost->guild_id) : std::nullopt)
          .OptText(m.stickers_json));
  if (!rows) return rows.error();
  if (m.poll_json) {
    auto poll =
        conn.Query("INSERT INTO polls (message_id, channel_id, expires_at) VALUES ($1, $2, $3)",
                   Params().Id(m.id).Id(m.channel_id).Int(m.poll_expires_at_ms));
    if (!poll) return poll.error();
  }
  if (auto r = ReplaceMentions(conn, m.id, "message_user_mentions", "user_id", m.mention_user_ids,
                               false);
      !r) {
    return r;
  }
  return ReplaceMentions(conn, m.id, "message_role_mentions", "role_id", m.mention_role_ids, false);
}

}  // namespace

Result<void> PostgresStore::CreateMessage(const domain::Message& m) {
  return Write([&](Connection& conn) { return InsertMessage(conn, m); });
}

Result<void> PostgresStore::CreateMessageCompleting(const domain::Message& m, TaskKey task) {
  return Write([&](Connection& conn) -> Result<void> {
    auto completed = DeleteTask(conn, task);
    if (!completed) return completed.error();
    if (!*completed) return Error::Conflict("the task was already done");
    return InsertMessage(conn, m);
  });
}

Result<domain::Message> PostgresStore::GetMessage(domain::Snowflake channel_id,
                                                  domain::Snowflake message_id) {
  return Auto([&](Connection& conn) { return LoadMessage(conn, channel_id, message_id); });
}

Result<std::vector<domain::Message>> PostgresStore::ListCrosspostCopies(
    domain::Snowflake source_message_id) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Message>> {
    auto rows = conn.Query("SELECT " + std::string(kMessageColumns) +
                               "FROM messages m WHERE m.crosspost_message_id = $1 ORDER BY m.id",
                           Params().Id(source_message_id));
    if (!rows) return rows.error();
    std::vector<domain::Message> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int i = 0; i < rows->size(); ++i) out.push_back(ReadMessage((*rows)[i]));
    return out;
  });
}

Result<std::vector<domain::Message>> PostgresStore::ListMessages(domain::Snowflake channel_id,
                                                                 const MessageQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxMessagePage);
  if (query.around) {
    // Two halves that must agree: one snapshot. The older half includes the message itself;
    // the newer half is read oldest-first.
    return Read([&](Connection& conn) -> Result<std::vector<domain::Message>> {
      const int older = (limit + 1) / 2;
      std::vector<domain::Message> newer;
      std::vector<domain::Message> page;
      if (limit - older > 0) {
        auto r = CollectPage(conn, "WHERE m.channel_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
                             channel_id, *query.around, limit - older, newer);
        if (!r) return r.error();
      }
      page.assign(newer.rbegin(), newer.rend());
      auto r =
          CollectPage(conn, "WHERE m.channel_id = $1 AND m.id <= $2 ORDER BY m.id DESC LIMIT $3",
                      channel_id, *query.around, older, page);
      if (!r) return r.error();
      return page;
    });
  }
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Message>> {
    std::vector<domain::Message> page;
    if (query.before || !query.after) {
      // No bound reads as "before the largest possible id" (ids fit in 63 bits).
      const domain::Snowflake before = query.before.value_or(0x7fffffffffffffff);
      auto r =
          CollectPage(conn, "WHERE m.channel_id = $1 AND m.id < $2 ORDER BY m.id DESC LIMIT $3",
                      channel_id, before, limit, page);
      if (!r) return r.error();
      return page;
    }
    // The oldest `limit` after the bound, returned newest first as Discord does.
    auto r = CollectPage(conn, "WHERE m.channel_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
                         channel_id, *query.after, limit, page);
    if (!r) return r.error();
    std::reverse(page.begin(), page.end());
    return page;
  });
}

Result<domain::Message> PostgresStore::UpdateMessage(domain::Snowflake channel_id,
                                                     domain::Snowflake message_id,
                                                     const MessageUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Message> {
    Params params;
    params.Id(message_id).Id(channel_id);
    PatchText(params, update.content);
    PatchNullableInt(params, update.edited_at_ms);
    PatchText(params, update.embeds_json);
    PatchInt(params, update.flags);
    PatchBool(params, update.pinned);
    PatchBool(params, update.mention_everyone);
    PatchText(params, update.components_json);
    params.Int(update.unless_flags).Int(update.flags_mask);
    auto rows = conn.Query(
        "UPDATE messages SET "
        "content = CASE WHEN $3 THEN $4 ELSE content END, "
        "edited_at = CASE WHEN $5 THEN $6 ELSE edited_at END, "
        "embeds = CASE WHEN $7 THEN $8 ELSE embeds END, "
        "flags = CASE WHEN $9 THEN (flags & ~$18::BIGINT) | ($10 & $18) ELSE flags END, "
        "pinned = CASE WHEN $11 THEN $12 ELSE pinned END, "
        "mention_everyone = CASE WHEN $13 THEN $14 ELSE mention_everyone END, "
        "components = CASE WHEN $15 THEN $16 ELSE components END "
        "WHERE id = $1 AND channel_id = $2 AND (flags & $17) = 0",
        params);
    if (!rows) return rows.error();
    if (rows->Affected() == 0) {
      if (update.unless_flags == 0) return UnknownMessage();
      auto present = LoadMessage(conn, channel_id, message_id);
      if (!present) return present.error();
      return Error::Conflict("the message has one of those flags already");
    }
    if (update.mention_user_ids) {
      auto r = ReplaceMentions(conn, message_id, "message_user_mentions", "user_id",
                               *update.mention_user_ids, true);
      if (!r) return r.error();
    }
    if (update.mention_role_ids) {
      auto r = ReplaceMentions(conn, message_id, "message_role_mentions", "role_id",
                               *update.mention_role_ids, true);
      if (!r) return r.error();
    }
    if (update.task) {
      if (auto r = InsertTask(conn, *update.task); !r) return r.error();
    }
    return LoadMessage(conn, channel_id, message_id);
  });
}

Result<void> PostgresStore::DeleteMessage(domain::Snowflake channel_id,
                                          domain::Snowflake message_id,
                                          std::span<const NewTask> tasks) {
  auto run = [&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM messages WHERE id = $1 AND channel_id = $2",
                           Params().Id(message_id).Id(channel_id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownMessage();
    for (const NewTask& task : tasks) {
      if (auto r = InsertTask(conn, task); !r) return r;
    }
    return {};
  };
  // A transaction only when there is more than the one statement.
  return tasks.empty() ? Auto(run) : Write(run);
}

Result<std::int64_t> PostgresStore::DeleteMessages(domain::Snowflake channel_id,
                                                   std::span<const domain::Snowflake> ids,
                                                   std::span<const NewTask> tasks) {
  if (ids.empty() && tasks.empty()) return std::int64_t{0};
  auto run = [&](Connection& conn) -> Result<std::int64_t> {
    auto rows = conn.Query("DELETE FROM messages WHERE channel_id = $1 AND id = ANY($2::bigint[])",
                           Params().Id(channel_id).IdArray(ids));
    if (!rows) return rows.error();
    for (const NewTask& task : tasks) {
      if (auto r = InsertTask(conn, task); !r) return r.error();
    }
    return rows->Affected();
  };
  return tasks.empty() ? Auto(run) : Write(run);
}

Result<std::optional<domain::Snowflake>> PostgresStore::GetLastMessageId(
    domain::Snowflake channel_id) {
  return Auto([&](Connection& conn) -> Result<std::optional<domain::Snowflake>> {
    auto rows = conn.Query(
        "SELECT (SELECT m.id FROM messages m WHERE m.channel_id = c.id "
        "ORDER BY m.id DESC LIMIT 1) FROM channels c WHERE c.id = $1",
        Params().Id(channel_id));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownChannel();
    return (*rows)[0].OptId(0);
  });
}

}  // namespace chat::store::postgres
