// RedisSharedKeys against the real Redis named by CHAT_TEST_REDIS_URL: two instances play two
// nodes. Without the variable these tests fail, never skip. Keys carry the test's name.
#include "bus/redis/redis_shared_keys.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "redis_test_env.hpp"

namespace chat::bus::redis {
namespace {

using namespace std::chrono_literals;

RedisSharedKeysOptions KeysOptions(const RedisEndpoint& endpoint, const std::string& node) {
  RedisSharedKeysOptions o;
  o.endpoint = endpoint;
  o.node_id = node + "-" + TestName();
  return o;
}

TEST(RedisSharedKeys, TheFirstNodeSetsAKeyAndTheOtherReadsItsValue) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisSharedKeys a(KeysOptions(*endpoint, "a"));
  RedisSharedKeys b(KeysOptions(*endpoint, "b"));
  // Keys and values are bytes: a client's nonce may hold anything.
  const std::string key = "chat:test:" + TestName() + ": nonce \xC3\xA9 with spaces";
  const std::string value("1234\0 5", 7);

  auto absent = b.Get(key);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_FALSE(*absent);

  auto set = a.SetIfAbsent(key, value, 60s);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_FALSE(*set);  // it was free: A holds it now

  auto held = b.SetIfAbsent(key, "other", 60s);
  ASSERT_TRUE(held) << held.error().message;
  ASSERT_TRUE(*held);
  EXPECT_EQ(**held, value);
  auto read = b.Get(key);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->value_or(""), value);  // B's attempt left A's value in place

  // Another deployment (another prefix) on the same Redis does not see it.
  auto other_options = KeysOptions(*endpoint, "c");
  other_options.key_prefix = "elsewhere:";
  RedisSharedKeys other(other_options);
  auto elsewhere = other.Get(key);
  ASSERT_TRUE(elsewhere);
  EXPECT_FALSE(*elsewhere);

  // Redis expires it after the TTL asked for.
  const auto ttl = std::stoll(Command(*endpoint, {"PTTL", key}));
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 60'000);

  // ReplaceIf and DeleteIf act only on the value expected, and ReplaceIf sets a new expiry.
  EXPECT_FALSE(b.ReplaceIf(key, "other", "replaced", 300s).value());
  ASSERT_TRUE(b.ReplaceIf(key, value, "replaced", 300s).value());
  EXPECT_EQ(a.Get(key)->value_or(""), "replaced");
  EXPECT_GT(std::stoll(Command(*endpoint, {"PTTL", key})), 60'000);
  EXPECT_FALSE(a.DeleteIf(key, value).value());
  EXPECT_TRUE(a.DeleteIf(key, "replaced").value());
  EXPECT_FALSE(*b.Get(key));
}

TEST(RedisSharedKeys, OfManyNodesSettingOneKeyAtOnceExactlyOneWins) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  constexpr int kNodes = 4, kThreadsPerNode = 4;
  std::vector<std::unique_ptr<RedisSharedKeys>> nodes;
  for (int n = 0; n < kNodes; ++n) {
    nodes.push_back(std::make_unique<RedisSharedKeys>(KeysOptions(*endpoint, std::to_string(n))));
  }
  const std::string key = "chat:test:" + TestName();
  std::atomic<int> winners = 0, failures = 0;
  std::vector<std::string> seen(kNodes * kThreadsPerNode);
  std::vector<std::thread> threads;
  for (int t = 0; t < kNodes * kThreadsPerNode; ++t) {
    threads.emplace_back([&, t] {
      auto r = nodes[t % kNodes]->SetIfAbsent(key, "writer-" + std::to_string(t), 60s);
      if (!r) {
        ++failures;
      } else if (!*r) {
        ++winners;
        seen[t] = "writer-" + std::to_string(t);
      } else {
        seen[t] = **r;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(winners, 1);
  // Every loser was told the winner's value.
  for (const auto& s : seen) EXPECT_EQ(s, seen.front());
}

TEST(RedisSharedKeys, CountersOfTwoNodesAddUpInOneWindowThatLaterIncrementsDoNotExtend) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisSharedKeys a(KeysOptions(*endpoint, "a"));
  RedisSharedKeys b(KeysOptions(*endpoint, "b"));
  const std::string key = "chat:test:" + TestName();
  auto none = a.Count(key);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->value, 0);
  EXPECT_EQ(none->ms_left, 0);

  auto first = a.Increment(key, 60s);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->value, 1);
  EXPECT_GT(first->ms_left, 0);
  EXPECT_LE(first->ms_left, 60'000);
  // A shorter TTL on a later increment does not move the window.
  auto second = b.Increment(key, 1s);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->value, 2);
  EXPECT_GT(second->ms_left, 1'000);
  auto counted = b.Count(key);
  ASSERT_TRUE(counted);
  EXPECT_EQ(counted->value, 2);

  ASSERT_TRUE(a.Delete(key));
  EXPECT_EQ(b.Count(key)->value, 0);
  // A key holding something else is an error, not a count.
  Command(*endpoint, {"SET", key, "not a number", "PX", "60000"});
  EXPECT_FALSE(a.Count(key));
}

TEST(RedisSharedKeys, AConnectionRedisClosedIsReplacedWithoutFailingACall) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  auto options = KeysOptions(*endpoint, "a");
  RedisSharedKeys keys(options);
  const std::string key = "chat:test:" + TestName();
  ASSERT_TRUE(keys.SetIfAbsent(key, "first", 60s));  // leaves one idle connection
  ASSERT_EQ(KillClientsNamed(*endpoint, "chat-keys-" + options.node_id), 1);

  auto again = keys.SetIfAbsent(key, "second", 60s);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->value_or(""), "first");
  auto read = keys.Get(key);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->value_or(""), "first");
}

TEST(RedisSharedKeys, AnUnreachableRedisIsAnErrorAndIsNotDialledOnEveryCall) {
  RedisSharedKeysOptions options;
  options.endpoint.port = ClosedPort();
  options.node_id = "nowhere-" + TestName();
  options.retry_after = 1h;
  RedisSharedKeys keys(options);
  auto first = keys.SetIfAbsent("k", "v", 1s);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, Errc::kCache);
  EXPECT_NE(first.error().message.find("refused"), std::string::npos) << first.error().message;
  // Within retry_after a call fails at once, without dialling again.
  auto second = keys.Get("k");
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("not retried yet"), std::string::npos)
      << second.error().message;
}

}  // namespace
}  // namespace chat::bus::redis
