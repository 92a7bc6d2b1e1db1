// Application commands as Discord validates them (domain/json/command_json): what an application
// may register, what a PATCH changes, and which options a user may invoke a command with.
#include "domain/json/command_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

bj::object Parse(const char* text) { return bj::parse(text).as_object(); }

// The fields a failed parse names.
std::vector<std::string> Fields(const Result<ApplicationCommand>& r) {
  std::vector<std::string> out;
  if (!r) {
    for (const auto& f : r.error().fields) out.push_back(f.field);
  }
  return out;
}

TEST(ParseCommand, ReadsASlashCommandAndRebuildsItsOptions) {
  auto c =
      ParseCommand(Parse(R"({"name":"roll","description":"rolls","default_member_permissions":"8",
      "options":[{"type":3,"name":"label","description":"l","required":true,"max_length":10,
                  "unknown_field":1},
                 {"type":4,"name":"sides","description":"s","min_value":2,
                  "choices":[{"name":"six","value":6}]}]})"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->type, CommandType::kChatInput);
  EXPECT_EQ(c->default_member_permissions, 8u);
  EXPECT_TRUE(c->dm_permission);
  const auto options = bj::parse(c->options_json).as_array();
  ASSERT_EQ(options.size(), 2u);
  EXPECT_FALSE(options[0].as_object().contains("unknown_field"));
  EXPECT_EQ(options[0].as_object().at("max_length").as_int64(), 10);
  EXPECT_EQ(options[1].as_object().at("choices").as_array()[0].as_object().at("value").as_int64(),
            6);
}

// contexts decide where a command runs (over dm_permission for the bot's DMs) and are shown as
// given, as are integration_types; a patch of dm_permission alone still decides.
TEST(ParseCommand, ContextsDecideWhetherACommandRunsInTheBotsDms) {
  auto cmd = ParseCommand(Parse(R"({"name":"a","description":"d","dm_permission":true,)"
                                R"("contexts":[0],"integration_types":[0,1]})"));
  ASSERT_TRUE(cmd);
  EXPECT_FALSE(cmd->dm_permission);
  bj::object shown = CommandJson(*cmd);
  EXPECT_EQ(shown.at("contexts"), bj::array{0});
  EXPECT_EQ(shown.at("integration_types"), (bj::array{0, 1}));  // as given
  EXPECT_FALSE(RunsIn(*cmd, false));
  EXPECT_TRUE(RunsIn(*cmd, true));
  auto patched = PatchCommand(*cmd, Parse(R"({"dm_permission":true})"));
  ASSERT_TRUE(patched);
  EXPECT_TRUE(patched->dm_permission);
  EXPECT_EQ(CommandJson(*patched).at("contexts"), (bj::array{0, 1}));
  EXPECT_TRUE(RunsIn(*patched, false));
  patched = PatchCommand(*patched, Parse(R"({"contexts":[1]})"));
  ASSERT_TRUE(patched);
  EXPECT_TRUE(patched->dm_permission);
  EXPECT_FALSE(RunsIn(*patched, true));  // DMs only
  EXPECT_EQ(CommandJson(*patched).at("contexts"), bj::array{1});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"a","description":"d","contexts":[3],)"
                                      R"("integration_types":"0"})"))),
            (std::vector<std::string>{"contexts", "integration_types"}));
}

TEST(ParseCommand, RefusesWhatDiscordRefusesNamingTheField) {
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"Upper","description":"d"})"))),
            std::vector<std::string>{"name"});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"ok"})"))),
            std::vector<std::string>{"description"});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"type":2,"name":"Menu","description":"no"})"))),
            std::vector<std::string>{"description"});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"x","description":"d","options":[
                  {"type":3,"name":"a","description":"a"},
                  {"type":3,"name":"b","description":"b","required":true}]})"))),
            std::vector<std::string>{"options.1.required"});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"x","description":"d","options":[
                  {"type":1,"name":"a","description":"a"},
                  {"type":3,"name":"b","description":"b"}]})"))),
            std::vector<std::string>{"options"});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"x","description":"d","options":[
                  {"type":5,"name":"b","description":"b","choices":[{"name":"y","value":1}]}]})"))),
            std::vector<std::string>{"options.0.choices"});
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"x","description":"d","options":[
                  {"type":4,"name":"n","description":"n","min_value":5,"max_value":1}]})"))),
            std::vector<std::string>{"options.0.min_value"});
  // A prefix places a bulk overwrite's errors under the command's index.
  EXPECT_EQ(Fields(ParseCommand(Parse(R"({"name":"","description":"d"})"), "3")),
            std::vector<std::string>{"3.name"});
}

