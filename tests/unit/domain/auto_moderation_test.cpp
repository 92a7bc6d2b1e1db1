// Auto moderation as a member notices it: Discord's keyword matching (whole word, prefix, suffix,
// anywhere, phrases), allow lists, regex patterns and mention spam (domain/auto_moderation), and
// rule bodies validated as Discord's 400 50035, the rule object, and the actions and matcher read
// back from a stored rule (domain/json/auto_moderation_json).
#include "domain/json/auto_moderation_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/auto_moderation.hpp"

namespace chat::domain {
namespace {

// --- MatchKeyword -------------------------------------------------------------------------------

TEST(AutoModKeyword, AWholeWordMatchesOnlyTheWordCaseInsensitively) {
  auto m = MatchKeyword("a cat here", "cat");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "cat");
  EXPECT_EQ(m->content, "cat");

  auto upper = MatchKeyword("Cat!", "cat");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->content, "Cat");  // the message's own case; "!" bounds the word

  EXPECT_TRUE(MatchKeyword("CAT", "cat"));
  EXPECT_TRUE(MatchKeyword("my cat.", "CaT"));
  EXPECT_FALSE(MatchKeyword("catch", "cat"));
  EXPECT_FALSE(MatchKeyword("bobcat", "cat"));
  EXPECT_FALSE(MatchKeyword("cats", "cat"));
  EXPECT_FALSE(MatchKeyword("", "cat"));
}

TEST(AutoModKeyword, APrefixKeywordStartsAWordAndReportsTheWholeWord) {
  auto m = MatchKeyword("Catapult", "cat*");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "cat*");
  EXPECT_EQ(m->content, "Catapult");

  auto mid = MatchKeyword("look, a Catapult!", "cat*");
  ASSERT_TRUE(mid);
  EXPECT_EQ(mid->content, "Catapult");

  EXPECT_TRUE(MatchKeyword("cat", "cat*"));
  EXPECT_FALSE(MatchKeyword("bobcat", "cat*"));
  EXPECT_FALSE(MatchKeyword("concatenate", "cat*"));
}

TEST(AutoModKeyword, ASuffixKeywordEndsAWord) {
  auto m = MatchKeyword("a wildcat appears", "*cat");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "*cat");
  EXPECT_EQ(m->content, "wildcat");

  EXPECT_TRUE(MatchKeyword("cat", "*cat"));
  EXPECT_FALSE(MatchKeyword("catch", "*cat"));
  EXPECT_FALSE(MatchKeyword("concatenate", "*cat"));
}

TEST(AutoModKeyword, AnAnywhereKeywordMatchesInsideAWord) {
  auto m = MatchKeyword("I ate a Banana", "*ana*");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "*ana*");
  EXPECT_EQ(m->content, "Banana");

  EXPECT_TRUE(MatchKeyword("banana", "*ana*"));
  EXPECT_TRUE(MatchKeyword("ana", "*ana*"));
  EXPECT_FALSE(MatchKeyword("an apple", "*ana*"));
}

TEST(AutoModKeyword, APhraseMatchesWordsInARow) {
  auto m = MatchKeyword("well I LIKE C++ a lot", "i like c++");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "i like c++");
  EXPECT_EQ(m->content, "I LIKE C++");
  EXPECT_FALSE(MatchKeyword("i like c", "i like c++"));
  EXPECT_FALSE(MatchKeyword("hi like c++", "i like c++"));

  auto prefix = MatchKeyword("see the matrix tonight", "the mat*");
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->content, "the matrix");
  EXPECT_FALSE(MatchKeyword("see them at noon", "the mat*"));
}

TEST(AutoModKeyword, AnEmptyOrBareWildcardKeywordMatchesNothing) {
  EXPECT_FALSE(MatchKeyword("anything at all", ""));
  EXPECT_FALSE(MatchKeyword("anything at all", "*"));
  EXPECT_FALSE(MatchKeyword("anything at all", "**"));
}

// --- CompileKeywordRule / CompileMentionSpamRule / ValidRegex ----------------------------------

