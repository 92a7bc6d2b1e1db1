#include "service/member_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
using domain::Snowflake;

namespace {

const domain::Role* FindRole(const GuildAccess& ga, Snowflake id) {
  for (const auto& r : ga.roles) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

bool Contains(const std::vector<Snowflake>& v, Snowflake id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

// MEMBER_ROLE_UPDATE's changes: Discord's "$add" / "$remove" keys with [{id, name}].
boost::json::array RoleChanges(const GuildAccess& ga, const std::vector<Snowflake>& added,
                               const std::vector<Snowflake>& removed) {
  auto list = [&](const std::vector<Snowflake>& ids) {
    boost::json::array out;
    for (Snowflake id : ids) {
      const domain::Role* role = FindRole(ga, id);
      out.push_back({{"id", domain::ToString(id)}, {"name", role ? role->name : ""}});
    }
    return out;
  };
  boost::json::array changes;
  if (!added.empty()) changes.push_back({{"key", "$add"}, {"new_value", list(added)}});
  if (!removed.empty()) changes.push_back({{"key", "$remove"}, {"new_value", list(removed)}});
  return changes;
}

// MEMBER_UPDATE's audited fields.
boost::json::object MemberFields(const domain::Member& m) {
  boost::json::object o;
  o["nick"] = m.nickname ? boost::json::value(*m.nickname) : nullptr;
  o["communication_disabled_until"] =
      m.communication_disabled_until_ms
          ? boost::json::value(domain::json::IsoTimestamp(*m.communication_disabled_until_ms))
          : nullptr;
  return o;
}

}  // namespace

Result<std::vector<MemberView>> MemberService::WithUsers(
    Result<std::vector<domain::Member>> members) {
  if (!members) return members.error();
  std::vector<MemberView> out;
  out.reserve(members->size());
  for (auto& m : *members) {
    auto user = deps_.store.GetUser(m.user_id);
    if (!user) continue;  // deleted meanwhile
    out.push_back({std::move(m), std::move(*user)});
  }
  return out;
}

Result<std::vector<MemberView>> MemberService::List(Snowflake user_id, Snowflake guild_id,
                                                    Snowflake after, int limit) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  return WithUsers(deps_.store.ListMembers(guild_id, after, limit));
}

Result<std::vector<MemberView>> MemberService::Search(Snowflake user_id, Snowflake guild_id,
                                                      const std::string& query, int limit) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  return WithUsers(deps_.store.SearchMembers(guild_id, query, limit));
}

Result<MemberView> MemberService::Get(Snowflake user_id, Snowflake guild_id, Snowflake target_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto member = deps_.store.GetMember(guild_id, target_id);
  if (!member) return member.error();
  auto user = deps_.store.GetUser(target_id);
  if (!user) return store::UnknownMember();
  return MemberView{std::move(*member), std::move(*user)};
}

Result<void> MemberService::CheckRoleChange(const GuildAccess& ga,
                                            const std::vector<Snowflake>& changed) {
  if (changed.empty()) return {};
  if (!perm::Has(ga.permissions, perm::kManageRoles)) return MissingPermissions();
  for (Snowflake id : changed) {
    const domain::Role* role = FindRole(ga, id);
    if (!role || id == ga.guild.id) return store::UnknownRole();
    if (!domain::CanManageRole(ga.guild, ga.roles, ga.member, *role, deps_.access.Now())) {
      return MissingPermissions();
    }
  }
  return {};
}

void MemberService::AnnounceUpdate(const domain::Member& member) {
  auto user = deps_.store.GetUser(member.user_id);
  if (!user) return;
  boost::json::object payload = domain::json::MemberJson(member, *user);
  payload["guild_id"] = domain::ToString(member.guild_id);
  PublishToGuild(deps_, "GUILD_MEMBER_UPDATE", member.guild_id, bus::Intent::kGuildMembers,
                 payload);
}