TEST(ParseCommand, AcceptsOtherScriptsInNames) {
  EXPECT_TRUE(ParseCommand(Parse(R"({"name":"привет","description":"d"})")));
  EXPECT_TRUE(ParseCommand(Parse(R"({"type":3,"name":"Quote Me"})")));
}

TEST(PatchCommand, ChangesOnlyWhatItNamesAndKeepsTheType) {
  auto c = ParseCommand(Parse(R"({"name":"roll","description":"rolls","nsfw":true})"));
  ASSERT_TRUE(c);
  c->id = 7;
  auto patched = PatchCommand(*c, Parse(R"({"description":"rolls dice","type":2})"));
  ASSERT_TRUE(patched);
  EXPECT_EQ(patched->id, 7u);
  EXPECT_EQ(patched->type, CommandType::kChatInput);
  EXPECT_EQ(patched->description, "rolls dice");
  EXPECT_TRUE(patched->nsfw);
  EXPECT_FALSE(PatchCommand(*c, Parse(R"({"name":"Bad"})")));
}

class Invocation : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = ParseCommand(Parse(R"({"name":"roll","description":"rolls","options":[
        {"type":3,"name":"label","description":"l","required":true,"max_length":5},
        {"type":10,"name":"bias","description":"b","min_value":-1,"max_value":1},
        {"type":6,"name":"for","description":"f"},
        {"type":4,"name":"sides","description":"s","choices":[{"name":"d6","value":6}]}]})"));
    ASSERT_TRUE(c);
    command_ = *c;
  }
  Result<bj::array> Invoke(const char* options) {
    targets_ = {};
    const bj::value given = bj::parse(options);
    return CheckInvocationOptions(command_, &given, targets_);
  }
  ApplicationCommand command_;
  OptionTargets targets_;
};

TEST_F(Invocation, TypedValuesWithinBoundsPassAndNameTheirTargets) {
  auto r = Invoke(R"([{"name":"label","value":"hit"},{"type":10,"name":"bias","value":0.5},
                      {"name":"for","value":"42"},{"name":"sides","value":6}])");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->size(), 4u);
  EXPECT_EQ(r->at(0).as_object().at("type").as_int64(), 3);  // the declared type is filled in
  EXPECT_EQ(targets_.users, std::vector<Snowflake>{42});
}

TEST_F(Invocation, RefusesWrongTypesBoundsChoicesAndMissingOrUnknownOptions) {
  for (const char* bad : {R"([])",                                    // label is required
                          R"([{"name":"label","value":"toolong"}])",  // max_length 5
                          R"([{"name":"label","value":3}])",          // not a string
                          R"([{"name":"label","value":"a"},{"name":"bias","value":2}])",
                          R"([{"name":"label","value":"a"},{"name":"sides","value":7}])",
                          R"([{"name":"label","value":"a"},{"name":"for","value":"me"}])",
                          R"([{"name":"label","value":"a"},{"name":"other","value":1}])",
                          R"([{"name":"label","value":"a"},{"name":"label","value":"b"}])",
                          R"([{"type":4,"name":"label","value":"a"}])"}) {
    EXPECT_FALSE(Invoke(bad)) << bad;
  }
}

TEST(Autocomplete, TakesWhatIsTypedSoFarWithOneFocusedOptionThatAutocompletes) {
  auto c = ParseCommand(Parse(R"({"name":"fruit","description":"d","options":[
      {"type":3,"name":"kind","description":"k","required":true,"autocomplete":true},
      {"type":4,"name":"count","description":"c","required":true}]})"));
  ASSERT_TRUE(c);
  OptionTargets targets;
  const bj::value typing = bj::parse(R"([{"name":"kind","value":"ap","focused":true}])");
  auto r = CheckInvocationOptions(*c, &typing, targets, /*autocomplete=*/true);
  ASSERT_TRUE(r) << r.error().message;  // count, required, is not typed yet
  EXPECT_EQ(bj::serialize(*r), R"([{"type":3,"name":"kind","value":"ap","focused":true}])");
  EXPECT_FALSE(CheckInvocationOptions(*c, &typing, targets));  // not as a command run
  for (const char* bad : {R"([])", R"([{"name":"kind","value":"a"}])",
                          R"([{"name":"count","value":"1","focused":true}])",
                          R"([{"name":"kind","value":"a","focused":true},
                              {"name":"count","value":"x"}])"}) {
    const bj::value given = bj::parse(bad);
    EXPECT_FALSE(CheckInvocationOptions(*c, &given, targets, true)) << bad;
  }
}

}  // namespace
}  // namespace chat::domain::json
