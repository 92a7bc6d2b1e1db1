#include "gateway/presence.hpp"
#include "gateway/voice_states.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace chat::gateway {
namespace {

namespace bj = boost::json;

TEST(ParsePresence, KeepsOnlyKnownActivityFields) {
  auto p = ParsePresence(
      bj::parse(R"({"status":"dnd","since":null,"afk":false,)"
                R"("activities":[{"name":"chess","type":0,"secret":"x","state":"winning"}]})"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, "dnd");
  EXPECT_EQ(bj::parse(p->activities_json),
            bj::parse(R"([{"name":"chess","type":0,"state":"winning"}])"));
}

TEST(ParsePresence, RefusesUnknownStatusesAndBadActivities) {
  EXPECT_FALSE(ParsePresence(bj::parse(R"({"status":"busy"})")));
  EXPECT_FALSE(ParsePresence(bj::parse(R"({"activities":[{"type":0}]})")));
  EXPECT_FALSE(ParsePresence(bj::parse(R"({"activities":{}})")));
  EXPECT_EQ(ParsePresence(bj::parse(R"({"status":"offline"})"))->status, "invisible");
}

TEST(PresenceJson, InvisibleLooksOfflineWithoutActivities) {
  auto o = PresenceJson(5, 1, Presence{"invisible", R"([{"name":"x","type":0}])"});
  EXPECT_EQ(o.at("status"), "offline");
  EXPECT_TRUE(o.at("activities").as_array().empty());
  EXPECT_EQ(o.at("user").at("id"), "5");
  EXPECT_EQ(o.at("guild_id"), "1");
}

TEST(PresenceTracker, OnlineFromTheFirstSessionUntilTheLastEnds) {
  PresenceTracker t;
  EXPECT_TRUE(t.SessionStarted(7, Presence{"idle", "[]"}));
  EXPECT_FALSE(t.SessionStarted(7, Presence{"online", "[]"}));  // keeps the first's status
  EXPECT_EQ(t.Visible(7)->status, "idle");
  EXPECT_FALSE(t.SessionEnded(7));
  EXPECT_TRUE(t.SessionEnded(7));
  EXPECT_FALSE(t.Visible(7));
  EXPECT_FALSE(t.SessionEnded(7));
}

TEST(PresenceTracker, InvisibleUsersAreNotVisible) {
  PresenceTracker t;
  t.SessionStarted(7, Presence{});
  t.Update(7, Presence{"invisible", "[]"});
  EXPECT_FALSE(t.Visible(7));
}

TEST(VoiceStates, JoinMoveAndLeaveOnePerGuildAndUser) {
  VoiceStates v;
  EXPECT_TRUE(v.Set(VoiceState{1, 7, 4, "s", false, false}));
  EXPECT_FALSE(v.Set(VoiceState{1, 7, 4, "s", false, false}));  // no change
  EXPECT_TRUE(v.Set(VoiceState{1, 7, 5, "s", true, false}));    // moved and muted
  ASSERT_EQ(v.InGuild(1).size(), 1u);
  EXPECT_EQ(v.InGuild(1)[0].channel_id, 5u);
  EXPECT_TRUE(v.Set(VoiceState{1, 7, std::nullopt, "s", false, false}));
  EXPECT_TRUE(v.InGuild(1).empty());
  EXPECT_FALSE(v.Set(VoiceState{1, 7, std::nullopt, "s", false, false}));
}

TEST(VoiceStates, AnEndedSessionLeavesItsChannels) {
  VoiceStates v;
  v.Set(VoiceState{1, 7, 4, "a", false, false});
  v.Set(VoiceState{2, 7, 9, "a", false, false});
  v.Set(VoiceState{1, 8, 4, "b", false, false});
  auto left = v.TakeSession("a");
  ASSERT_EQ(left.size(), 2u);
  EXPECT_FALSE(left[0].channel_id);
  EXPECT_EQ(v.InGuild(1).size(), 1u);
  EXPECT_TRUE(v.InGuild(2).empty());
  EXPECT_EQ(VoiceStateJson(left[0]).at("channel_id"), nullptr);
}

}  // namespace
}  // namespace chat::gateway
