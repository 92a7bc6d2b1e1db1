// store/reaction_store.hpp — message reactions (one row per message, emoji and user) and the
// pinned-message list of a channel. An emoji is stored as its key: the unicode emoji itself or
// "name:id" for a custom one. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

// One emoji's reactions on one message.
struct ReactionSummary {
  domain::Snowflake message_id = 0;
  std::string emoji;
  std::int64_t count = 0;
  bool me = false;  // the viewer is among the reactors
};

class ReactionStore {
 public:
  virtual ~ReactionStore() = default;

  // True when added; false when the user had already reacted so. NotFound 10008 when the
  // message does not exist.
  [[nodiscard]] virtual Result<bool> AddReaction(domain::Snowflake message_id,
                                                 domain::Snowflake user_id, std::string_view emoji,
                                                 std::int64_t at_ms) = 0;
  // True when a reaction was removed.
  [[nodiscard]] virtual Result<bool> RemoveReaction(domain::Snowflake message_id,
                                                    domain::Snowflake user_id,
                                                    std::string_view emoji) = 0;
  // Every reaction of the message, or every reaction with `emoji`; returns how many went.
  [[nodiscard]] virtual Result<std::int64_t> RemoveReactions(
      domain::Snowflake message_id, const std::optional<std::string>& emoji) = 0;
  // Users who reacted with `emoji`, ascending by id, with id > after, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<domain::Snowflake>> ListReactionUsers(
      domain::Snowflake message_id, std::string_view emoji, domain::Snowflake after, int limit) = 0;
  // The reactions of the given messages, per message in the order each emoji first appeared.
  [[nodiscard]] virtual Result<std::vector<ReactionSummary>> ListReactionSummaries(
      std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) = 0;
  // Ids of the channel's pinned messages, newest first, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<domain::Snowflake>> ListPinnedMessageIds(
      domain::Snowflake channel_id, int limit) = 0;
};

}  // namespace chat::store
