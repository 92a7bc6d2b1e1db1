// service/member_service.hpp — guild members: list, search, get, modify (nick, roles, timeout),
// add/remove one role and kick, with Discord's permission and hierarchy rules. Changes are
// announced as GUILD_MEMBER_UPDATE / _REMOVE (GUILD_MEMBERS intent); a kicked user also gets
// GUILD_DELETE. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/user.hpp"
#include "service/community_common.hpp"
#include "service/guild_service.hpp"
#include "store/nullable.hpp"

namespace chat::service {

struct MemberView {
  domain::Member member;
  domain::User user;
};

struct MemberPatch {
  store::Nullable<std::string> nick;
  std::optional<std::vector<domain::Snowflake>> roles;
  store::Nullable<std::int64_t> communication_disabled_until_ms;
};

inline constexpr std::size_t kNickMaxLength = 32;
// Discord refuses timeouts longer than 28 days.
inline constexpr std::int64_t kMaxTimeoutMs = 28LL * 24 * 3600 * 1000;

class MemberService {
 public:
  MemberService(CommunityDeps deps, GuildService& guilds) : deps_(deps), guilds_(guilds) {}

  [[nodiscard]] Result<std::vector<MemberView>> List(domain::Snowflake user_id,
                                                     domain::Snowflake guild_id,
                                                     domain::Snowflake after, int limit);
  [[nodiscard]] Result<std::vector<MemberView>> Search(domain::Snowflake user_id,
                                                       domain::Snowflake guild_id,
                                                       const std::string& query, int limit);
  [[nodiscard]] Result<MemberView> Get(domain::Snowflake user_id, domain::Snowflake guild_id,
                                       domain::Snowflake target_id);
  [[nodiscard]] Result<MemberView> Update(domain::Snowflake user_id, domain::Snowflake guild_id,
                                          domain::Snowflake target_id, const MemberPatch& patch,
                                          const AuditReason& reason = {});
  [[nodiscard]] Result<void> AddRole(domain::Snowflake user_id, domain::Snowflake guild_id,
                                     domain::Snowflake target_id, domain::Snowflake role_id,
                                     const AuditReason& reason = {});
  [[nodiscard]] Result<void> RemoveRole(domain::Snowflake user_id, domain::Snowflake guild_id,
                                        domain::Snowflake target_id, domain::Snowflake role_id,
                                        const AuditReason& reason = {});
  // KICK_MEMBERS and the hierarchy; nobody kicks the owner or themselves.
  [[nodiscard]] Result<void> Kick(domain::Snowflake user_id, domain::Snowflake guild_id,
                                  domain::Snowflake target_id, const AuditReason& reason = {});
  // An auto moderation rule's timeout: nobody's permission is checked (the rule's maker had
  // MODERATE_MEMBERS), the owner and administrators are never timed out, and a longer timeout
  // stays.
  [[nodiscard]] Result<void> TimeOutForAutoModeration(domain::Snowflake guild_id,
                                                      domain::Snowflake target_id,
                                                      std::int64_t until_ms);

 private:
  Result<std::vector<MemberView>> WithUsers(Result<std::vector<domain::Member>> members);
  // Role changes (set difference `changed`) need MANAGE_ROLES and CanManageRole on each.
  Result<void> CheckRoleChange(const GuildAccess& ga,
                               const std::vector<domain::Snowflake>& changed);
  void AnnounceUpdate(const domain::Member& member);

  CommunityDeps deps_;
  GuildService& guilds_;
};

}  // namespace chat::service
