// domain/command_permissions.hpp — who may run an application's commands in a guild, as the
// guild's managers set it (Discord's application command permissions): per command, or for all
// of an application's commands at once (the command id is then the application's id), entries
// allowing or denying a role (the guild's id stands for @everyone), a member, or a channel (the
// guild's id minus one stands for every channel). No I/O.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

enum class CommandPermissionType : int { kRole = 1, kUser = 2, kChannel = 3 };

struct CommandPermission {
  Snowflake id = 0;
  CommandPermissionType type = CommandPermissionType::kRole;
  bool permission = false;
};

// Discord: at most 100 entries per command.
inline constexpr std::size_t kMaxCommandPermissions = 100;

constexpr Snowflake AllChannels(Snowflake guild_id) { return guild_id - 1; }

// Who is asking, and where.
struct CommandUser {
  Snowflake guild_id = 0;
  Snowflake user_id = 0;
  std::span<const Snowflake> role_ids;  // without @everyone
  Snowflake channel_id = 0;             // a thread's parent for a thread; 0: any (no channel check)
  bool admin = false;                   // the owner or an ADMINISTRATOR
};

enum class CommandVerdict { kAllowed, kDenied, kUnset };

// Discord's evaluation. The channel first: the command's entry for the channel, else its
// all-channels entry, else the application's, likewise; a denial there refuses the command.
// Then the member: the command's entry for the member, else its entries for the member's roles
// (one allowing is enough), else its @everyone entry; else the application's, likewise. kUnset
// when nothing speaks to the member: the command's default_member_permissions decide. The
// owner and administrators are never refused.
CommandVerdict EvaluateCommandPermissions(const std::vector<CommandPermission>& command_level,
                                          const std::vector<CommandPermission>& app_level,
                                          const CommandUser& user);

}  // namespace chat::domain
