#include "domain/permissions.hpp"

#include <algorithm>
#include <charconv>

namespace chat::domain {

namespace perm {

std::string ToString(std::uint64_t perms) { return std::to_string(perms); }

std::optional<std::uint64_t> ParsePermissions(std::string_view text) {
  // from_chars on an unsigned type already refuses '+', '-' and leading whitespace; the length
  // cap only keeps absurd inputs cheap (2^64-1 has 20 digits, leading zeros allowed up to that).
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  if ((value & ~kAll) != 0) return std::nullopt;
  return value;
}

}  // namespace perm

namespace {

bool IsOwner(const Guild& guild, const Member& member) { return member.user_id == guild.owner_id; }

// Looks a role up by id among the guild's roles, refusing roles of another guild.
const Role* FindRole(const std::vector<Role>& roles, Snowflake guild_id, Snowflake role_id) {
  auto it = std::find_if(roles.begin(), roles.end(),
                         [&](const Role& r) { return r.id == role_id && r.guild_id == guild_id; });
  return it == roles.end() ? nullptr : &*it;
}

void Apply(std::uint64_t& perms, std::uint64_t deny, std::uint64_t allow) {
  perms &= ~deny;
  perms |= allow;
}

}  // namespace

std::uint64_t ComputeBasePermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                     const Member& member) {
  if (member.guild_id != guild.id) return 0;
  if (IsOwner(guild, member)) return perm::kAll;
  std::uint64_t perms = 0;
  if (const Role* everyone = FindRole(guild_roles, guild.id, guild.id)) {
    perms |= everyone->permissions;
  }
  for (Snowflake role_id : member.role_ids) {
    if (const Role* role = FindRole(guild_roles, guild.id, role_id)) perms |= role->permissions;
  }
  if (perms & perm::kAdministrator) return perm::kAll;
  return perms & perm::kAll;
}

bool IsTimedOut(const Member& member, std::int64_t now_unix_ms) {
  return member.communication_disabled_until_ms.has_value() &&
         *member.communication_disabled_until_ms > now_unix_ms;
}

std::uint64_t ComputeGuildPermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                      const Member& member, std::int64_t now_unix_ms) {
  std::uint64_t perms = ComputeBasePermissions(guild, guild_roles, member);
  // Owner and administrators are exempt from timeouts, as on Discord (base is kAll for both).
  if (perms & perm::kAdministrator) return perms;
  if (IsTimedOut(member, now_unix_ms)) perms &= perm::kTimeoutAllowed;
  return perms;
}

namespace {

// ComputeChannelPermissions, with `send_bit` the permission whose absence takes the
// kNeedSendMessages bits: SEND_MESSAGES in a channel, SEND_MESSAGES_IN_THREADS in its threads.
std::uint64_t ChannelPermissions(std::uint64_t base, const Guild& guild, const Channel& channel,
                                 const Member& member, std::int64_t now_unix_ms,
                                 std::uint64_t send_bit) {
  if (member.guild_id != guild.id || channel.guild_id != guild.id) return 0;
  if (IsOwner(guild, member) || (base & perm::kAdministrator)) return perm::kAll;

  std::uint64_t perms = base & perm::kAll;
  std::uint64_t role_deny = 0;
  std::uint64_t role_allow = 0;
  const PermissionOverwrite* everyone = nullptr;
  const PermissionOverwrite* own = nullptr;
  for (const PermissionOverwrite& ow : channel.overwrites) {
    if (ow.type == OverwriteType::kMember) {
      if (ow.id == member.user_id) own = &ow;
    } else if (ow.id == guild.id) {
      everyone = &ow;
    } else if (std::find(member.role_ids.begin(), member.role_ids.end(), ow.id) !=
               member.role_ids.end()) {
      // Role overwrites are aggregated, so that the member's roles do not depend on the order in
      // which they are stored: any role's allow beats any role's deny.
      role_deny |= ow.deny;
      role_allow |= ow.allow;
    }
  }
  if (everyone != nullptr) Apply(perms, everyone->deny, everyone->allow);
  Apply(perms, role_deny, role_allow);
  if (own != nullptr) Apply(perms, own->deny, own->allow);
  // An overwrite may carry bits outside the table (hand-edited rows); never let them through.
  perms &= perm::kAll;

  if (!(perms & perm::kViewChannel)) return 0;
  if (!(perms & send_bit)) perms &= ~perm::kNeedSendMessages;
  if (IsVoiceLike(channel.type) && !(perms & perm::kConnect)) {
    perms &= ~perm::kNeedConnect;
  }
  if (IsTimedOut(member, now_unix_ms)) perms &= perm::kTimeoutAllowed;
  return perms;
}

}  // namespace

