// domain/application_command.hpp — an application's command: a slash command (CHAT_INPUT) with
// its options, or an entry of a user's or a message's context menu, registered globally or in
// one guild. What Discord validates about it is in domain/json/command_json.hpp, where the wire
// shape is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

enum class CommandType : int { kChatInput = 1, kUser = 2, kMessage = 3 };

// Discord's limits per application and scope (global, or one guild).
inline constexpr std::size_t kMaxChatInputCommands = 100;
inline constexpr std::size_t kMaxContextMenuCommands = 5;  // of each of USER and MESSAGE

struct ApplicationCommand {
  Snowflake id = 0;
  Snowflake application_id = 0;
  std::optional<Snowflake> guild_id;  // none: global
  CommandType type = CommandType::kChatInput;
  std::string name;
  std::string description;   // empty for USER and MESSAGE commands
  std::string options_json;  // the validated options array as JSON text; empty when none
  std::optional<std::uint64_t> default_member_permissions;  // none: everyone may use it
  bool dm_permission = true;
  bool nsfw = false;
  Snowflake version = 0;  // a new snowflake on every change, as Discord's `version`
  // Discord's contexts (bit 1 << c for c in 0 guilds, 1 the bot's DMs, 2 other DMs) and
  // integration_types (1 << t for t in 0 guild, 1 user install), as the application gave them;
  // none: not given (dm_permission then decides about DMs).
  std::optional<int> contexts;
  std::optional<int> integration_types;
};

inline constexpr int kContextGuild = 0;
inline constexpr int kContextBotDm = 1;

// Whether the command runs in a guild (`in_guild`) or in its bot's DMs.
constexpr bool RunsIn(const ApplicationCommand& c, bool in_guild) {
  if (c.contexts) return (*c.contexts >> (in_guild ? kContextGuild : kContextBotDm)) & 1;
  return in_guild || c.dm_permission;
}

constexpr std::size_t MaxCommands(CommandType type) {
  return type == CommandType::kChatInput ? kMaxChatInputCommands : kMaxContextMenuCommands;
}

}  // namespace chat::domain
