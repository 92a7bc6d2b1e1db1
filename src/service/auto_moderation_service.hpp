// service/auto_moderation_service.hpp — a guild's auto moderation rules (Discord's
// /guilds/{id}/auto-moderation/rules), kept by those with MANAGE_GUILD (and MODERATE_MEMBERS for a
// rule that times members out); each change is audited (140–142) and announced as
// AUTO_MODERATION_RULE_CREATE/UPDATE/DELETE (intent AUTO_MODERATION_CONFIGURATION) to the guild's
// managers. As the message path's AutoModerator it runs the enabled rules on what members send
// and carries out their timeouts, with audit entries (143–145) and AUTO_MODERATION_ACTION_EXECUTION
// (intent AUTO_MODERATION_EXECUTION). Managers (MANAGE_GUILD or ADMINISTRATOR), bots and webhooks
// are never checked, as on Discord. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/auto_moderation.hpp"
#include "service/auto_moderator.hpp"
#include "service/community_common.hpp"
#include "service/member_service.hpp"

namespace chat::service {

class AutoModerationService final : public AutoModerator {
 public:
  AutoModerationService(CommunityDeps deps, MemberService& members)
      : deps_(deps), members_(members) {}

  [[nodiscard]] Result<std::vector<domain::AutoModRule>> List(domain::Snowflake user_id,
                                                              domain::Snowflake guild_id);
  [[nodiscard]] Result<domain::AutoModRule> Get(domain::Snowflake user_id,
                                                domain::Snowflake guild_id,
                                                domain::Snowflake rule_id);
  // `body` as the client sent it (domain/json/auto_moderation_json checks it).
  [[nodiscard]] Result<domain::AutoModRule> Create(domain::Snowflake user_id,
                                                   domain::Snowflake guild_id,
                                                   const boost::json::object& body,
                                                   const AuditReason& reason = {});
  [[nodiscard]] Result<domain::AutoModRule> Modify(domain::Snowflake user_id,
                                                   domain::Snowflake guild_id,
                                                   domain::Snowflake rule_id,
                                                   const boost::json::object& body,
                                                   const AuditReason& reason = {});
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake guild_id,
                                    domain::Snowflake rule_id, const AuditReason& reason = {});

  Result<AutoModVerdict> Check(const AutoModSubject& subject) override;
  void Carry(const AutoModVerdict& verdict, const AutoModOutcome& outcome) override;

 private:
  // The rule's roles, channels and actions refer to this guild, and the actor may set them.
  Result<void> CheckReferences(const GuildAccess& ga, const domain::AutoModRule& rule);
  // Members holding MANAGE_GUILD, who receive the rules' events.
  std::vector<domain::Snowflake> Managers(domain::Snowflake guild_id);
  void Announce(const char* type, const domain::AutoModRule& rule);
  // A rule's matcher, compiled once per version of its trigger metadata.
  std::shared_ptr<const domain::AutoModMatcher> MatcherOf(const domain::AutoModRule& rule);

  CommunityDeps deps_;
  MemberService& members_;
  struct Compiled {
    std::string metadata_json;
    std::shared_ptr<const domain::AutoModMatcher> matcher;
  };
  std::mutex compiled_mutex_;
  std::map<domain::Snowflake, Compiled> compiled_;  // GUARDED_BY(compiled_mutex_), by rule id
};

}  // namespace chat::service