std::uint64_t ComputeChannelPermissions(std::uint64_t base, const Guild& guild,
                                        const Channel& channel, const Member& member,
                                        std::int64_t now_unix_ms) {
  return ChannelPermissions(base, guild, channel, member, now_unix_ms, perm::kSendMessages);
}

std::uint64_t ApplyThreadRules(std::uint64_t p, const Channel& thread, bool thread_member) {
  if (!perm::Has(p, perm::kViewChannel)) return 0;
  const bool moderator = perm::Has(p, perm::kManageThreads);
  if (thread.type == ChannelType::kPrivateThread && !thread_member && !moderator) return 0;
  p &= ~perm::kSendMessages;
  const bool locked = thread.thread && thread.thread->locked;
  if (perm::Has(p, perm::kSendMessagesInThreads) && (!locked || moderator)) {
    p |= perm::kSendMessages;
  } else {
    p &= ~perm::kNeedSendMessages;
  }
  return p;
}

std::uint64_t ComputeThreadPermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                       const Member& member, const Channel& parent,
                                       const Channel& thread, bool thread_member,
                                       std::int64_t now_unix_ms) {
  const std::uint64_t in_parent =
      ChannelPermissions(ComputeBasePermissions(guild, guild_roles, member), guild, parent, member,
                         now_unix_ms, perm::kSendMessagesInThreads);
  return ApplyThreadRules(in_parent, thread, thread_member);
}

std::uint64_t ComputePermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                 const Member& member, const Channel& channel,
                                 std::int64_t now_unix_ms) {
  return ComputeChannelPermissions(ComputeBasePermissions(guild, guild_roles, member), guild,
                                   channel, member, now_unix_ms);
}

int HighestRolePosition(const Member& member, const std::vector<Role>& guild_roles) {
  int highest = 0;
  for (Snowflake role_id : member.role_ids) {
    if (const Role* role = FindRole(guild_roles, member.guild_id, role_id)) {
      highest = std::max(highest, role->position);
    }
  }
  return highest;
}

bool CanManageRole(const Guild& guild, const std::vector<Role>& guild_roles, const Member& actor,
                   const Role& target, std::int64_t now_unix_ms) {
  if (actor.guild_id != guild.id || target.guild_id != guild.id) return false;
  if (IsOwner(guild, actor)) return true;
  const std::uint64_t perms = ComputeGuildPermissions(guild, guild_roles, actor, now_unix_ms);
  if (!(perms & (perm::kManageRoles | perm::kAdministrator))) return false;
  return target.position < HighestRolePosition(actor, guild_roles);
}

bool CanActOnMember(const Guild& guild, const std::vector<Role>& guild_roles, const Member& actor,
                    const Member& target) {
  if (actor.guild_id != guild.id || target.guild_id != guild.id) return false;
  if (IsOwner(guild, target)) return false;
  if (IsOwner(guild, actor)) return true;
  return HighestRolePosition(actor, guild_roles) > HighestRolePosition(target, guild_roles);
}

bool CanGrantPermissions(std::uint64_t actor_perms, std::uint64_t requested) {
  if (requested & ~perm::kAll) return false;
  if (actor_perms & perm::kAdministrator) return true;
  return (requested & ~actor_perms) == 0;
}

}  // namespace chat::domain
