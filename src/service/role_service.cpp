#include "service/role_service.hpp"

#include <algorithm>
#include <unordered_map>

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
using domain::Snowflake;

namespace {

std::optional<FieldError> CheckRoleName(const std::string& name) {
  if (auto bad = domain::ValidateText("name", name)) return bad;
  const auto n = std::count_if(name.begin(), name.end(), [](char c) { return (c & 0xC0) != 0x80; });
  if (n < 1 || n > 100) {
    return FieldError{"name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."};
  }
  return std::nullopt;
}

boost::json::object RolePayload(Snowflake guild_id, const domain::Role& role) {
  return {{"guild_id", domain::ToString(guild_id)}, {"role", domain::json::RoleJson(role)}};
}

}  // namespace

Result<std::vector<domain::Role>> RoleService::List(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  return std::move(ga->roles);
}

Result<domain::Role> RoleService::Get(Snowflake user_id, Snowflake guild_id, Snowflake role_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  for (auto& role : ga->roles) {
    if (role.id == role_id) return std::move(role);
  }
  return store::UnknownRole();
}

Result<std::map<Snowflake, std::int64_t>> RoleService::MemberCounts(Snowflake user_id,
                                                                    Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  std::map<Snowflake, std::int64_t> counts;
  for (const auto& role : ga->roles) {
    if (role.id != guild_id) counts[role.id] = 0;
  }
  Snowflake after = 0;
  for (;;) {
    auto page = deps_.store.ListMembers(guild_id, after, store::kMaxMemberPage);
    if (!page) return page.error();
    for (const auto& member : *page) {
      for (const auto role : member.role_ids) {
        if (auto it = counts.find(role); it != counts.end()) ++it->second;
      }
    }
    if (page->size() < static_cast<std::size_t>(store::kMaxMemberPage)) return counts;
    after = page->back().user_id;
  }
}

Result<domain::Role> RoleService::Create(Snowflake user_id, Snowflake guild_id,
                                         const RoleInput& input, const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageRoles);
  if (!ga) return ga.error();
  if (input.name) {
    if (auto bad = CheckRoleName(*input.name))
      return Error::Validation("Invalid Form Body", {*bad});
  }
  std::uint64_t everyone_perms = 0;
  for (const auto& r : ga->roles) {
    if (r.id == guild_id) everyone_perms = r.permissions;
  }
  const std::uint64_t perms = input.permissions.value_or(everyone_perms);
  if (!domain::CanGrantPermissions(ga->permissions, perms)) return MissingPermissions();
  // A new role lands just above @everyone, as on Discord: the others move up by one.
  std::vector<store::RolePosition> shifted;
  for (const auto& r : ga->roles) {
    if (r.id != guild_id) shifted.push_back({r.id, r.position + 1});
  }
  if (!shifted.empty()) {
    auto moved = deps_.store.SetRolePositions(guild_id, shifted);
    if (!moved) return moved.error();
  }
  domain::Role role;
  role.id = deps_.ids.Next();
  role.guild_id = guild_id;
  role.name = input.name.value_or("new role");
  role.permissions = perms;
  role.position = 1;
  role.color = input.color;
  role.hoist = input.hoist;
  role.mentionable = input.mentionable;
  if (auto r = deps_.store.CreateRole(role); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, role.id, domain::AuditLogAction::kRoleCreate,
              AuditDiff({}, AuditFields(role)), reason);
  PublishToGuild(deps_, "GUILD_ROLE_CREATE", guild_id, bus::Intent::kGuilds,
                 RolePayload(guild_id, role));
  return role;
}

Result<domain::Role> RoleService::Update(Snowflake user_id, Snowflake guild_id, Snowflake role_id,
                                         store::RoleUpdate update, const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageRoles);
  if (!ga) return ga.error();
  auto it = std::find_if(ga->roles.begin(), ga->roles.end(),
                         [&](const domain::Role& r) { return r.id == role_id; });
  if (it == ga->roles.end()) return store::UnknownRole();
  const domain::Role target = *it;
  if (!domain::CanManageRole(ga->guild, ga->roles, ga->member, target, deps_.access.Now())) {
    return MissingPermissions();
  }
  if (update.name) {
    if (auto bad = CheckRoleName(*update.name))
      return Error::Validation("Invalid Form Body", {*bad});
  }
  if (update.permissions && *update.permissions != target.permissions) {
    // Only the bits being added must be held; keeping bits one lacks is allowed.
    const std::uint64_t added = *update.permissions & ~target.permissions;
    if (!domain::CanGrantPermissions(ga->permissions, added)) return MissingPermissions();
  }
  if (role_id == guild_id) {
    // @everyone keeps its name and its place at the bottom.
    update.name.reset();
    update.position.reset();
  }
  if (update.position) {
    if (*update.position < 1) {
      return InvalidForm("position", "NUMBER_TYPE_MIN", "Must be at least 1.");
    }
    if (!ga->owner && *update.position >= domain::HighestRolePosition(ga->member, ga->roles)) {
      return MissingPermissions();
    }
  }
  // Only a permission change can show or hide channels, and it may do so for every member.
  const bool permissions_change = update.permissions && *update.permissions != target.permissions;
  ChannelVisibility seen_before;
  if (permissions_change) seen_before = SnapshotVisibility(deps_, guild_id, std::nullopt);
  auto role = deps_.store.UpdateRole(guild_id, role_id, update);
  if (!role) return role.error();
  if (permissions_change) {
    AnnounceVisibilityChanges(deps_, guild_id, seen_before,
                              SnapshotVisibility(deps_, guild_id, std::nullopt));
  }
  if (auto changes = AuditDiff(AuditFields(target), AuditFields(*role)); !changes.empty()) {
    RecordAudit(deps_.audit, guild_id, user_id, role_id, domain::AuditLogAction::kRoleUpdate,
                std::move(changes), reason);
  }
  PublishToGuild(deps_, "GUILD_ROLE_UPDATE", guild_id, bus::Intent::kGuilds,
                 RolePayload(guild_id, *role));
  return role;
}