Result<MemberView> MemberService::Update(Snowflake user_id, Snowflake guild_id, Snowflake target_id,
                                         const MemberPatch& patch, const AuditReason& reason) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto target = deps_.store.GetMember(guild_id, target_id);
  if (!target) return target.error();
  const bool self = user_id == target_id;
  const bool can_act = domain::CanActOnMember(ga->guild, ga->roles, ga->member, *target);
  store::MemberUpdate update;
  if (patch.nick) {
    if (*patch.nick) {
      if (auto bad = domain::ValidateText("nick", **patch.nick)) {
        return Error::Validation("Invalid Form Body", {*bad});
      }
      const auto n = std::count_if((*patch.nick)->begin(), (*patch.nick)->end(),
                                   [](char c) { return (c & 0xC0) != 0x80; });
      if (n > static_cast<long>(kNickMaxLength)) {
        return InvalidForm("nick", "BASE_TYPE_MAX_LENGTH", "Must be 32 or fewer in length.");
      }
    }
    if (self) {
      if (!perm::Has(ga->permissions, perm::kChangeNickname) &&
          !perm::Has(ga->permissions, perm::kManageNicknames)) {
        return MissingPermissions();
      }
    } else if (!perm::Has(ga->permissions, perm::kManageNicknames) || !can_act) {
      return MissingPermissions();
    }
    // An empty nick clears it, as on Discord.
    update.nickname =
        (*patch.nick && (*patch.nick)->empty()) ? std::optional<std::string>() : *patch.nick;
  }
  if (patch.roles) {
    std::vector<Snowflake> wanted;
    for (Snowflake id : *patch.roles) {
      // An id that is no role of this guild is a bad form field here (Discord's 400 50035),
      // not the 404 Unknown Role of the one-role routes.
      if (!FindRole(*ga, id)) {
        return InvalidForm("roles", "ROLE_INVALID", "Unknown role " + domain::ToString(id) + ".");
      }
      if (id != guild_id && !Contains(wanted, id)) wanted.push_back(id);
    }
    std::vector<Snowflake> changed;
    for (Snowflake id : wanted) {
      if (!Contains(target->role_ids, id)) changed.push_back(id);
    }
    for (Snowflake id : target->role_ids) {
      if (!Contains(wanted, id)) changed.push_back(id);
    }
    if (auto r = CheckRoleChange(*ga, changed); !r) return r.error();
    update.role_ids = std::move(wanted);
  }
  if (patch.communication_disabled_until_ms) {
    if (!perm::Has(ga->permissions, perm::kModerateMembers) || !can_act) {
      return MissingPermissions();
    }
    if (*patch.communication_disabled_until_ms) {
      const std::int64_t until = **patch.communication_disabled_until_ms;
      const std::int64_t now = deps_.access.Now();
      if (until > now + kMaxTimeoutMs) {
        return InvalidForm("communication_disabled_until", "BASE_TYPE_BAD_TIME",
                           "Must be at most 28 days in the future.");
      }
      // Administrators cannot be timed out.
      const auto target_perms = domain::ComputeBasePermissions(ga->guild, ga->roles, *target);
      if (until > now && perm::Has(target_perms, perm::kAdministrator)) {
        return MissingPermissions();
      }
    }
    update.communication_disabled_until_ms = patch.communication_disabled_until_ms;
  }
  ChannelVisibility seen_before;
  if (update.role_ids) seen_before = SnapshotVisibility(deps_, guild_id, target_id);
  auto member = deps_.store.UpdateMember(guild_id, target_id, update);
  if (!member) return member.error();
  if (update.role_ids) {
    AnnounceVisibilityChanges(deps_, guild_id, seen_before,
                              SnapshotVisibility(deps_, guild_id, target_id));
  }
  if (auto changes = AuditDiff(MemberFields(*target), MemberFields(*member)); !changes.empty()) {
    RecordAudit(deps_.audit, guild_id, user_id, target_id, domain::AuditLogAction::kMemberUpdate,
                std::move(changes), reason);
  }
  if (update.role_ids) {
    std::vector<Snowflake> added, removed;
    for (Snowflake id : *update.role_ids) {
      if (!Contains(target->role_ids, id)) added.push_back(id);
    }
    for (Snowflake id : target->role_ids) {
      if (!Contains(*update.role_ids, id)) removed.push_back(id);
    }
    if (!added.empty() || !removed.empty()) {
      RecordAudit(deps_.audit, guild_id, user_id, target_id,
                  domain::AuditLogAction::kMemberRoleUpdate, RoleChanges(*ga, added, removed),
                  reason);
    }
  }
  auto user = deps_.store.GetUser(target_id);
  if (!user) return store::UnknownMember();
  AnnounceUpdate(*member);
  return MemberView{std::move(*member), std::move(*user)};
}

