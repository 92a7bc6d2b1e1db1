// AutoModerationStore behaviour against every backend. Registered on the GuildStoreTest fixture,
// which every backend instantiates, since a guild's rules belong to it.
#include <atomic>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "domain/auto_moderation.hpp"
#include "store/auto_moderation_store.hpp"
#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

using domain::AutoModRule;
using domain::AutoModTrigger;

const domain::Snowflake kAutoModOwner = Id(1);
const domain::Snowflake kAutoModGuild = Id(4000);
const domain::Snowflake kAutoModOtherGuild = Id(5000);

AutoModRule AutoModRuleOf(domain::Snowflake id, const std::string& name,
                          AutoModTrigger trigger = AutoModTrigger::kKeyword,
                          domain::Snowflake guild = kAutoModGuild) {
  AutoModRule r;
  r.id = id;
  r.guild_id = guild;
  r.name = name;
  r.creator_id = kAutoModOwner;
  r.trigger_type = static_cast<int>(trigger);
  return r;
}

void SeedAutoModGuilds(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kAutoModOwner, "owner")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kAutoModGuild, kAutoModOwner)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kAutoModOtherGuild, kAutoModOwner, "Other")));
}

// Every field, compared one by one so that a failure names the field.
void ExpectSameRule(const AutoModRule& got, const AutoModRule& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.guild_id, want.guild_id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.creator_id, want.creator_id);
  EXPECT_EQ(got.event_type, want.event_type);
  EXPECT_EQ(got.trigger_type, want.trigger_type);
  EXPECT_EQ(got.trigger_metadata_json, want.trigger_metadata_json);
  EXPECT_EQ(got.actions_json, want.actions_json);
  EXPECT_EQ(got.enabled, want.enabled);
  EXPECT_EQ(got.exempt_roles, want.exempt_roles);
  EXPECT_EQ(got.exempt_channels, want.exempt_channels);
}

// UnknownAutoModRule has no Discord code: tell it from Unknown Guild by its zero code.
template <class T>
::testing::AssertionResult IsUnknownAutoModRule(const Result<T>& result) {
  auto kind = IsError(result, Errc::kNotFound);
  if (!kind) return kind;
  if (result.error().api_code != 0) {
    return ::testing::AssertionFailure() << "api_code " << result.error().api_code;
  }
  return ::testing::AssertionSuccess();
}

TEST_P(GuildStoreTest, AutoModRulesKeepEveryFieldThroughCreateGetListUpdateAndDelete) {
  ASSERT_NO_FATAL_FAILURE(SeedAutoModGuilds(store()));
  // Created out of id order: the list is by id.
  AutoModRule spam = AutoModRuleOf(Id(602), "no mass mentions", AutoModTrigger::kMentionSpam);
  spam.trigger_metadata_json =
      R"({"mention_total_limit":5,"mention_raid_protection_enabled":true})";
  spam.actions_json = R"([{"type":1,"metadata":{"custom_message":"Trop de mentions 🚫"}}])";
  spam.enabled = false;
  spam.exempt_roles = {Id(4100), Id(4101), Id(4102)};
  spam.exempt_channels = {kAutoModGuild + 2, kAutoModGuild + 3};
  AutoModRule words = AutoModRuleOf(Id(601), "Schimpfwörter 🤬");
  words.trigger_metadata_json =
      R"({"keyword_filter":["*katze*","犬"],"regex_patterns":["^b[a-z]+$"],"allow_list":[]})";
  words.actions_json =
      R"([{"type":1,"metadata":{}},{"type":3,"metadata":{"duration_seconds":60}}])";
  words.enabled = true;
  for (const AutoModRule& r : {spam, words}) {
    auto made = store().CreateAutoModRule(r, 6);
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_TRUE(*made);
  }
  auto listed = store().ListAutoModRules(kAutoModGuild);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  ExpectSameRule((*listed)[0], words);
  ExpectSameRule((*listed)[1], spam);
  auto read = store().GetAutoModRule(kAutoModGuild, spam.id);
  ASSERT_TRUE(read) << read.error().message;
  ExpectSameRule(*read, spam);

  // Every written field changes; creator and trigger type are not written.
  AutoModRule changed = words;
  changed.name = "mots interdits";
  changed.event_type = 2;
  changed.trigger_metadata_json = R"({"keyword_filter":["ñandú"],"regex_patterns":[]})";
  changed.actions_json = R"([{"type":2,"metadata":{"channel_id":"123"}}])";
  changed.enabled = false;
  changed.exempt_roles = {Id(4200)};
  changed.exempt_channels = {kAutoModGuild + 2, kAutoModGuild + 1, kAutoModGuild + 3};
  AutoModRule sent = changed;
  sent.creator_id = Id(9);
  sent.trigger_type = static_cast<int>(AutoModTrigger::kSpam);
  auto updated = store().UpdateAutoModRule(sent);
  ASSERT_TRUE(updated) << updated.error().message;
  read = store().GetAutoModRule(kAutoModGuild, words.id);
  ASSERT_TRUE(read) << read.error().message;
  ExpectSameRule(*read, changed);
  // And back to empty lists and enabled.
  AutoModRule emptied = spam;
  emptied.exempt_roles.clear();
  emptied.exempt_channels.clear();
  emptied.enabled = true;
  ASSERT_TRUE(store().UpdateAutoModRule(emptied));
  read = store().GetAutoModRule(kAutoModGuild, spam.id);
  ASSERT_TRUE(read) << read.error().message;
  ExpectSameRule(*read, emptied);

  auto deleted = store().DeleteAutoModRule(kAutoModGuild, words.id);
  ASSERT_TRUE(deleted) << deleted.error().message;
  ExpectSameRule(*deleted, changed);  // as it was
  EXPECT_TRUE(IsUnknownAutoModRule(store().GetAutoModRule(kAutoModGuild, words.id)));
  EXPECT_TRUE(IsUnknownAutoModRule(store().DeleteAutoModRule(kAutoModGuild, words.id)));
  EXPECT_TRUE(IsUnknownAutoModRule(store().UpdateAutoModRule(changed)));
  listed = store().ListAutoModRules(kAutoModGuild);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  ExpectSameRule((*listed)[0], emptied);
}

