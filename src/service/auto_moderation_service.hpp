// service/auto_moderation_service.hpp — a guild's auto moderation rules (Discord's
// /guilds/{id}/auto-moderation/rules), kept by those with MANAGE_GUILD (and MODERATE_MEMBERS for a
// rule that times members out); each change is audited (140–142) and announced as
// AUTO_MODERATION_RULE_CREATE/UPDATE/DELETE (intent AUTO_MODERATION_CONFIGURATION) to the guild's
// managers. As the message path's AutoModerator it runs the enabled rules on what members send
// and carries out their timeouts, with audit entries (143–145) and AUTO_MODERATION_ACTION_EXECUTION
// (intent AUTO_MODERATION_EXECUTION). Managers (MANAGE_GUILD or ADMINISTRATOR), bots and webhooks
// are never checked, as on Discord. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/auto_moderation.hpp"
#include "service/auto_moderator.hpp"
#include "service/community_common.hpp"
#include "service/member_service.hpp"

namespace chat::service {

class AutoModerationService final : public AutoModerator {
 public:
  // Subscribes to `deps.bus` (which must outlive it) for the rule changes of every node.
  AutoModerationService(CommunityDeps deps, MemberService& members);
  ~AutoModerationService() override;
  AutoModerationService(const AutoModerationService&) = delete;
  AutoModerationService& operator=(const AutoModerationService&) = delete;

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
  // A guild's enabled MESSAGE_SEND rules, ready to run.
  struct ReadyRule {
    domain::AutoModRule rule;
    std::shared_ptr<const domain::AutoModMatcher> matcher;
    std::vector<domain::AutoModAction> actions;
  };
  struct GuildRules {
    std::vector<ReadyRule> rules;
    std::int64_t loaded_ms = 0;
    std::size_t regexes = 0;  // compiled regexes among the rules' matchers
  };

  // The roles, channels and actions `body` sets (all of them on `create`) refer to this guild,
  // and the actor may set them.
  Result<void> CheckReferences(const GuildAccess& ga, const domain::AutoModRule& rule,
                               const boost::json::object& body, bool create);
  void Announce(const char* type, const domain::AutoModRule& rule);
  // The guild's rules from memory, or read and compiled. Every message of a guild needs them, so
  // they are kept: a rule change on any node (its AUTO_MODERATION_RULE_* event, which a local
  // publish delivers before the change is answered) drops the guild's entry, and no entry is
  // older than 30 s.
  Result<std::shared_ptr<const GuildRules>> RulesOf(domain::Snowflake guild_id);
  void Invalidate(domain::Snowflake guild_id);

  CommunityDeps deps_;
  MemberService& members_;
  std::uint64_t subscription_ = 0;
  std::mutex mutex_;
  std::unordered_map<domain::Snowflake, std::shared_ptr<const GuildRules>> guilds_;  // mutex_
  std::uint64_t epoch_ = 0;         // mutex_: invalidations so far, to refuse keeping a raced read
  std::size_t cached_regexes_ = 0;  // mutex_: the regexes among guilds_
};

}  // namespace chat::service
