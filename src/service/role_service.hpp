// service/role_service.hpp — guild roles: list, create, modify, delete and reorder under
// Discord's hierarchy (domain::CanManageRole / CanGrantPermissions), each change announced as
// GUILD_ROLE_* to the guild. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "service/community_common.hpp"
#include "store/role_store.hpp"

namespace chat::service {

struct RoleInput {
  std::optional<std::string> name;
  std::optional<std::uint64_t> permissions;
  std::optional<std::uint32_t> color;
  bool hoist = false;
  bool mentionable = false;
};

class RoleService {
 public:
  explicit RoleService(CommunityDeps deps) : deps_(deps) {}

  [[nodiscard]] Result<std::vector<domain::Role>> List(domain::Snowflake user_id,
                                                       domain::Snowflake guild_id);
  // Any member; Unknown Role (10011) when the guild has no such role.
  [[nodiscard]] Result<domain::Role> Get(domain::Snowflake user_id, domain::Snowflake guild_id,
                                         domain::Snowflake role_id);
  // Discord's role member counts: how many members hold each role but @everyone (0 for none).
  // Reads the member list in pages: one call costs a read of every member.
  [[nodiscard]] Result<std::map<domain::Snowflake, std::int64_t>> MemberCounts(
      domain::Snowflake user_id, domain::Snowflake guild_id);
  [[nodiscard]] Result<domain::Role> Create(domain::Snowflake user_id, domain::Snowflake guild_id,
                                            const RoleInput& input, const AuditReason& reason = {});
  [[nodiscard]] Result<domain::Role> Update(domain::Snowflake user_id, domain::Snowflake guild_id,
                                            domain::Snowflake role_id, store::RoleUpdate update,
                                            const AuditReason& reason = {});
  // @everyone cannot be deleted (400).
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake guild_id,
                                    domain::Snowflake role_id, const AuditReason& reason = {});
  [[nodiscard]] Result<std::vector<domain::Role>> SetPositions(
      domain::Snowflake user_id, domain::Snowflake guild_id,
      const std::vector<store::RolePosition>& positions);

 private:
  CommunityDeps deps_;
};

}  // namespace chat::service