TEST_P(GuildStoreTest, AutoModRulesStopAtTheLimitOfTheirTriggerType) {
  ASSERT_NO_FATAL_FAILURE(SeedAutoModGuilds(store()));
  for (const auto& r : {AutoModRuleOf(Id(601), "one"), AutoModRuleOf(Id(602), "two")}) {
    auto made = store().CreateAutoModRule(r, 2);
    ASSERT_TRUE(made) << made.error().message;
    ASSERT_TRUE(*made);
  }
  auto third = store().CreateAutoModRule(AutoModRuleOf(Id(603), "three"), 2);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_FALSE(*third);
  EXPECT_TRUE(IsUnknownAutoModRule(store().GetAutoModRule(kAutoModGuild, Id(603))));
  // Another trigger type counts on its own.
  auto spam = store().CreateAutoModRule(
      AutoModRuleOf(Id(604), "mentions", AutoModTrigger::kMentionSpam), 2);
  ASSERT_TRUE(spam) << spam.error().message;
  EXPECT_TRUE(*spam);
  // So does another guild.
  auto other = store().CreateAutoModRule(
      AutoModRuleOf(Id(605), "elsewhere", AutoModTrigger::kKeyword, kAutoModOtherGuild), 2);
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_TRUE(*other);
  auto listed = store().ListAutoModRules(kAutoModGuild);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 3u);
}

TEST_P(GuildStoreTest, AutoModRulesRacingForTheLastPlacesNeverPassTheLimit) {
  ASSERT_NO_FATAL_FAILURE(SeedAutoModGuilds(store()));
  constexpr int kRacers = 8;
  constexpr std::size_t kMax = 3;
  std::latch start(kRacers);
  std::atomic<int> stored = 0, refused = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kRacers; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      auto made = store().CreateAutoModRule(
          AutoModRuleOf(Id(700 + static_cast<std::uint64_t>(t)), "racer " + std::to_string(t)),
          kMax);
      if (!made) {
        ++failed;
      } else if (*made) {
        ++stored;
      } else {
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stored.load(), static_cast<int>(kMax));
  EXPECT_EQ(refused.load(), kRacers - static_cast<int>(kMax));
  auto listed = store().ListAutoModRules(kAutoModGuild);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), kMax);
}

TEST_P(GuildStoreTest, AutoModRulesOfAnotherGuildAreNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedAutoModGuilds(store()));
  const AutoModRule theirs =
      AutoModRuleOf(Id(601), "theirs", AutoModTrigger::kKeyword, kAutoModOtherGuild);
  ASSERT_TRUE(store().CreateAutoModRule(theirs, 6));
  EXPECT_TRUE(IsUnknownAutoModRule(store().GetAutoModRule(kAutoModGuild, theirs.id)));
  AutoModRule moved = theirs;
  moved.guild_id = kAutoModGuild;
  moved.name = "hijacked";
  EXPECT_TRUE(IsUnknownAutoModRule(store().UpdateAutoModRule(moved)));
  EXPECT_TRUE(IsUnknownAutoModRule(store().DeleteAutoModRule(kAutoModGuild, theirs.id)));
  auto mine = store().ListAutoModRules(kAutoModGuild);
  ASSERT_TRUE(mine) << mine.error().message;
  EXPECT_TRUE(mine->empty());
  // Untouched in its own guild.
  auto read = store().GetAutoModRule(kAutoModOtherGuild, theirs.id);
  ASSERT_TRUE(read) << read.error().message;
  ExpectSameRule(*read, theirs);
}

TEST_P(GuildStoreTest, AutoModRulesNeedTheirGuildAndGoWithIt) {
  ASSERT_NO_FATAL_FAILURE(SeedAutoModGuilds(store()));
  const domain::Snowflake unknown = Id(9999);
  EXPECT_TRUE(IsError(store().CreateAutoModRule(
                          AutoModRuleOf(Id(601), "lost", AutoModTrigger::kKeyword, unknown), 6),
                      Errc::kNotFound, kUnknownGuild));
  auto none = store().ListAutoModRules(unknown);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(store().CreateAutoModRule(
      AutoModRuleOf(Id(602), "kept", AutoModTrigger::kKeyword, kAutoModGuild), 6));
  ASSERT_TRUE(store().CreateAutoModRule(
      AutoModRuleOf(Id(603), "doomed", AutoModTrigger::kKeyword, kAutoModOtherGuild), 6));
  ASSERT_TRUE(store().CreateAutoModRule(
      AutoModRuleOf(Id(604), "doomed too", AutoModTrigger::kMentionSpam, kAutoModOtherGuild), 6));
  ASSERT_TRUE(store().DeleteGuild(kAutoModOtherGuild));
  EXPECT_TRUE(IsUnknownAutoModRule(store().GetAutoModRule(kAutoModOtherGuild, Id(603))));
  auto gone = store().ListAutoModRules(kAutoModOtherGuild);
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_TRUE(gone->empty());
  auto kept = store().ListAutoModRules(kAutoModGuild);
  ASSERT_TRUE(kept) << kept.error().message;
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].name, "kept");
}

}  // namespace
}  // namespace chat::store::testing
