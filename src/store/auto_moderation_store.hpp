// store/auto_moderation_store.hpp — guilds' auto moderation rules. A rule goes with its guild.
// Thread-safe.
#pragma once

#include <cstddef>
#include <vector>

#include "common/result.hpp"
#include "domain/auto_moderation.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

// Discord has no code of its own for this one.
inline Error UnknownAutoModRule() { return Error::NotFound("Unknown Auto Moderation Rule", 0); }

class AutoModerationStore {
 public:
  virtual ~AutoModerationStore() = default;

  // Stores the rule unless its guild already has `max` rules of its trigger type: the count and
  // the insert are one transaction, so concurrent creations never pass `max`. Returns false
  // (nothing stored) at the limit. NotFound 10004 for an unknown guild.
  [[nodiscard]] virtual Result<bool> CreateAutoModRule(const domain::AutoModRule& rule,
                                                       std::size_t max) = 0;
  // NotFound (UnknownAutoModRule) when the guild has no such rule (Get, Update, Delete).
  [[nodiscard]] virtual Result<domain::AutoModRule> GetAutoModRule(domain::Snowflake guild_id,
                                                                   domain::Snowflake rule_id) = 0;
  // Ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::AutoModRule>> ListAutoModRules(
      domain::Snowflake guild_id) = 0;
  // Writes every field but id, guild_id, creator_id and trigger_type (which never change).
  [[nodiscard]] virtual Result<void> UpdateAutoModRule(const domain::AutoModRule& rule) = 0;
  // The rule as it was.
  [[nodiscard]] virtual Result<domain::AutoModRule> DeleteAutoModRule(
      domain::Snowflake guild_id, domain::Snowflake rule_id) = 0;
};

}  // namespace chat::store
