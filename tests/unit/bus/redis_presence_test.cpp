// RedisPresence against the real Redis: several nodes' sessions of one user make one presence,
// the last one ending anywhere takes them offline (exactly one node finds so), and a node that
// stops beating has its users taken offline once, by whichever node beats next.
#include "bus/redis/redis_presence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "redis_test_env.hpp"

namespace chat::bus::redis {
namespace {

using namespace std::chrono_literals;

RedisPresenceOptions PresenceOptions(const RedisEndpoint& endpoint, const std::string& node) {
  return RedisPresenceOptions{.endpoint = endpoint,
                              .node_id = node + "-" + TestName(),
                              .key_prefix = "chat:test:" + TestName() + ":",
                              .beat = 60s};
}

// The call's answer; a failed call fails the test.
bool Answer(const Result<bool>& r) {
  EXPECT_TRUE(r) << r.error().message;
  return r && *r;
}

std::optional<std::string> PresenceOf(RedisPresence& node, domain::Snowflake user) {
  const domain::Snowflake users[] = {user};
  auto got = node.Get(users);
  EXPECT_TRUE(got) << got.error().message;
  return got ? got->front() : std::nullopt;
}

TEST(RedisPresence, AUserOnTwoNodesIsOnlineUntilTheirLastNodeLetsGo) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisPresence a(PresenceOptions(*endpoint, "a")), b(PresenceOptions(*endpoint, "b"));
  ASSERT_TRUE(a.Pulse());  // alive: what a node does first
  ASSERT_TRUE(b.Pulse());

  EXPECT_TRUE(Answer(a.Joined(7, "online", false)));   // came online
  EXPECT_FALSE(Answer(b.Joined(7, "idle", false)));    // already online
  EXPECT_EQ(PresenceOf(b, 7).value_or(""), "online");  // the later node keeps what was set
  EXPECT_TRUE(Answer(b.Joined(8, "dnd", false)));
  ASSERT_TRUE(a.Set(7, "dnd"));
  EXPECT_EQ(PresenceOf(b, 7).value_or(""), "dnd");

  // Several users in one call, in order; one who never came is offline.
  const domain::Snowflake users[] = {8, 9, 7};
  auto many = a.Get(users);
  ASSERT_TRUE(many) << many.error().message;
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ((*many)[0].value_or(""), "dnd");
  EXPECT_FALSE((*many)[1]);
  EXPECT_EQ((*many)[2].value_or(""), "dnd");

  EXPECT_FALSE(Answer(a.Left(7)));  // still on B
  EXPECT_EQ(PresenceOf(a, 7).value_or(""), "dnd");
  EXPECT_TRUE(Answer(b.Left(7)));  // gone everywhere
  EXPECT_FALSE(PresenceOf(a, 7));
  // Coming back starts afresh, with the presence the new session brings.
  EXPECT_TRUE(Answer(b.Joined(7, "idle", false)));
  EXPECT_EQ(PresenceOf(a, 7).value_or(""), "idle");
  // A session stating its presence replaces the one the user had.
  EXPECT_FALSE(Answer(a.Joined(7, "online", true)));
  EXPECT_EQ(PresenceOf(b, 7).value_or(""), "online");
}

TEST(RedisPresence, SessionsAreCountedSoAnEndMayOvertakeAStart) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisPresence a(PresenceOptions(*endpoint, "a"));
  ASSERT_TRUE(a.Pulse());
  ASSERT_TRUE(a.Joined(7, "online", false));
  // One session ends while another starts, on two threads: the end arrives first.
  EXPECT_TRUE(Answer(a.Left(7)));                   // offline for a moment
  EXPECT_TRUE(Answer(a.Joined(7, "idle", false)));  // and back
  EXPECT_EQ(PresenceOf(a, 7).value_or(""), "idle");
  // Two sessions, ends in any order: offline after the second only.
  ASSERT_TRUE(a.Joined(7, "idle", false));
  EXPECT_FALSE(Answer(a.Left(7)));
  EXPECT_TRUE(Answer(a.Left(7)));
  EXPECT_FALSE(PresenceOf(a, 7));
  // An end whose start the directory never heard of leaves nothing behind.
  EXPECT_TRUE(Answer(a.Left(9)));
  EXPECT_TRUE(Answer(a.Joined(9, "online", false)));
  auto held = a.Held();
  ASSERT_TRUE(held);
  EXPECT_EQ(*held, std::vector<domain::Snowflake>{9});
}

