// service/auto_moderator.hpp — what the message path asks of auto moderation, kept apart from the
// rules' service so that MessageService depends on this much only. A message a member sends in a
// guild is checked before it is stored (Check); what the rules it set off do is carried out once
// the message is stored or refused (Carry).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/auto_moderation.hpp"
#include "domain/snowflake.hpp"

namespace chat::service {

struct AutoModSubject {
  domain::Snowflake guild_id = 0;
  domain::Snowflake channel_id = 0;
  // A thread's channel and the category above the channel: an exemption of either covers it
  // (0: none).
  domain::Snowflake parent_id = 0;
  domain::Snowflake category_id = 0;
  domain::Snowflake user_id = 0;
  const std::vector<domain::Snowflake>* role_ids = nullptr;
  std::uint64_t permissions = 0;  // the member's in the guild (managers are never checked)
  std::string_view content;
};

// One rule the message set off, with what it found and the actions it takes.
struct AutoModFiring {
  domain::Snowflake rule_id = 0;
  std::string rule_name;
  int trigger_type = 0;
  domain::AutoModMatch match;
  std::vector<domain::AutoModAction> actions;
};

struct AutoModVerdict {
  std::vector<AutoModFiring> firings;
  bool Blocked() const {
    for (const auto& f : firings) {
      for (const auto& a : f.actions) {
        if (a.type == domain::AutoModActionType::kBlockMessage) return true;
      }
    }
    return false;
  }
};

// What became of the message: stored (its id) or blocked, and the alert messages posted for
// each firing (parallel to AutoModVerdict::firings; 0 where none was posted).
struct AutoModOutcome {
  domain::Snowflake guild_id = 0;
  domain::Snowflake channel_id = 0;
  domain::Snowflake user_id = 0;
  std::optional<domain::Snowflake> message_id;
  std::string content;
  std::vector<domain::Snowflake> alert_message_ids;
};

class AutoModerator {
 public:
  virtual ~AutoModerator() = default;
  // The enabled rules the message sets off; none for members exempt from them all.
  [[nodiscard]] virtual Result<AutoModVerdict> Check(const AutoModSubject& subject) = 0;
  // Timeouts, audit entries and AUTO_MODERATION_ACTION_EXECUTION. Never fails the caller: the
  // message is already stored or refused.
  virtual void Carry(const AutoModVerdict& verdict, const AutoModOutcome& outcome) = 0;
};

// Discord's 200000.
inline Error AutoModBlocked() {
  return Error{Errc::kValidation, "Message was blocked by automatic moderation", 200000};
}

}  // namespace chat::service
