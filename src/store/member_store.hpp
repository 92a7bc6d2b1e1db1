// store/member_store.hpp — guild membership and member roles. Member role ids never include
// @everyone and must be roles of the same guild. Removing a member removes their member roles.
// Member lists come ascending by user id. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/guild.hpp"
#include "domain/snowflake.hpp"
#include "store/nullable.hpp"

namespace chat::store {

inline constexpr int kMaxMemberPage = 1000;

struct MemberUpdate {
  Nullable<std::string> nickname;
  Nullable<std::int64_t> communication_disabled_until_ms;
  std::optional<std::vector<domain::Snowflake>> role_ids;  // replaces the whole set
};

class MemberStore {
 public:
  virtual ~MemberStore() = default;

  // joined_at_ms 0 means "now". Conflict if already a member; NotFound 10004 / 10013 / 10011
  // for an unknown guild / user / role.
  [[nodiscard]] virtual Result<void> AddMember(const domain::Member& member) = 0;
  // NotFound 10007 when not a member (Get, Update, role changes, Remove).
  [[nodiscard]] virtual Result<domain::Member> GetMember(domain::Snowflake guild_id,
                                                         domain::Snowflake user_id) = 0;
  // Members with user_id > after, ascending; limit is clamped to 1..kMaxMemberPage.
  [[nodiscard]] virtual Result<std::vector<domain::Member>> ListMembers(domain::Snowflake guild_id,
                                                                        domain::Snowflake after,
                                                                        int limit) = 0;
  // Members whose username or nickname starts with `prefix` (ASCII case-insensitive), ascending
  // by user id; limit clamped to 1..kMaxMemberPage.
  [[nodiscard]] virtual Result<std::vector<domain::Member>> SearchMembers(
      domain::Snowflake guild_id, std::string_view prefix, int limit) = 0;
  // Returns the member after the update. NotFound 10011 for a role not in the guild.
  [[nodiscard]] virtual Result<domain::Member> UpdateMember(domain::Snowflake guild_id,
                                                            domain::Snowflake user_id,
                                                            const MemberUpdate& update) = 0;
  [[nodiscard]] virtual Result<void> SetMemberRoles(
      domain::Snowflake guild_id, domain::Snowflake user_id,
      std::span<const domain::Snowflake> role_ids) = 0;
  // Adding a role the member has, or removing one they lack, succeeds. NotFound 10011 for a
  // role not in the guild.
  [[nodiscard]] virtual Result<void> AddMemberRole(domain::Snowflake guild_id,
                                                   domain::Snowflake user_id,
                                                   domain::Snowflake role_id) = 0;
  [[nodiscard]] virtual Result<void> RemoveMemberRole(domain::Snowflake guild_id,
                                                      domain::Snowflake user_id,
                                                      domain::Snowflake role_id) = 0;
  [[nodiscard]] virtual Result<void> RemoveMember(domain::Snowflake guild_id,
                                                  domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<bool> IsMember(domain::Snowflake guild_id,
                                              domain::Snowflake user_id) = 0;
};

}  // namespace chat::store