Result<void> RoleService::Delete(Snowflake user_id, Snowflake guild_id, Snowflake role_id,
                                 const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageRoles);
  if (!ga) return ga.error();
  auto it = std::find_if(ga->roles.begin(), ga->roles.end(),
                         [&](const domain::Role& r) { return r.id == role_id; });
  if (it == ga->roles.end()) return store::UnknownRole();
  if (role_id == guild_id) return Error::Validation("Cannot delete the @everyone role.");
  if (!domain::CanManageRole(ga->guild, ga->roles, ga->member, *it, deps_.access.Now())) {
    return MissingPermissions();
  }
  const domain::Role deleted = *it;
  auto seen_before = SnapshotVisibility(deps_, guild_id, std::nullopt);
  if (auto r = deps_.store.DeleteRole(guild_id, role_id); !r) return r.error();
  AnnounceVisibilityChanges(deps_, guild_id, seen_before,
                            SnapshotVisibility(deps_, guild_id, std::nullopt));
  RecordAudit(deps_.audit, guild_id, user_id, role_id, domain::AuditLogAction::kRoleDelete,
              AuditDiff(AuditFields(deleted), {}), reason);
  PublishToGuild(deps_, "GUILD_ROLE_DELETE", guild_id, bus::Intent::kGuilds,
                 boost::json::object{{"guild_id", domain::ToString(guild_id)},
                                     {"role_id", domain::ToString(role_id)}});
  return {};
}

// Discord's reorder: the listed roles take the given positions, the others keep theirs, ties keep
// the current order, and the result is renumbered 1..n above @everyone. Clients send whole lists
// (discord.js sends every role, @everyone at 0, numbered as it counts them), so only a role whose
// place in the order changes needs the actor's right to manage it; renumbering alone is not a
// move. The roles whose stored position changes are saved and announced.
Result<std::vector<domain::Role>> RoleService::SetPositions(
    Snowflake user_id, Snowflake guild_id, const std::vector<store::RolePosition>& positions) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageRoles);
  if (!ga) return ga.error();
  std::vector<const domain::Role*> order;  // low to high, @everyone left out
  for (const auto& r : ga->roles) {
    if (r.id != guild_id) order.push_back(&r);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return a->position != b->position ? a->position < b->position : a->id < b->id;
  });
  std::unordered_map<Snowflake, int> wanted;
  for (const auto& p : positions) {
    if (p.id == guild_id) {
      if (p.position != 0) {
        return InvalidForm("position", "NUMBER_TYPE_MIN", "@everyone stays at position 0.");
      }
      continue;
    }
    if (p.position < 1) {
      return InvalidForm("position", "NUMBER_TYPE_MIN", "Roles are placed above @everyone.");
    }
    if (std::none_of(order.begin(), order.end(), [&](const auto* r) { return r->id == p.id; })) {
      return store::UnknownRole();
    }
    wanted[p.id] = p.position;
  }
  std::vector<std::pair<int, std::size_t>> keys;  // (wanted position, current rank) per rank
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto it = wanted.find(order[i]->id);
    keys.emplace_back(it == wanted.end() ? order[i]->position : it->second, i);
  }
  std::stable_sort(keys.begin(), keys.end());
  std::vector<store::RolePosition> renumbered;
  for (std::size_t rank = 0; rank < keys.size(); ++rank) {
    const domain::Role& role = *order[keys[rank].second];
    if (keys[rank].second != rank &&
        !domain::CanManageRole(ga->guild, ga->roles, ga->member, role, deps_.access.Now())) {
      return MissingPermissions();
    }
    const int position = static_cast<int>(rank) + 1;
    if (role.position != position) renumbered.push_back({role.id, position});
  }
  if (renumbered.empty()) return std::move(ga->roles);
  auto roles = deps_.store.SetRolePositions(guild_id, renumbered);
  if (!roles) return roles.error();
  for (const auto& r : *roles) {
    for (const auto& p : renumbered) {
      if (p.id == r.id) {
        PublishToGuild(deps_, "GUILD_ROLE_UPDATE", guild_id, bus::Intent::kGuilds,
                       RolePayload(guild_id, r));
      }
    }
  }
  return roles;
}

}  // namespace chat::service
