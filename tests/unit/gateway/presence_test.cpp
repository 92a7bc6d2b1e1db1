#include "gateway/presence.hpp"
#include "gateway/voice_states.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

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

TEST(PresenceText, RoundTripsAndRefusesWhatIsNotOurs) {
  const Presence p{"dnd", R"([{"name":"chess","type":0}])"};
  auto back = DecodePresence(EncodePresence(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, "dnd");
  EXPECT_EQ(back->activities_json, p.activities_json);
  EXPECT_FALSE(DecodePresence("online"));
  EXPECT_FALSE(DecodePresence("busy\n[]"));
  EXPECT_FALSE(DecodePresence("online\n{}"));
}

// The deployment's directory in memory as one node sees it, with an outage switch: the Redis one
// has its own tests against Redis, and test_multinode.py drives the tracker through real nodes.
class MemoryDirectory final : public bus::PresenceDirectory {
 public:
  bool down = false;
  bool lost = false;                           // the next pulse finds this node's mark gone
  std::map<domain::Snowflake, int> here;       // this node's sessions per user
  std::map<domain::Snowflake, int> elsewhere;  // other nodes' sessions per user
  std::map<domain::Snowflake, std::string> presence;
  std::map<std::pair<domain::Snowflake, domain::Snowflake>, std::string> voice;

  bool Online(domain::Snowflake user) const {
    return here.contains(user) || elsewhere.contains(user);
  }
  Result<bool> Joined(domain::Snowflake user, std::string_view p, bool replace) override {
    if (down) return Down();
    const bool was = Online(user);
    ++here[user];
    if (!was || replace) presence[user] = std::string(p);
    return !was;
  }
  Result<bool> Left(domain::Snowflake user) override {
    if (down) return Down();
    if (--here[user] <= 0) here.erase(user);
    if (Online(user)) return false;
    presence.erase(user);
    return true;
  }
  Result<void> Set(domain::Snowflake user, std::string_view p) override {
    if (down) return Down();
    presence[user] = std::string(p);
    return {};
  }
  Result<std::vector<std::optional<std::string>>> Get(
      std::span<const domain::Snowflake> users) override {
    if (down) return Down();
    std::vector<std::optional<std::string>> out;
    for (const auto u : users) {
      auto it = presence.find(u);
      out.push_back(Online(u) && it != presence.end() ? std::optional<std::string>(it->second)
                                                      : std::nullopt);
    }
    return out;
  }
  Result<std::vector<domain::Snowflake>> Held() override {
    if (down) return Down();
    std::vector<domain::Snowflake> out;
    for (const auto& [user, n] : here) out.push_back(user);
    return out;
  }
  Result<bool> Rejoin(domain::Snowflake user, std::string_view p, int sessions) override {
    if (down) return Down();
    const bool was = Online(user);
    here[user] = sessions;
    if (!was) presence[user] = std::string(p);
    return !was;
  }
  Result<bool> Forget(domain::Snowflake user) override {
    if (down) return Down();
    const bool existed = Online(user);
    here.erase(user);
    if (!existed || Online(user)) return false;
    presence.erase(user);
    return true;
  }
  Result<bool> PutVoice(domain::Snowflake guild, domain::Snowflake user, std::string_view,
                        std::string_view state, bool) override {
    if (down) return Down();
    if (state.empty()) return voice.erase({guild, user}) == 1;
    voice[{guild, user}] = std::string(state);
    return true;
  }
  Result<bool> DropVoice(domain::Snowflake guild, domain::Snowflake user,
                         std::string_view) override {
    if (down) return Down();
    return voice.erase({guild, user}) == 1;
  }
  Result<std::vector<std::string>> VoiceInGuild(domain::Snowflake guild) override {
    if (down) return Down();
    std::vector<std::string> out;
    for (const auto& [key, state] : voice) {
      if (key.first == guild) out.push_back(state);
    }
    return out;
  }
  Result<bool> Pulse() override {
    if (down) return Down();
    return std::exchange(lost, false);
  }
  Result<Swept> Sweep() override {
    if (down) return Down();
    return Swept{};
  }

 private:
  static Error Down() { return Error{Errc::kCache, "redis: connect: Connection refused"}; }
};

TEST(PresenceTracker, SharedTheDeploymentDecidesWhoIsOnline) {
  MemoryDirectory directory;
  PresenceTracker t;
  t.Share(&directory);
  directory.elsewhere[8] = 1;
  directory.presence[8] = EncodePresence(Presence{"idle", "[]"});
  EXPECT_EQ(t.Visible(8)->status, "idle");
  EXPECT_FALSE(t.SessionStarted(8, Presence{}));  // online already: not again
  EXPECT_EQ(t.Visible(8)->status, "idle");
  EXPECT_FALSE(t.SessionStarted(8, Presence{"dnd", "[]"}, /*stated=*/true));
  EXPECT_EQ(t.Visible(8)->status, "dnd");  // a stated presence replaces it
  EXPECT_FALSE(t.SessionEnded(8));
  EXPECT_FALSE(t.SessionEnded(8));  // their last here, not anywhere
  directory.elsewhere.clear();
  EXPECT_TRUE(t.SessionStarted(8, Presence{}));
  EXPECT_TRUE(t.SessionEnded(8));
}

TEST(PresenceTracker, ThroughAnOutageThisNodeAnswersAndSetsTheDirectoryRightAfter) {
  MemoryDirectory directory;
  PresenceTracker t;
  t.Share(&directory);
  directory.down = true;
  EXPECT_TRUE(t.SessionStarted(7, Presence{"idle", "[]"}));  // this node's sessions decide
  EXPECT_EQ(t.Visible(7)->status, "idle");
  EXPECT_TRUE(t.Sweep().users.empty());
  directory.down = false;
  EXPECT_FALSE(t.Visible(7));  // the directory never heard of them
  auto swept = t.Sweep();
  EXPECT_EQ(swept.users, std::vector<domain::Snowflake>{7});  // rejoined: published online
  EXPECT_TRUE(swept.resynced);
  EXPECT_EQ(t.Visible(7)->status, "idle");
  EXPECT_EQ(directory.here[7], 1);
  EXPECT_TRUE(t.Sweep().users.empty());

  // Redis restarted empty between two calls: no call failed, the pulse tells.
  directory.here.clear();
  directory.presence.clear();
  directory.lost = true;
  t.Pulse();
  EXPECT_EQ(t.Sweep().users, std::vector<domain::Snowflake>{7});
  EXPECT_EQ(t.Visible(7)->status, "idle");
}

TEST(PresenceTracker, AnEndTheDirectoryMissedIsSetRightAtTheNextSweep) {
  MemoryDirectory directory;
  PresenceTracker t;
  t.Share(&directory);
  ASSERT_TRUE(t.SessionStarted(7, Presence{}));
  ASSERT_FALSE(t.SessionStarted(7, Presence{}));
  directory.down = true;
  EXPECT_FALSE(t.SessionEnded(7));
  EXPECT_TRUE(t.SessionEnded(7));  // this node's last: offline as far as it knows
  directory.down = false;
  EXPECT_TRUE(t.Visible(7));  // the directory still counts two sessions here
  EXPECT_EQ(t.Sweep().users, std::vector<domain::Snowflake>{7});  // forgotten: offline again
  EXPECT_FALSE(t.Visible(7));
  EXPECT_FALSE(directory.here.contains(7));
}

TEST(VoiceStates, SharedTheDeploymentsStatesAnswerAndAStateTakenElsewhereIsNotLeft) {
  MemoryDirectory directory;
  VoiceStates v;
  v.Share(&directory);
  EXPECT_TRUE(v.Set(VoiceState{1, 7, 4, "a", false, true}));
  // Another node's session of user 8.
  directory.voice[{1, 8}] = EncodeVoiceState(VoiceState{1, 8, 4, "b", true, false});
  auto in_guild = v.InGuild(1);
  ASSERT_EQ(in_guild.size(), 2u);
  EXPECT_EQ(in_guild[1].session_id, "b");
  EXPECT_TRUE(in_guild[1].self_mute);
  EXPECT_TRUE(in_guild[0].self_deaf);
  // User 7 moved on through another node: ending session "a" here leaves nothing.
  directory.voice.erase({1, 7});
  EXPECT_TRUE(v.TakeSession("a").empty());
  // A leave clears the state another node holds.
  EXPECT_TRUE(v.Set(VoiceState{1, 8, std::nullopt, "c", false, false}));
  EXPECT_TRUE(v.InGuild(1).empty());
  // Down: this node's own states answer, and are put back (and told again) after.
  directory.down = true;
  EXPECT_TRUE(v.Set(VoiceState{1, 9, 4, "d", false, false}));
  EXPECT_EQ(v.InGuild(1).size(), 1u);
  directory.down = false;
  EXPECT_TRUE(v.InGuild(1).empty());
  EXPECT_EQ(v.Resync(false).size(), 1u);
  EXPECT_EQ(v.InGuild(1).size(), 1u);
  EXPECT_TRUE(v.Resync(false).empty());  // nothing failed since
}

TEST(VoiceStateText, RoundTripsAndRefusesWhatIsNotOurs) {
  const VoiceState s{1, 7, 4, "abc", true, false};
  auto back = DecodeVoiceState(EncodeVoiceState(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->guild_id, 1u);
  EXPECT_EQ(back->user_id, 7u);
  EXPECT_EQ(back->channel_id, 4u);
  EXPECT_EQ(back->session_id, "abc");
  EXPECT_TRUE(back->self_mute);
  EXPECT_FALSE(back->self_deaf);
  EXPECT_FALSE(DecodeVoiceState("1\t7\t4\tabc"));
  EXPECT_FALSE(DecodeVoiceState("1\t7\tx\tabc\t00"));
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
