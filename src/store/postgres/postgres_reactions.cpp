// ReactionStore over PostgreSQL: the message_reactions table (migration 0003) and the pinned flag
// of messages. Reactions are inserted through a SELECT on messages, so an unknown message is
// noticed without relying on a foreign-key error.
#include <string>

#include "store/errors.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

Result<bool> PostgresStore::AddReaction(domain::Snowflake message_id, domain::Snowflake user_id,
                                        std::string_view emoji, std::int64_t at_ms) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto exists = conn.Query("SELECT 1 FROM messages WHERE id = $1", Params().Id(message_id));
    if (!exists) return exists.error();
    if (exists->empty()) return UnknownMessage();
    auto rows = conn.Query(
        "INSERT INTO message_reactions (message_id, emoji, user_id, created_at) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        Params().Id(message_id).Text(emoji).Id(user_id).Int(at_ms));
    if (!rows) return rows.error();
    return rows->Affected() > 0;
  });
}

Result<bool> PostgresStore::RemoveReaction(domain::Snowflake message_id, domain::Snowflake user_id,
                                           std::string_view emoji) {
  return Auto([&](Connection& conn) -> Result<bool> {
    auto rows = conn.Query(
        "DELETE FROM message_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3",
        Params().Id(message_id).Text(emoji).Id(user_id));
    if (!rows) return rows.error();
    return rows->Affected() > 0;
  });
}

Result<std::int64_t> PostgresStore::RemoveReactions(domain::Snowflake message_id,
                                                    const std::optional<std::string>& emoji) {
  return Auto([&](Connection& conn) -> Result<std::int64_t> {
    auto rows = conn.Query(
        "DELETE FROM message_reactions WHERE message_id = $1 "
        "AND ($2::text IS NULL OR emoji = $2::text)",
        Params().Id(message_id).OptText(emoji));
    if (!rows) return rows.error();
    return rows->Affected();
  });
}

Result<std::vector<domain::Snowflake>> PostgresStore::ListReactionUsers(
    domain::Snowflake message_id, std::string_view emoji, domain::Snowflake after, int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto rows = conn.Query(
        "SELECT user_id FROM message_reactions WHERE message_id = $1 AND emoji = $2 "
        "AND user_id > $3 ORDER BY user_id LIMIT $4",
        Params().Id(message_id).Text(emoji).Id(after).Int(limit));
    if (!rows) return rows.error();
    std::vector<domain::Snowflake> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back((*rows)[i].Id(0));
    return out;
  });
}

Result<std::vector<ReactionSummary>> PostgresStore::ListReactionSummaries(
    std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) {
  if (message_ids.empty()) return std::vector<ReactionSummary>{};
  return Auto([&](Connection& conn) -> Result<std::vector<ReactionSummary>> {
    auto rows = conn.Query(
        "SELECT message_id, emoji, COUNT(*), bool_or(user_id = $2), MIN(created_at) AS first "
        "FROM message_reactions WHERE message_id = ANY($1::bigint[]) "
        "GROUP BY message_id, emoji ORDER BY message_id, first, emoji",
        Params().IdArray(message_ids).Id(viewer));
    if (!rows) return rows.error();
    std::vector<ReactionSummary> out;
    for (int i = 0; i < rows->size(); ++i) {
      auto r = (*rows)[i];
      out.push_back(ReactionSummary{r.Id(0), r.Text(1), r.Int(2), r.Bool(3)});
    }
    return out;
  });
}

Result<std::vector<domain::Snowflake>> PostgresStore::ListPinnedMessageIds(
    domain::Snowflake channel_id, int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto rows = conn.Query(
        "SELECT id FROM messages WHERE channel_id = $1 AND pinned ORDER BY id DESC LIMIT $2",
        Params().Id(channel_id).Int(limit));
    if (!rows) return rows.error();
    std::vector<domain::Snowflake> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back((*rows)[i].Id(0));
    return out;
  });
}

}  // namespace chat::store::postgres