Result<void> MemberService::AddRole(Snowflake user_id, Snowflake guild_id, Snowflake target_id,
                                    Snowflake role_id, const AuditReason& reason) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto target = deps_.store.GetMember(guild_id, target_id);
  if (!target) return target.error();
  if (auto r = CheckRoleChange(*ga, {role_id}); !r) return r.error();
  if (Contains(target->role_ids, role_id)) return {};
  auto seen_before = SnapshotVisibility(deps_, guild_id, target_id);
  if (auto r = deps_.store.AddMemberRole(guild_id, target_id, role_id); !r) return r.error();
  AnnounceVisibilityChanges(deps_, guild_id, seen_before,
                            SnapshotVisibility(deps_, guild_id, target_id));
  RecordAudit(deps_.audit, guild_id, user_id, target_id, domain::AuditLogAction::kMemberRoleUpdate,
              RoleChanges(*ga, {role_id}, {}), reason);
  target->role_ids.push_back(role_id);
  AnnounceUpdate(*target);
  return {};
}

Result<void> MemberService::RemoveRole(Snowflake user_id, Snowflake guild_id, Snowflake target_id,
                                       Snowflake role_id, const AuditReason& reason) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto target = deps_.store.GetMember(guild_id, target_id);
  if (!target) return target.error();
  if (auto r = CheckRoleChange(*ga, {role_id}); !r) return r.error();
  if (!Contains(target->role_ids, role_id)) return {};
  auto seen_before = SnapshotVisibility(deps_, guild_id, target_id);
  if (auto r = deps_.store.RemoveMemberRole(guild_id, target_id, role_id); !r) return r.error();
  AnnounceVisibilityChanges(deps_, guild_id, seen_before,
                            SnapshotVisibility(deps_, guild_id, target_id));
  RecordAudit(deps_.audit, guild_id, user_id, target_id, domain::AuditLogAction::kMemberRoleUpdate,
              RoleChanges(*ga, {}, {role_id}), reason);
  std::erase(target->role_ids, role_id);
  AnnounceUpdate(*target);
  return {};
}

Result<void> MemberService::Kick(Snowflake user_id, Snowflake guild_id, Snowflake target_id,
                                 const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kKickMembers);
  if (!ga) return ga.error();
  auto target = deps_.store.GetMember(guild_id, target_id);
  if (!target) return target.error();
  if (target_id == user_id || !domain::CanActOnMember(ga->guild, ga->roles, ga->member, *target)) {
    return MissingPermissions();
  }
  if (auto r = deps_.store.RemoveMember(guild_id, target_id); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, target_id, domain::AuditLogAction::kMemberKick, {},
              reason);
  guilds_.AnnounceRemoval(guild_id, target_id);
  return {};
}

Result<void> MemberService::TimeOutForAutoModeration(Snowflake guild_id, Snowflake target_id,
                                                     std::int64_t until_ms) {
  auto guild = deps_.store.GetGuild(guild_id);
  if (!guild) return guild.error();
  auto roles = deps_.store.ListRoles(guild_id);
  if (!roles) return roles.error();
  auto target = deps_.store.GetMember(guild_id, target_id);
  if (!target) return target.error();
  if (perm::Has(domain::ComputeBasePermissions(*guild, *roles, *target), perm::kAdministrator)) {
    return {};
  }
  // A longer timeout (a moderator's, or an earlier rule's) stays as it is.
  if (target->communication_disabled_until_ms.value_or(0) >= until_ms) return {};
  store::MemberUpdate update;
  update.communication_disabled_until_ms = std::optional<std::int64_t>(until_ms);
  auto member = deps_.store.UpdateMember(guild_id, target_id, update);
  if (!member) return member.error();
  AnnounceUpdate(*member);
  return {};
}

}  // namespace chat::service
