#include "service/auto_moderation_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/auto_moderation_json.hpp"
#include "domain/mentions.hpp"
#include "domain/permissions.hpp"
#include "store/auto_moderation_store.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
namespace json = boost::json;
using domain::AutoModActionType;
using domain::AutoModRule;
using domain::Snowflake;

namespace {

constexpr const char* kTarget = "chat_server::auto_moderation";
// The guilds whose rules are kept compiled, and the regexes among them (each up to 256 KiB);
// past either bound the cache starts over.
constexpr std::size_t kMaxCachedGuilds = 4096;
constexpr std::size_t kMaxCachedRegexes = 2048;
// Rules are read again after this long even without an invalidation: a node whose Redis
// connection dropped the event of another node's change catches up.
constexpr std::int64_t kMaxRulesAgeMs = 30'000;

json::object AuditFields(const AutoModRule& r) {
  return {{"name", r.name},
          {"event_type", r.event_type},
          {"trigger_type", r.trigger_type},
          {"enabled", r.enabled}};
}

bool Contains(const std::vector<Snowflake>& ids, Snowflake id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

domain::AuditLogAction AuditActionOf(AutoModActionType type) {
  switch (type) {
    case AutoModActionType::kSendAlertMessage:
      return domain::AuditLogAction::kAutoModerationFlagToChannel;
    case AutoModActionType::kTimeout:
      return domain::AuditLogAction::kAutoModerationUserCommunicationDisabled;
    default:
      return domain::AuditLogAction::kAutoModerationBlockMessage;
  }
}

json::value OrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

}  // namespace

Result<std::vector<AutoModRule>> AutoModerationService::List(Snowflake user_id,
                                                             Snowflake guild_id) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  return deps_.store.ListAutoModRules(guild_id);
}

Result<AutoModRule> AutoModerationService::Get(Snowflake user_id, Snowflake guild_id,
                                               Snowflake rule_id) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  return deps_.store.GetAutoModRule(guild_id, rule_id);
}

Result<void> AutoModerationService::CheckReferences(const GuildAccess& ga, const AutoModRule& r,
                                                    const json::object& body, bool create) {
  // Only what the body sets: a role or channel deleted since the rule was made does not stand in
  // the way of another change.
  const auto sets = [&](const char* key) {
    const auto* v = body.if_contains(key);
    return create || (v && !v->is_null());
  };
  for (std::size_t i = 0; sets("exempt_roles") && i < r.exempt_roles.size(); ++i) {
    const Snowflake id = r.exempt_roles[i];
    if (std::none_of(ga.roles.begin(), ga.roles.end(),
                     [id](const domain::Role& role) { return role.id == id; })) {
      return InvalidForm("exempt_roles." + std::to_string(i), "ROLE_INVALID",
                         "Unknown role " + domain::ToString(id) + ".");
    }
  }
  const auto channel_of_guild = [&](Snowflake id) {
    auto c = deps_.store.GetChannel(id);
    return c && c->guild_id == ga.guild.id ? std::optional<domain::Channel>(*c) : std::nullopt;
  };
  for (std::size_t i = 0; sets("exempt_channels") && i < r.exempt_channels.size(); ++i) {
    if (!channel_of_guild(r.exempt_channels[i])) {
      return InvalidForm("exempt_channels." + std::to_string(i), "CHANNEL_INVALID",
                         "Unknown channel " + domain::ToString(r.exempt_channels[i]) + ".");
    }
  }
  // Whoever changes a rule that times members out, in any way, must be able to time them out.
  const auto actions = domain::json::AutoModActionsOf(r);
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& a = actions[i];
    if (a.type == AutoModActionType::kSendAlertMessage && sets("actions")) {
      auto c = channel_of_guild(a.channel_id);
      if (!c || (c->type != domain::ChannelType::kGuildText &&
                 c->type != domain::ChannelType::kGuildAnnouncement)) {
        return InvalidForm("actions." + std::to_string(i) + ".metadata.channel_id",
                           "CHANNEL_INVALID", "Must be a text channel of the guild.");
      }
    }
    if (a.type == AutoModActionType::kTimeout &&
        !perm::Has(ga.permissions, perm::kModerateMembers)) {
      return MissingPermissions();
    }
  }
  return {};
}

Result<AutoModRule> AutoModerationService::Create(Snowflake user_id, Snowflake guild_id,
                                                  const json::object& body,
                                                  const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  AutoModRule rule;
  if (auto r = domain::json::ApplyAutoModRuleBody(body, true, rule); !r) return r.error();
  if (auto r = CheckReferences(*ga, rule, body, true); !r) return r.error();
  rule.id = deps_.ids.Next();
  rule.guild_id = guild_id;
  rule.creator_id = user_id;
  auto stored =
      deps_.store.CreateAutoModRule(rule, domain::json::MaxAutoModRules(rule.trigger_type));
  if (!stored) return stored.error();
  if (!*stored) {
    return InvalidForm("trigger_type", "AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED",
                       "Maximum number of rules of this trigger type reached (" +
                           std::to_string(domain::json::MaxAutoModRules(rule.trigger_type)) + ").");
  }
  RecordAudit(deps_.audit, guild_id, user_id, rule.id,
              domain::AuditLogAction::kAutoModerationRuleCreate, AuditDiff({}, AuditFields(rule)),
              reason);
  Announce("AUTO_MODERATION_RULE_CREATE", rule);
  return rule;
}