TEST(AutoModKeywordRule, TheAllowListExemptsWordsTheKeywordWouldCatch) {
  auto rule = CompileKeywordRule({"*cat*"}, {}, {"category"});
  ASSERT_TRUE(rule);
  EXPECT_FALSE(rule->Match("pick a category", 0));
  EXPECT_FALSE(rule->Match("Category", 0));

  auto m = rule->Match("concatenate these", 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "*cat*");
  EXPECT_EQ(m->content, "concatenate");

  // An allowed word elsewhere does not hide a match.
  auto both = rule->Match("a category and a cat", 0);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->content, "cat");
}

TEST(AutoModKeywordRule, TheFirstMatchingKeywordIsReported) {
  auto rule = CompileKeywordRule({"dog", "cat"}, {}, {});
  auto m = rule->Match("my cat", 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "cat");
  EXPECT_FALSE(rule->Match("my bird", 0));
  // Mentions do not matter to a keyword rule.
  EXPECT_FALSE(rule->Match("my bird", 100));
}

TEST(AutoModKeywordRule, RegexPatternsMatchCaseInsensitively) {
  auto rule = CompileKeywordRule({}, {"(b|c)at"}, {});
  auto m = rule->Match("a big BAT flew", 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "(b|c)at");
  EXPECT_EQ(m->content, "BAT");
  EXPECT_FALSE(rule->Match("a rat", 0));

  // A pattern is not bound to words.
  auto inside = rule->Match("Concatenate", 0);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->content, "cat");
}

TEST(AutoModKeywordRule, APatternThatDoesNotCompileMatchesNothing) {
  auto rule = CompileKeywordRule({}, {"("}, {});
  ASSERT_TRUE(rule);
  EXPECT_FALSE(rule->Match("(((", 0));
}

TEST(AutoModKeywordRule, PatternsThatBacktrackingEnginesChokeOnGetTheRightAnswer) {
  // Nested quantifiers on a long text that almost matches: a backtracking engine runs for ever
  // (or gives up and answers wrongly); the rule's answer is exact.
  auto rule = CompileKeywordRule({}, {"(a+)+$", "(a|aa)+b", "(.*a){12}z"}, {});
  ASSERT_TRUE(rule);
  const std::string almost(4000, 'a');
  EXPECT_FALSE(rule->Match(almost + "!", 0));
  auto m = rule->Match(almost, 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "(a+)+$");
  EXPECT_EQ(m->content.size(), 4000u);
}

TEST(AutoModKeywordRule, EmptyMatchesAndAnchorsStayWithinTheText) {
  // Patterns that match the empty string, their matches all inside allowed words: the search
  // walks to the end of the text and stops there.
  for (const char* pattern : {"$", "\\b", "x*"}) {
    auto rule = CompileKeywordRule({}, {pattern}, {"*a*"});
    EXPECT_FALSE(rule->Match("banana", 0)) << pattern;
  }
  // ^ is the start of the message, not of where the search goes on after an allowed match.
  auto start = CompileKeywordRule({}, {"^cat"}, {"cat"});
  EXPECT_FALSE(start->Match("cat cat", 0));
  auto word = CompileKeywordRule({}, {"\\bcat"}, {"cat"});
  auto m = word->Match("cat catalog", 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->content, "cat");
}

TEST(AutoModKeywordRule, ManyWildcardKeywordsOnALongWordAnswer) {
  // 1000 keywords found everywhere in one 4000-letter word, all allowed: each search moves on
  // past the word it matched.
  std::vector<std::string> keywords(1000, "*a*");
  auto rule = CompileKeywordRule(keywords, {}, {"*a*"});
  EXPECT_FALSE(rule->Match(std::string(4000, 'a'), 0));
}

TEST(AutoModMentionSpam, MoreMentionsThanTheLimitMatch) {
  auto rule = CompileMentionSpamRule(3);
  ASSERT_TRUE(rule);
  EXPECT_FALSE(rule->Match("hi", 0));
  EXPECT_FALSE(rule->Match("hi", 3));
  auto m = rule->Match("hi", 4);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "");
}

TEST(AutoModRegex, ValidRegexTellsWhetherAPatternCompiles) {
  EXPECT_TRUE(ValidRegex("(b|c)at"));
  EXPECT_TRUE(ValidRegex("^\\d{3}-\\d{4}$"));
  EXPECT_FALSE(ValidRegex("("));
  EXPECT_FALSE(ValidRegex("[a-"));
}

}  // namespace
}  // namespace chat::domain

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

