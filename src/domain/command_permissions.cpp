#include "domain/command_permissions.hpp"

#include <algorithm>
#include <optional>

namespace chat::domain {
namespace {

using Entries = std::vector<CommandPermission>;

std::optional<bool> Find(const Entries& entries, CommandPermissionType type, Snowflake id) {
  for (const auto& e : entries) {
    if (e.type == type && e.id == id) return e.permission;
  }
  return std::nullopt;
}

std::optional<bool> ChannelVerdict(const Entries& entries, const CommandUser& u) {
  if (auto v = Find(entries, CommandPermissionType::kChannel, u.channel_id)) return v;
  return Find(entries, CommandPermissionType::kChannel, AllChannels(u.guild_id));
}

std::optional<bool> MemberVerdict(const Entries& entries, const CommandUser& u) {
  if (auto v = Find(entries, CommandPermissionType::kUser, u.user_id)) return v;
  bool any_role = false;
  for (auto role : u.role_ids) {
    if (role == u.guild_id) continue;
    if (auto v = Find(entries, CommandPermissionType::kRole, role)) {
      if (*v) return true;
      any_role = true;
    }
  }
  if (any_role) return false;
  return Find(entries, CommandPermissionType::kRole, u.guild_id);
}

}  // namespace

CommandVerdict EvaluateCommandPermissions(const Entries& command_level, const Entries& app_level,
                                          const CommandUser& user) {
  if (user.admin) return CommandVerdict::kAllowed;
  if (user.channel_id != 0) {
    auto channel = ChannelVerdict(command_level, user);
    if (!channel) channel = ChannelVerdict(app_level, user);
    if (channel && !*channel) return CommandVerdict::kDenied;
  }
  auto member = MemberVerdict(command_level, user);
  if (!member) member = MemberVerdict(app_level, user);
  if (!member) return CommandVerdict::kUnset;
  return *member ? CommandVerdict::kAllowed : CommandVerdict::kDenied;
}

}  // namespace chat::domain