Result<AutoModRule> AutoModerationService::Modify(Snowflake user_id, Snowflake guild_id,
                                                  Snowflake rule_id, const json::object& body,
                                                  const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  auto before = deps_.store.GetAutoModRule(guild_id, rule_id);
  if (!before) return before.error();
  AutoModRule rule = *before;
  if (auto r = domain::json::ApplyAutoModRuleBody(body, false, rule); !r) return r.error();
  if (auto r = CheckReferences(*ga, rule, body, false); !r) return r.error();
  if (auto r = deps_.store.UpdateAutoModRule(rule); !r) return r.error();
  if (auto changes = AuditDiff(AuditFields(*before), AuditFields(rule)); !changes.empty()) {
    RecordAudit(deps_.audit, guild_id, user_id, rule.id,
                domain::AuditLogAction::kAutoModerationRuleUpdate, std::move(changes), reason);
  }
  Announce("AUTO_MODERATION_RULE_UPDATE", rule);
  return rule;
}

Result<void> AutoModerationService::Delete(Snowflake user_id, Snowflake guild_id, Snowflake rule_id,
                                           const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  auto gone = deps_.store.DeleteAutoModRule(guild_id, rule_id);
  if (!gone) return gone.error();
  RecordAudit(deps_.audit, guild_id, user_id, rule_id,
              domain::AuditLogAction::kAutoModerationRuleDelete, AuditDiff(AuditFields(*gone), {}),
              reason);
  Announce("AUTO_MODERATION_RULE_DELETE", *gone);
  return {};
}

void AutoModerationService::Announce(const char* type, const AutoModRule& rule) {
  // Published even with nobody to tell (PublishTo would not): every node's cache of the guild's
  // rules drops them on it.
  bus::Event event;
  event.type = type;
  event.guild_id = rule.guild_id;
  event.recipients = MembersHolding(deps_.store, rule.guild_id, perm::kManageGuild);
  event.intent = bus::Intent::kAutoModerationConfiguration;
  event.payload = json::serialize(domain::json::AutoModRuleJson(rule));
  deps_.bus.Publish(std::move(event));
}

AutoModerationService::AutoModerationService(CommunityDeps deps, MemberService& members)
    : deps_(deps), members_(members) {
  subscription_ = deps_.bus.Subscribe([this](const bus::EventPtr& event) {
    if (event->guild_id && event->type.starts_with("AUTO_MODERATION_RULE_")) {
      Invalidate(*event->guild_id);
    }
  });
}

AutoModerationService::~AutoModerationService() { deps_.bus.Unsubscribe(subscription_); }

void AutoModerationService::Invalidate(Snowflake guild_id) {
  std::lock_guard lock(mutex_);
  if (auto it = guilds_.find(guild_id); it != guilds_.end()) {
    cached_regexes_ -= it->second->regexes;
    guilds_.erase(it);
  }
  ++epoch_;
}

Result<std::shared_ptr<const AutoModerationService::GuildRules>> AutoModerationService::RulesOf(
    Snowflake guild_id) {
  const std::int64_t now = deps_.access.Now();
  std::uint64_t epoch;
  {
    std::lock_guard lock(mutex_);
    auto it = guilds_.find(guild_id);
    if (it != guilds_.end() && now - it->second->loaded_ms < kMaxRulesAgeMs) return it->second;
    epoch = epoch_;
  }
  auto rules = deps_.store.ListAutoModRules(guild_id);
  if (!rules) return rules.error();
  auto ready = std::make_shared<GuildRules>();
  ready->loaded_ms = now;
  for (auto& rule : *rules) {
    if (!rule.enabled || rule.event_type != domain::kAutoModEventMessageSend) continue;
    std::shared_ptr<const domain::AutoModMatcher> matcher = domain::json::AutoModMatcherOf(rule);
    auto actions = domain::json::AutoModActionsOf(rule);
    if (!matcher || actions.empty()) continue;
    ready->regexes += matcher->RegexCount();
    ready->rules.push_back({std::move(rule), std::move(matcher), std::move(actions)});
  }
  std::lock_guard lock(mutex_);
  // A read that raced a change is used once, not kept: the change's invalidation came first.
  if (epoch == epoch_) {
    if (guilds_.size() >= kMaxCachedGuilds ||
        cached_regexes_ + ready->regexes > kMaxCachedRegexes) {
      guilds_.clear();
      cached_regexes_ = 0;
    }
    if (auto [it, added] = guilds_.try_emplace(guild_id, ready); !added) {
      cached_regexes_ -= it->second->regexes;
      it->second = ready;
    }
    cached_regexes_ += ready->regexes;
  }
  return std::shared_ptr<const GuildRules>(std::move(ready));
}