TEST(RedisPresence, RejoinAndForgetSetANodesEntriesRight) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisPresence a(PresenceOptions(*endpoint, "a")), b(PresenceOptions(*endpoint, "b"));
  ASSERT_TRUE(a.Pulse());
  ASSERT_TRUE(b.Pulse());
  EXPECT_TRUE(Answer(a.Rejoin(7, "dnd", 2)));  // unknown: came online
  EXPECT_FALSE(Answer(a.Left(7)));             // two sessions: one left
  EXPECT_EQ(PresenceOf(b, 7).value_or(""), "dnd");
  ASSERT_TRUE(b.Joined(8, "online", false));
  EXPECT_FALSE(Answer(a.Rejoin(8, "idle", 1)));  // online through B: B's presence stays
  EXPECT_EQ(PresenceOf(a, 8).value_or(""), "online");
  EXPECT_FALSE(Answer(a.Forget(8)));  // still on B
  EXPECT_TRUE(Answer(a.Forget(7)));   // gone everywhere
  EXPECT_FALSE(PresenceOf(b, 7));
  EXPECT_FALSE(Answer(a.Forget(7)));  // already gone: nothing to tell
}

TEST(RedisPresence, TheUsersOfANodeThatStoppedPulsingGoOfflineOnce) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  const auto dead_options = PresenceOptions(*endpoint, "dead");
  RedisPresence a(PresenceOptions(*endpoint, "a")), b(PresenceOptions(*endpoint, "b"));
  RedisPresence dead(dead_options);
  ASSERT_TRUE(dead.Pulse());
  ASSERT_TRUE(a.Pulse());
  ASSERT_TRUE(b.Pulse());
  ASSERT_TRUE(dead.Joined(1, "online", false));  // only there
  ASSERT_TRUE(dead.Joined(2, "online", false));  // there and on A
  ASSERT_TRUE(a.Joined(2, "online", false));

  // Its mark runs out (what 3 missed pulses do, without waiting for them).
  Command(*endpoint, {"DEL", dead_options.key_prefix + "presence:node:" + dead_options.node_id});
  EXPECT_FALSE(PresenceOf(b, 1));  // offline at once for every reader
  EXPECT_EQ(PresenceOf(b, 2).value_or(""), "online");

  auto gone = b.Sweep();
  ASSERT_TRUE(gone) << gone.error().message;
  EXPECT_EQ(gone->gone, std::vector<domain::Snowflake>{1});  // to publish: 2 is still on A
  EXPECT_FALSE(gone->more);
  auto again = a.Sweep();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->gone.empty());  // taken off once
  EXPECT_TRUE(Answer(a.Left(2)));
}

TEST(RedisPresence, ANodeFindsAtItsPulseThatItsEntriesWereLost) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  const auto options = PresenceOptions(*endpoint, "a");
  RedisPresence a(options);
  EXPECT_TRUE(Answer(a.Pulse()));  // never pulsed: nothing of it is known yet
  EXPECT_FALSE(Answer(a.Pulse()));
  ASSERT_TRUE(a.Joined(7, "online", false));
  // Redis restarted empty: joins alone do not hide it, the next pulse tells.
  Command(*endpoint, {"DEL", options.key_prefix + "presence:node:" + options.node_id});
  ASSERT_TRUE(a.Joined(8, "online", false));
  EXPECT_TRUE(Answer(a.Pulse()));
}