bj::object Body(const std::string& text) { return bj::parse(text).as_object(); }

bj::value Parse(const std::string& text) { return bj::parse(text); }

std::vector<std::string> Fields(const Result<void>& r) {
  std::vector<std::string> out;
  if (r) return out;
  for (const auto& f : r.error().fields) out.push_back(f.field);
  return out;
}

bool HasField(const Result<void>& r, const std::string& field) {
  const auto fields = Fields(r);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

std::string CodeOf(const Result<void>& r, const std::string& field) {
  if (r) return "";
  for (const auto& f : r.error().fields) {
    if (f.field == field) return f.code;
  }
  return "";
}

Result<void> Create(const std::string& body, AutoModRule& rule) {
  return ApplyAutoModRuleBody(Body(body), true, rule);
}

// A KEYWORD rule body with `meta` as trigger_metadata and `actions` as actions.
std::string KeywordBody(const std::string& meta, const std::string& actions = R"([{"type":1}])") {
  return R"({"name":"n","event_type":1,"trigger_type":1,"trigger_metadata":)" + meta +
         R"(,"actions":)" + actions + "}";
}

TEST(AutoModRuleBody, AKeywordRuleIsStoredInDiscordsCanonicalForm) {
  AutoModRule rule;
  auto r = Create(R"({"name":"No cats","event_type":1,"trigger_type":1,)"
                  R"("trigger_metadata":{"keyword_filter":["cat","dog*"],"unknown":1},)"
                  R"("actions":[{"type":1,"metadata":{"custom_message":"Nope"}},)"
                  R"({"type":2,"metadata":{"channel_id":"41771983423143937"}},{"type":1}]})",
                  rule);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(rule.name, "No cats");
  EXPECT_EQ(rule.event_type, 1);
  EXPECT_EQ(rule.trigger_type, 1);
  EXPECT_FALSE(rule.enabled);  // Discord's default
  EXPECT_EQ(Parse(rule.trigger_metadata_json),
            Parse(R"({"keyword_filter":["cat","dog*"],"regex_patterns":[],"allow_list":[]})"));
  EXPECT_EQ(Parse(rule.actions_json),
            Parse(R"([{"type":1,"metadata":{"custom_message":"Nope"}},)"
                  R"({"type":2,"metadata":{"channel_id":"41771983423143937"}},)"
                  R"({"type":1,"metadata":{}}])"));
  EXPECT_TRUE(rule.exempt_roles.empty());
  EXPECT_TRUE(rule.exempt_channels.empty());
}

TEST(AutoModRuleBody, EnabledAndExemptionsAreTaken) {
  AutoModRule rule;
  auto r =
      Create(R"({"name":"n","event_type":1,"trigger_type":1,"enabled":true,)"
             R"("trigger_metadata":{"regex_patterns":["(b|c)at"],"allow_list":["category"]},)"
             R"("actions":[{"type":1}],"exempt_roles":["11","12","11"],"exempt_channels":[13]})",
             rule);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(rule.enabled);
  EXPECT_EQ(Parse(rule.trigger_metadata_json),
            Parse(R"({"keyword_filter":[],"regex_patterns":["(b|c)at"],)"
                  R"("allow_list":["category"]})"));
  EXPECT_EQ(rule.exempt_roles, (std::vector<Snowflake>{11, 12}));
  EXPECT_EQ(rule.exempt_channels, (std::vector<Snowflake>{13}));
}

TEST(AutoModRuleBody, EveryMissingRequiredFieldIsNamed) {
  AutoModRule rule;
  auto r = Create("{}", rule);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kValidation);
  EXPECT_EQ(r.error().api_code, 50035);
  EXPECT_TRUE(HasField(r, "name"));
  EXPECT_TRUE(HasField(r, "event_type"));
  EXPECT_TRUE(HasField(r, "trigger_type"));
  // Discord names every bad field of the body at once, actions included.
  EXPECT_TRUE(HasField(r, "actions")) << "fields named: " << ::testing::PrintToString(Fields(r));
  EXPECT_EQ(CodeOf(r, "name"), "BASE_TYPE_REQUIRED");
  EXPECT_EQ(CodeOf(r, "event_type"), "BASE_TYPE_REQUIRED");
  EXPECT_EQ(CodeOf(r, "trigger_type"), "BASE_TYPE_REQUIRED");

  // A bad name does not hide a bad action either.
  auto nameless =
      Create(R"({"event_type":1,"trigger_type":1,"trigger_metadata":{"keyword_filter":["cat"]},)"
             R"("actions":[{"type":9}]})",
             rule);
  ASSERT_FALSE(nameless);
  EXPECT_TRUE(HasField(nameless, "name"));
  EXPECT_TRUE(HasField(nameless, "actions.0.type"))
      << "fields named: " << ::testing::PrintToString(Fields(nameless));
}

