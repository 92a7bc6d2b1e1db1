// domain/json/auto_moderation_json.hpp — an auto moderation rule as Discord's API shows and takes
// it: a create or modify body applied to a rule (every bad field named at once, as Discord's 400
// 50035), the rule object, and the parts the message path needs (its actions and its matcher)
// read back from the rule's stored JSON.
#pragma once

#include <memory>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domain/auto_moderation.hpp"

namespace chat::domain::json {

// Per guild, as Discord: 6 KEYWORD rules, 1 of each other trigger type.
std::size_t MaxAutoModRules(int trigger_type);

// Applies `body` to `rule`: on create (`create`), name, event_type, trigger_type and actions are
// required; on modify every field is optional and trigger_type cannot change. Trigger metadata
// and actions are validated against the rule's trigger type and stored in their canonical form.
// Only what this server runs is taken: KEYWORD (keywords, regex patterns, allow list) and
// MENTION_SPAM triggers on MESSAGE_SEND; BLOCK_MESSAGE, SEND_ALERT_MESSAGE and TIMEOUT actions.
// Whether ids name the guild's roles and channels is the caller's to check.
Result<void> ApplyAutoModRuleBody(const boost::json::object& body, bool create, AutoModRule& rule);

boost::json::object AutoModRuleJson(const AutoModRule& rule);

// The rule's actions and matcher from its stored JSON; what does not parse is left out (a rule
// whose trigger does not parse matches nothing: null matcher).
std::vector<AutoModAction> AutoModActionsOf(const AutoModRule& rule);
std::unique_ptr<AutoModMatcher> AutoModMatcherOf(const AutoModRule& rule);

// An action as Discord shows it ({type, metadata}).
boost::json::object AutoModActionJson(const AutoModAction& action);

}  // namespace chat::domain::json