TEST(RedisPresence, ADeadNodesUsersAreTakenOffInBatches) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  auto dead_options = PresenceOptions(*endpoint, "dead");
  RedisPresence dead(dead_options);
  auto options = PresenceOptions(*endpoint, "a");
  options.sweep_batch = 2;
  RedisPresence a(options);
  ASSERT_TRUE(dead.Pulse());
  ASSERT_TRUE(a.Pulse());
  for (domain::Snowflake u = 1; u <= 5; ++u) ASSERT_TRUE(dead.Joined(u, "online", false));
  Command(*endpoint, {"DEL", dead_options.key_prefix + "presence:node:" + dead_options.node_id});
  std::vector<domain::Snowflake> gone;
  for (int calls = 1;; ++calls) {
    auto swept = a.Sweep();
    ASSERT_TRUE(swept) << swept.error().message;
    gone.insert(gone.end(), swept->gone.begin(), swept->gone.end());
    if (!swept->more) break;
    ASSERT_LT(calls, 3);
  }
  std::sort(gone.begin(), gone.end());
  EXPECT_EQ(gone, (std::vector<domain::Snowflake>{1, 2, 3, 4, 5}));
}

TEST(RedisPresence, VoiceStatesAreOnePerUserWhicheverNodePutThem) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  const auto dead_options = PresenceOptions(*endpoint, "dead");
  RedisPresence a(PresenceOptions(*endpoint, "a")), b(PresenceOptions(*endpoint, "b"));
  RedisPresence dead(dead_options);
  for (auto* node : {&a, &b, &dead}) ASSERT_TRUE(node->Pulse());

  ASSERT_TRUE(a.PutVoice(1, 7, "s-a", "state of 7 on A"));
  ASSERT_TRUE(dead.PutVoice(1, 8, "s-d", "state of 8 on the dead node"));
  ASSERT_TRUE(b.PutVoice(2, 7, "s-b", "state of 7 in guild 2"));
  auto in_guild = b.VoiceInGuild(1);
  ASSERT_TRUE(in_guild) << in_guild.error().message;
  std::sort(in_guild->begin(), in_guild->end());
  EXPECT_EQ(*in_guild,
            (std::vector<std::string>{"state of 7 on A", "state of 8 on the dead node"}));

  // User 7 moves on in guild 1 through B: A's session no longer holds it, so ending it leaves
  // nothing.
  ASSERT_TRUE(b.PutVoice(1, 7, "s-b", "state of 7 on B"));
  EXPECT_FALSE(Answer(a.DropVoice(1, 7, "s-a")));
  EXPECT_TRUE(Answer(b.DropVoice(1, 7, "s-b")));
  EXPECT_FALSE(Answer(b.PutVoice(1, 7, "s-b", "")));  // a leave with nothing left to clear
  // A hand-off or resync puts a state back only where no other session took it.
  ASSERT_TRUE(b.PutVoice(1, 7, "s-b", "state of 7 on B"));
  EXPECT_FALSE(Answer(a.PutVoice(1, 7, "s-a", "older state of 7", /*unless_taken=*/true)));
  EXPECT_TRUE(Answer(a.PutVoice(1, 7, "s-b", "state of 7, handed to A", /*unless_taken=*/true)));
  EXPECT_TRUE(Answer(a.DropVoice(1, 7, "s-b")));

  // The dead node's states vanish for readers at once, and are reported once as left.
  Command(*endpoint, {"DEL", dead_options.key_prefix + "presence:node:" + dead_options.node_id});
  EXPECT_TRUE(b.VoiceInGuild(1)->empty());
  auto swept = a.Sweep();
  ASSERT_TRUE(swept) << swept.error().message;
  EXPECT_EQ(swept->voice_left, std::vector<std::string>{"state of 8 on the dead node"});
  EXPECT_TRUE(b.Sweep()->voice_left.empty());
  EXPECT_EQ(b.VoiceInGuild(2)->size(), 1u);
}

TEST(RedisPresence, AnUnreachableRedisFailsEveryCall) {
  RedisEndpoint nowhere;
  nowhere.port = ClosedPort();
  RedisPresence a(RedisPresenceOptions{.endpoint = nowhere, .node_id = "a", .key_prefix = "x:"});
  EXPECT_FALSE(a.Joined(7, "online", false));
  EXPECT_FALSE(a.Left(7));
  EXPECT_FALSE(a.Set(7, "online"));
  EXPECT_FALSE(a.Pulse());
  EXPECT_FALSE(a.Sweep());
}

}  // namespace
}  // namespace chat::bus::redis