Result<AutoModVerdict> AutoModerationService::Check(const AutoModSubject& s) {
  AutoModVerdict verdict;
  if (perm::Has(s.permissions, perm::kManageGuild)) return verdict;  // ADMINISTRATOR has it too
  auto guild = RulesOf(s.guild_id);
  if (!guild) return guild.error();
  std::optional<std::size_t> mentions;
  for (const auto& [rule, matcher, actions] : (*guild)->rules) {
    if (Contains(rule.exempt_channels, s.channel_id) ||
        (s.parent_id != 0 && Contains(rule.exempt_channels, s.parent_id)) ||
        (s.category_id != 0 && Contains(rule.exempt_channels, s.category_id))) {
      continue;
    }
    if (s.role_ids && std::any_of(s.role_ids->begin(), s.role_ids->end(),
                                  [&](Snowflake r) { return Contains(rule.exempt_roles, r); })) {
      continue;
    }
    if (!mentions) {
      const auto parsed = domain::ParseMentions(s.content);
      mentions = parsed.users.size() + parsed.roles.size();
    }
    auto match = matcher->Match(s.content, *mentions);
    if (!match) continue;
    verdict.firings.push_back(
        AutoModFiring{rule.id, rule.name, rule.trigger_type, std::move(*match), actions});
  }
  return verdict;
}

void AutoModerationService::Carry(const AutoModVerdict& verdict, const AutoModOutcome& outcome) {
  std::vector<Snowflake> managers;
  bool managers_read = false;
  for (std::size_t i = 0; i < verdict.firings.size(); ++i) {
    const auto& f = verdict.firings[i];
    const Snowflake alert_id =
        i < outcome.alert_message_ids.size() ? outcome.alert_message_ids[i] : 0;
    for (const auto& a : f.actions) {
      if (a.type == AutoModActionType::kSendAlertMessage && alert_id == 0) continue;  // not posted
      if (a.type == AutoModActionType::kTimeout) {
        const std::int64_t until = deps_.access.Now() + a.duration_seconds * 1000;
        if (auto r = members_.TimeOutForAutoModeration(outcome.guild_id, outcome.user_id, until);
            !r) {
          log::Warn(kTarget, "timeout not applied",
                    {{"guild_id", domain::ToString(outcome.guild_id)},
                     {"user_id", domain::ToString(outcome.user_id)},
                     {"error", r.error().message}});
          continue;
        }
      }
      json::object options{{"auto_moderation_rule_name", f.rule_name},
                           {"auto_moderation_rule_trigger_type", std::to_string(f.trigger_type)},
                           {"channel_id", domain::ToString(outcome.channel_id)}};
      RecordAudit(deps_.audit, outcome.guild_id, outcome.user_id, outcome.user_id,
                  AuditActionOf(a.type), {}, {}, std::move(options));
      if (!managers_read) {
        managers = MembersHolding(deps_.store, outcome.guild_id, perm::kManageGuild);
        managers_read = true;
      }
      if (managers.empty()) continue;
      json::object event{{"guild_id", domain::ToString(outcome.guild_id)},
                         {"action", domain::json::AutoModActionJson(a)},
                         {"rule_id", domain::ToString(f.rule_id)},
                         {"rule_trigger_type", f.trigger_type},
                         {"user_id", domain::ToString(outcome.user_id)},
                         {"channel_id", domain::ToString(outcome.channel_id)},
                         {"content", outcome.content},
                         {"matched_keyword", OrNull(f.match.keyword)},
                         {"matched_content", OrNull(f.match.content)}};
      if (outcome.message_id) event["message_id"] = domain::ToString(*outcome.message_id);
      if (a.type == AutoModActionType::kSendAlertMessage) {
        event["alert_system_message_id"] = domain::ToString(alert_id);
      }
      bus::Event e;
      e.type = "AUTO_MODERATION_ACTION_EXECUTION";
      e.guild_id = outcome.guild_id;
      e.recipients = managers;
      e.intent = bus::Intent::kAutoModerationExecution;
      e.author_id = outcome.user_id;
      e.payload = json::serialize(event);
      // As on Discord, bots without MESSAGE_CONTENT are not shown the member's words.
      event["content"] = "";
      if (event.at("matched_content").is_string()) event["matched_content"] = "";
      e.payload_without_content = json::serialize(event);
      deps_.bus.Publish(std::move(e));
    }
  }
}

}  // namespace chat::service