TEST(AutoModRuleBody, MissingActionsAloneIsNamed) {
  AutoModRule rule;
  auto r = Create(R"({"name":"n","event_type":1,"trigger_type":1,)"
                  R"("trigger_metadata":{"keyword_filter":["cat"]}})",
                  rule);
  ASSERT_FALSE(r);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"actions"});
  EXPECT_EQ(CodeOf(r, "actions"), "BASE_TYPE_REQUIRED");
  // An empty actions array is refused too.
  auto empty = Create(KeywordBody(R"({"keyword_filter":["cat"]})", "[]"), rule);
  ASSERT_FALSE(empty);
  EXPECT_TRUE(HasField(empty, "actions"));
}

TEST(AutoModRuleBody, TriggerTypesThisServerDoesNotRunAreRefused) {
  AutoModRule rule;
  auto preset =
      Create(R"({"name":"n","event_type":1,"trigger_type":4,"actions":[{"type":1}]})", rule);
  ASSERT_FALSE(preset);
  EXPECT_EQ(CodeOf(preset, "trigger_type"), "AUTO_MODERATION_TRIGGER_TYPE_NOT_SUPPORTED");

  auto unknown =
      Create(R"({"name":"n","event_type":1,"trigger_type":9,"actions":[{"type":1}]})", rule);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(HasField(unknown, "trigger_type"));

  auto member_update =
      Create(R"({"name":"n","event_type":2,"trigger_type":1,)"
             R"("trigger_metadata":{"keyword_filter":["cat"]},"actions":[{"type":1}]})",
             rule);
  ASSERT_FALSE(member_update);
  EXPECT_TRUE(HasField(member_update, "event_type"));
}

TEST(AutoModRuleBody, AKeywordRuleNeedsKeywordsOrPatterns) {
  AutoModRule rule;
  auto r = Create(KeywordBody("{}"), rule);
  ASSERT_FALSE(r);
  EXPECT_TRUE(HasField(r, "trigger_metadata"));
}

TEST(AutoModRuleBody, AKeywordOverSixtyCharactersIsNamedByIndex) {
  AutoModRule rule;
  const std::string sixty(60, 'a');
  ASSERT_TRUE(Create(KeywordBody(R"({"keyword_filter":[")" + sixty + R"("]})"), rule));

  const std::string long_word(61, 'a');
  auto r = Create(KeywordBody(R"({"keyword_filter":[")" + long_word + R"(","ok"]})"), rule);
  ASSERT_FALSE(r);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"trigger_metadata.keyword_filter.0"});
  EXPECT_EQ(CodeOf(r, "trigger_metadata.keyword_filter.0"), "BASE_TYPE_BAD_LENGTH");

  auto second = Create(KeywordBody(R"({"keyword_filter":["ok",""]})"), rule);
  ASSERT_FALSE(second);
  EXPECT_TRUE(HasField(second, "trigger_metadata.keyword_filter.1"));
}

TEST(AutoModRuleBody, AnInvalidRegexIsNamedByIndex) {
  AutoModRule rule;
  auto r = Create(KeywordBody(R"({"regex_patterns":["("]})"), rule);
  ASSERT_FALSE(r);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"trigger_metadata.regex_patterns.0"});
  EXPECT_EQ(CodeOf(r, "trigger_metadata.regex_patterns.0"), "AUTO_MODERATION_INVALID_REGEX");
}

