// store/role_store.hpp — a guild's roles. Role lists come ordered by (position, id). Deleting a
// role also removes it from every member and drops its channel overwrites. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/guild.hpp"
#include "domain/snowflake.hpp"
#include "store/nullable.hpp"

namespace chat::store {

struct RoleUpdate {
  std::optional<std::string> name;
  std::optional<std::uint64_t> permissions;
  Nullable<std::uint32_t> color;
  std::optional<bool> hoist;
  std::optional<bool> mentionable;
  std::optional<int> position;
};

struct RolePosition {
  domain::Snowflake id = 0;
  int position = 0;
};

class RoleStore {
 public:
  virtual ~RoleStore() = default;

  // NotFound 10004 for an unknown guild; Conflict if the id exists.
  [[nodiscard]] virtual Result<void> CreateRole(const domain::Role& role) = 0;
  // NotFound 10011 when the role does not exist in that guild (Get, Update, Delete).
  [[nodiscard]] virtual Result<domain::Role> GetRole(domain::Snowflake guild_id,
                                                     domain::Snowflake role_id) = 0;
  [[nodiscard]] virtual Result<std::vector<domain::Role>> ListRoles(domain::Snowflake guild_id) = 0;
  [[nodiscard]] virtual Result<domain::Role> UpdateRole(domain::Snowflake guild_id,
                                                        domain::Snowflake role_id,
                                                        const RoleUpdate& update) = 0;
  [[nodiscard]] virtual Result<void> DeleteRole(domain::Snowflake guild_id,
                                                domain::Snowflake role_id) = 0;
  // All or nothing: NotFound 10011 (and no change) if any id is not a role of the guild.
  // Returns the guild's roles afterwards.
  [[nodiscard]] virtual Result<std::vector<domain::Role>> SetRolePositions(
      domain::Snowflake guild_id, std::span<const RolePosition> positions) = 0;
};

}  // namespace chat::store
