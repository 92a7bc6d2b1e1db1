// domain/audit_log.hpp — one guild audit log entry (Discord's audit log entry object) and the
// action types this server records. `changes` and `options` hold the entry's Discord JSON as
// text (an array of {key, old_value?, new_value?} and an object), written once by the service
// and handed back verbatim, so the store needs no schema per action type.
#pragma once

#include <optional>
#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

// Discord's audit log event numbers (only those this server produces).
enum class AuditLogAction : int {
  kGuildUpdate = 1,
  kChannelCreate = 10,
  kChannelUpdate = 11,
  kChannelDelete = 12,
  kChannelOverwriteCreate = 13,
  kChannelOverwriteUpdate = 14,
  kChannelOverwriteDelete = 15,
  kMemberKick = 20,
  kMemberBanAdd = 22,
  kMemberBanRemove = 23,
  kMemberUpdate = 24,
  kMemberRoleUpdate = 25,
  kRoleCreate = 30,
  kRoleUpdate = 31,
  kRoleDelete = 32,
  kInviteCreate = 40,
  kInviteDelete = 42,
  kWebhookCreate = 50,
  kWebhookUpdate = 51,
  kWebhookDelete = 52,
  kEmojiCreate = 60,
  kEmojiUpdate = 61,
  kEmojiDelete = 62,
  kMessageDelete = 72,
  kMessageBulkDelete = 73,
  kMessagePin = 74,
  kMessageUnpin = 75,
  kStageInstanceCreate = 83,
  kStageInstanceUpdate = 84,
  kStageInstanceDelete = 85,
  kStickerCreate = 90,
  kStickerUpdate = 91,
  kStickerDelete = 92,
  kScheduledEventCreate = 100,
  kScheduledEventUpdate = 101,
  kScheduledEventDelete = 102,
  kThreadCreate = 110,
  kThreadUpdate = 111,
  kThreadDelete = 112,
  kApplicationCommandPermissionUpdate = 121,
  kAutoModerationRuleCreate = 140,
  kAutoModerationRuleUpdate = 141,
  kAutoModerationRuleDelete = 142,
  kAutoModerationBlockMessage = 143,
  kAutoModerationFlagToChannel = 144,
  kAutoModerationUserCommunicationDisabled = 145,
};

// Discord caps X-Audit-Log-Reason at 512 characters.
inline constexpr std::size_t kAuditLogReasonMax = 512;

struct AuditLogEntry {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  Snowflake user_id = 0;  // who acted
  std::optional<Snowflake> target_id;
  int action_type = 0;  // an AuditLogAction value
  std::string changes;  // JSON array text; empty when the entry has no changes
  std::string options;  // JSON object text; empty when the entry has no options
  std::optional<std::string> reason;
};

}  // namespace chat::domain