TEST(AutoModRuleBody, AMentionSpamRuleNeedsALimitUpToFifty) {
  AutoModRule rule;
  const auto body = [](const std::string& meta) {
    return R"({"name":"n","event_type":1,"trigger_type":5,"trigger_metadata":)" + meta +
           R"(,"actions":[{"type":1}]})";
  };
  auto missing = Create(body("{}"), rule);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(HasField(missing, "trigger_metadata.mention_total_limit"));

  auto no_meta =
      Create(R"({"name":"n","event_type":1,"trigger_type":5,"actions":[{"type":1}]})", rule);
  ASSERT_FALSE(no_meta);
  EXPECT_TRUE(HasField(no_meta, "trigger_metadata.mention_total_limit"));

  auto over = Create(body(R"({"mention_total_limit":51})"), rule);
  ASSERT_FALSE(over);
  EXPECT_TRUE(HasField(over, "trigger_metadata.mention_total_limit"));

  auto zero = Create(body(R"({"mention_total_limit":0})"), rule);
  ASSERT_FALSE(zero);
  EXPECT_TRUE(HasField(zero, "trigger_metadata.mention_total_limit"));

  AutoModRule ok;
  auto r = Create(body(R"({"mention_total_limit":50})"), ok);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(ok.trigger_type, 5);
  EXPECT_EQ(Parse(ok.trigger_metadata_json),
            Parse(R"({"mention_total_limit":50,"mention_raid_protection_enabled":false})"));
}

TEST(AutoModRuleBody, TimeoutActionsAreBoundedToFourWeeks) {
  const std::string meta = R"({"keyword_filter":["cat"]})";
  AutoModRule rule;
  auto r = Create(KeywordBody(meta, R"([{"type":3,"metadata":{"duration_seconds":60}}])"), rule);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Parse(rule.actions_json), Parse(R"([{"type":3,"metadata":{"duration_seconds":60}}])"));

  AutoModRule max;
  EXPECT_TRUE(
      Create(KeywordBody(meta, R"([{"type":3,"metadata":{"duration_seconds":2419200}}])"), max));

  AutoModRule over;
  auto too_long =
      Create(KeywordBody(meta, R"([{"type":3,"metadata":{"duration_seconds":2419201}}])"), over);
  ASSERT_FALSE(too_long);
  EXPECT_TRUE(HasField(too_long, "actions.0.metadata.duration_seconds"));

  AutoModRule no_duration;
  auto missing = Create(KeywordBody(meta, R"([{"type":3}])"), no_duration);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(HasField(missing, "actions.0.metadata.duration_seconds"));
}

TEST(AutoModRuleBody, UnsupportedOrIncompleteActionsAreNamed) {
  const std::string meta = R"({"keyword_filter":["cat"]})";
  AutoModRule rule;
  auto member_interaction = Create(KeywordBody(meta, R"([{"type":1},{"type":4}])"), rule);
  ASSERT_FALSE(member_interaction);
  EXPECT_EQ(Fields(member_interaction), std::vector<std::string>{"actions.1.type"});

  auto alert = Create(KeywordBody(meta, R"([{"type":2}])"), rule);
  ASSERT_FALSE(alert);
  EXPECT_TRUE(HasField(alert, "actions.0.metadata.channel_id"));

  auto untyped = Create(KeywordBody(meta, R"([{}])"), rule);
  ASSERT_FALSE(untyped);
  EXPECT_TRUE(HasField(untyped, "actions.0.type"));

  const std::string long_message(151, 'x');
  auto message = Create(
      KeywordBody(meta, R"([{"type":1,"metadata":{"custom_message":")" + long_message + R"("}}])"),
      rule);
  ASSERT_FALSE(message);
  EXPECT_TRUE(HasField(message, "actions.0.metadata.custom_message"));
}

