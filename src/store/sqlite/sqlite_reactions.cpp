// ReactionStore over SQLite: the message_reactions table (migration 0003) and the pinned flag of
// messages. Reactions are inserted through a SELECT on messages, so an unknown message is
// noticed without relying on a foreign-key error.
#include <string>

#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

Result<bool> SqliteStore::AddReaction(domain::Snowflake message_id, domain::Snowflake user_id,
                                      std::string_view emoji, std::int64_t at_ms) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto exists = conn.Prepare("SELECT 1 FROM messages WHERE id = ?1");
    if (!exists) return exists.error();
    exists->BindId(1, message_id);
    auto row = exists->Step();
    if (!row) return row.error();
    if (!*row) return UnknownMessage();
    auto stmt = conn.Prepare(
        "INSERT OR IGNORE INTO message_reactions (message_id, emoji, user_id, created_at) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindText(2, emoji).BindId(3, user_id).BindInt(4, at_ms);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() > 0;
  });
}

Result<bool> SqliteStore::RemoveReaction(domain::Snowflake message_id, domain::Snowflake user_id,
                                         std::string_view emoji) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt = conn.Prepare(
        "DELETE FROM message_reactions WHERE message_id = ?1 AND emoji = ?2 AND user_id = ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindText(2, emoji).BindId(3, user_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() > 0;
  });
}

Result<std::int64_t> SqliteStore::RemoveReactions(domain::Snowflake message_id,
                                                  const std::optional<std::string>& emoji) {
  return Write([&](Connection& conn) -> Result<std::int64_t> {
    auto stmt = conn.Prepare(
        "DELETE FROM message_reactions WHERE message_id = ?1 AND (?2 IS NULL OR emoji = ?2)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindOptText(2, emoji);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes();
  });
}

Result<std::vector<domain::Snowflake>> SqliteStore::ListReactionUsers(domain::Snowflake message_id,
                                                                      std::string_view emoji,
                                                                      domain::Snowflake after,
                                                                      int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto stmt = conn.Prepare(
        "SELECT user_id FROM message_reactions WHERE message_id = ?1 AND emoji = ?2 "
        "AND user_id > ?3 ORDER BY user_id LIMIT ?4");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindText(2, emoji).BindId(3, after).BindInt(4, limit);
    std::vector<domain::Snowflake> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(stmt->Id(0));
    }
  });
}

Result<std::vector<ReactionSummary>> SqliteStore::ListReactionSummaries(
    std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) {
  if (message_ids.empty()) return std::vector<ReactionSummary>{};
  return Read([&](Connection& conn) -> Result<std::vector<ReactionSummary>> {
    // One statement for a page: a history read of 50 messages, most without reactions, costs one
    // lookup per message in the primary key instead of 50 statements with a sorter each.
    auto stmt = conn.Prepare(
        "SELECT message_id, emoji, COUNT(*), MAX(user_id = ?2), MIN(created_at) AS first "
        "FROM message_reactions WHERE message_id IN (SELECT value FROM json_each(?1)) "
        "GROUP BY message_id, emoji ORDER BY message_id, first, emoji");
    if (!stmt) return stmt.error();
    stmt->BindText(1, JsonIdArray(message_ids)).BindId(2, viewer);
    std::vector<ReactionSummary> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReactionSummary{stmt->Id(0), stmt->Text(1), stmt->Int(2), stmt->Bool(3)});
    }
  });
}

Result<std::vector<domain::Snowflake>> SqliteStore::ListPinnedMessageIds(
    domain::Snowflake channel_id, int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto stmt = conn.Prepare(
        "SELECT id FROM messages WHERE channel_id = ?1 AND pinned <> 0 ORDER BY id DESC LIMIT ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id).BindInt(2, limit);
    std::vector<domain::Snowflake> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(stmt->Id(0));
    }
  });
}

}  // namespace chat::store::sqlite