TEST(AutoModRuleBody, AModifyChangesOnlyWhatItNames) {
  AutoModRule rule;
  ASSERT_TRUE(Create(KeywordBody(R"({"keyword_filter":["cat"]})",
                                 R"([{"type":3,"metadata":{"duration_seconds":60}}])"),
                     rule));
  rule.exempt_roles = {5};
  const AutoModRule before = rule;

  auto r = ApplyAutoModRuleBody(Body(R"({"enabled":true})"), false, rule);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(rule.enabled);
  EXPECT_EQ(rule.name, before.name);
  EXPECT_EQ(rule.event_type, before.event_type);
  EXPECT_EQ(rule.trigger_type, before.trigger_type);
  EXPECT_EQ(rule.trigger_metadata_json, before.trigger_metadata_json);
  EXPECT_EQ(rule.actions_json, before.actions_json);
  EXPECT_EQ(rule.exempt_roles, before.exempt_roles);
  EXPECT_EQ(rule.exempt_channels, before.exempt_channels);

  // An empty modify changes nothing, enabled included.
  auto nothing = ApplyAutoModRuleBody(Body("{}"), false, rule);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(rule.enabled);

  auto renamed = ApplyAutoModRuleBody(
      Body(R"({"name":"Renamed","trigger_metadata":{"keyword_filter":["dog"]}})"), false, rule);
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(rule.name, "Renamed");
  EXPECT_EQ(Parse(rule.trigger_metadata_json),
            Parse(R"({"keyword_filter":["dog"],"regex_patterns":[],"allow_list":[]})"));
  EXPECT_EQ(rule.actions_json, before.actions_json);
}

TEST(AutoModRuleBody, AModifyCannotChangeTheTriggerType) {
  AutoModRule rule;
  ASSERT_TRUE(Create(KeywordBody(R"({"keyword_filter":["cat"]})"), rule));

  auto r = ApplyAutoModRuleBody(Body(R"({"trigger_type":5})"), false, rule);
  ASSERT_FALSE(r);
  EXPECT_EQ(CodeOf(r, "trigger_type"), "AUTO_MODERATION_TRIGGER_TYPE_IMMUTABLE");
  EXPECT_EQ(rule.trigger_type, 1);

  // Sending the same trigger type back is fine.
  EXPECT_TRUE(ApplyAutoModRuleBody(Body(R"({"trigger_type":1})"), false, rule));
}

TEST(AutoModRuleBody, AModifyValidatesAgainstTheRulesTriggerType) {
  AutoModRule rule;
  ASSERT_TRUE(Create(R"({"name":"n","event_type":1,"trigger_type":5,)"
                     R"("trigger_metadata":{"mention_total_limit":5},"actions":[{"type":1}]})",
                     rule));
  auto r =
      ApplyAutoModRuleBody(Body(R"({"trigger_metadata":{"mention_total_limit":51}})"), false, rule);
  ASSERT_FALSE(r);
  EXPECT_TRUE(HasField(r, "trigger_metadata.mention_total_limit"));
}

// --- The rule object and what the message path reads back -------------------------------------

TEST(AutoModRuleJson, TheRuleObjectShowsIdsAsStrings) {
  AutoModRule rule;
  ASSERT_TRUE(
      Create(R"({"name":"No cats","event_type":1,"trigger_type":1,"enabled":true,)"
             R"("trigger_metadata":{"keyword_filter":["cat"],"allow_list":["category"]},)"
             R"("actions":[{"type":1,"metadata":{"custom_message":"Nope"}},)"
             R"({"type":3,"metadata":{"duration_seconds":60}}],)"
             R"("exempt_roles":["41771983423143937"],"exempt_channels":["41771983423143938","7"]})",
             rule));
  rule.id = 1234567890123456789;
  rule.guild_id = 41771983423143936;
  rule.creator_id = 80351110224678912;

  const bj::object o = AutoModRuleJson(rule);
  EXPECT_EQ(bj::value(o), Parse(R"({
    "id":"1234567890123456789","guild_id":"41771983423143936","name":"No cats",
    "creator_id":"80351110224678912","event_type":1,"trigger_type":1,
    "trigger_metadata":{"keyword_filter":["cat"],"regex_patterns":[],"allow_list":["category"]},
    "actions":[{"type":1,"metadata":{"custom_message":"Nope"}},
               {"type":3,"metadata":{"duration_seconds":60}}],
    "enabled":true,
    "exempt_roles":["41771983423143937"],
    "exempt_channels":["41771983423143938","7"]})"));

  // The object shown is a body that makes the same rule again.
  AutoModRule again;
  auto r = ApplyAutoModRuleBody(o, true, again);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(again.name, rule.name);
  EXPECT_EQ(again.enabled, rule.enabled);
  EXPECT_EQ(Parse(again.trigger_metadata_json), Parse(rule.trigger_metadata_json));
  EXPECT_EQ(Parse(again.actions_json), Parse(rule.actions_json));
  EXPECT_EQ(again.exempt_roles, rule.exempt_roles);
  EXPECT_EQ(again.exempt_channels, rule.exempt_channels);
}

TEST(AutoModRuleJson, ActionsAndMatcherAreReadBackFromAStoredRule) {
  AutoModRule rule;
  ASSERT_TRUE(
      Create(R"({"name":"n","event_type":1,"trigger_type":1,)"
             R"("trigger_metadata":{"keyword_filter":["*cat*"],"regex_patterns":["d[o0]g"],)"
             R"("allow_list":["category"]},)"
             R"("actions":[{"type":1,"metadata":{"custom_message":"Nope"}},)"
             R"({"type":2,"metadata":{"channel_id":"41771983423143937"}},)"
             R"({"type":3,"metadata":{"duration_seconds":60}}]})",
             rule));

  const auto actions = AutoModActionsOf(rule);
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(actions[0].type, AutoModActionType::kBlockMessage);
  EXPECT_EQ(actions[0].custom_message, "Nope");
  EXPECT_EQ(actions[1].type, AutoModActionType::kSendAlertMessage);
  EXPECT_EQ(actions[1].channel_id, Snowflake{41771983423143937});
  EXPECT_EQ(actions[2].type, AutoModActionType::kTimeout);
  EXPECT_EQ(actions[2].duration_seconds, 60);
  EXPECT_EQ(bj::value(AutoModActionJson(actions[1])),
            Parse(R"({"type":2,"metadata":{"channel_id":"41771983423143937"}})"));

  auto matcher = AutoModMatcherOf(rule);
  ASSERT_TRUE(matcher);
  auto m = matcher->Match("don't concatenate", 0);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->keyword, "*cat*");
  EXPECT_EQ(m->content, "concatenate");
  EXPECT_FALSE(matcher->Match("pick a category", 0));
  auto re = matcher->Match("a D0G!", 0);
  ASSERT_TRUE(re);
  EXPECT_EQ(re->keyword, "d[o0]g");
  EXPECT_EQ(re->content, "D0G");
  EXPECT_FALSE(matcher->Match("hello", 0));
}

TEST(AutoModRuleJson, AMentionSpamRulesMatcherCountsMentions) {
  AutoModRule rule;
  ASSERT_TRUE(Create(R"({"name":"n","event_type":1,"trigger_type":5,)"
                     R"("trigger_metadata":{"mention_total_limit":3},"actions":[{"type":1}]})",
                     rule));
  auto matcher = AutoModMatcherOf(rule);
  ASSERT_TRUE(matcher);
  EXPECT_FALSE(matcher->Match("@a @b @c", 3));
  EXPECT_TRUE(matcher->Match("@a @b @c @d", 4));
}

TEST(AutoModRuleJson, StoredJsonThatDoesNotParseIsLeftOut) {
  AutoModRule rule;
  rule.trigger_metadata_json = "not json";
  rule.actions_json = R"([{"type":1},{"type":4},{"type":2,"metadata":{}},"x",{"type":3}])";
  EXPECT_FALSE(AutoModMatcherOf(rule));
  const auto actions = AutoModActionsOf(rule);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].type, AutoModActionType::kBlockMessage);

  rule.trigger_metadata_json = "{}";
  rule.trigger_type = static_cast<int>(AutoModTrigger::kKeywordPreset);
  EXPECT_FALSE(AutoModMatcherOf(rule));
  // The rule object still shows, without the actions it could not read.
  rule.actions_json = "oops";
  const bj::object o = AutoModRuleJson(rule);
  EXPECT_EQ(o.at("actions"), bj::array());
  EXPECT_EQ(o.at("trigger_metadata"), bj::object());
}

TEST(AutoModRuleJson, KeywordRulesMayNumberSixAndOthersOne) {
  EXPECT_EQ(MaxAutoModRules(static_cast<int>(AutoModTrigger::kKeyword)), 6u);
  EXPECT_EQ(MaxAutoModRules(static_cast<int>(AutoModTrigger::kMentionSpam)), 1u);
}

}  // namespace
}  // namespace chat::domain::json
