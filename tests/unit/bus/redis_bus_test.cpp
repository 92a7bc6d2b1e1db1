// RedisBus against the real Redis named by CHAT_TEST_REDIS_URL (scripts/services.sh start DIR
// writes it to DIR/env): two buses in one process play two nodes. Without the variable these
// tests fail, never skip. Each test uses its own channel, so runs in parallel do not meet.
#include "bus/redis/redis_bus.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "bus/redis/event_codec.hpp"
#include "bus/redis/redis_handoff_store.hpp"
#include "redis_test_env.hpp"

namespace chat::bus::redis {
namespace {

using namespace std::chrono_literals;

constexpr auto kWait = 10s;  // upper bound for a delivery on loopback; normally milliseconds

RedisBusOptions Options(const RedisEndpoint& endpoint, const std::string& node) {
  RedisBusOptions o;
  o.endpoint = endpoint;
  o.node_id = node + "-" + TestName();
  o.channel = "chat:test:" + TestName();
  o.min_backoff = 20ms;
  o.max_backoff = 200ms;
  return o;
}

// Records what a handler receives; waits on a condition variable, not on the clock.
class Collector {
 public:
  void operator()(const EventPtr& e) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    }
    changed_.notify_all();
  }
  std::size_t Count(std::string_view type) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& e : events_) n += e->type == type;
    return n;
  }
  std::vector<std::string> Payloads(std::string_view type) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& e : events_) {
      if (e->type == type) out.push_back(e->payload);
    }
    return out;
  }
  std::vector<EventPtr> Events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  EventPtr First(std::string_view type) const {
    std::lock_guard lock(mutex_);
    for (const auto& e : events_) {
      if (e->type == type) return e;
    }
    return nullptr;
  }
  bool WaitFor(std::string_view type, std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      std::size_t seen = 0;
      for (const auto& e : events_) seen += e->type == type;
      return seen >= n;
    });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<EventPtr> events_;  // guarded by mutex_
};

Event Numbered(std::string type, int i) {
  Event e;
  e.type = std::move(type);
  e.guild_id = 1;
  e.recipients = {10, 11};
  e.intent = Intent::kGuildMessages;
  e.payload = std::to_string(i);
  return e;
}

std::vector<std::string> Expected(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(std::to_string(i));
  return out;
}

TEST(RedisBus, EventsReachTheOtherNodeExactlyOnceAndInOrder) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisBus a(Options(*endpoint, "a"));
  RedisBus b(Options(*endpoint, "b"));
  Collector on_a, on_b;
  a.Subscribe(std::ref(on_a));
  b.Subscribe(std::ref(on_b));
  ASSERT_TRUE(a.WaitSubscribed(kWait));
  ASSERT_TRUE(b.WaitSubscribed(kWait));

  constexpr int kEvents = 1000;
  for (int i = 0; i < kEvents; ++i) a.Publish(Numbered("SEQ", i));
  // A's own handler ran synchronously, before any round trip.
  EXPECT_EQ(on_a.Payloads("SEQ"), Expected(0, kEvents));
  // One more event after the others: once it is in, every copy of the others would be too.
  a.Publish(Numbered("END", 0));
  ASSERT_TRUE(on_b.WaitFor("END", 1, kWait)) << on_b.Count("SEQ") << " of " << kEvents;
  EXPECT_EQ(on_b.Payloads("SEQ"), Expected(0, kEvents));
  EXPECT_EQ(on_b.Count("END"), 1u);
  // Nor does A get its own events a second time when they come back from Redis.
  b.Publish(Numbered("END_B", 0));
  ASSERT_TRUE(on_a.WaitFor("END_B", 1, kWait));
  EXPECT_EQ(on_a.Count("SEQ"), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(on_a.Count("END"), 1u);
  EXPECT_EQ(on_b.Count("END_B"), 1u);

  // Both nodes see A's events numbered 1, 2, … in the order A delivered them.
  std::uint64_t expected_seq = 1;
  for (const auto& e : on_b.Events()) {
    if (e->type == "END_B") continue;  // B's own
    EXPECT_EQ(e->origin, a.node_id());
    EXPECT_EQ(e->origin_seq, expected_seq++);
  }
  EXPECT_EQ(expected_seq, static_cast<std::uint64_t>(kEvents + 2));

  const auto stats = a.Stats();
  EXPECT_EQ(stats.shared, static_cast<std::uint64_t>(kEvents + 1));
  EXPECT_EQ(stats.not_shared, 0u);
  EXPECT_EQ(b.Stats().received, static_cast<std::uint64_t>(kEvents + 1));
}

TEST(RedisBus, EveryFieldCrossesNodes) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisBus a(Options(*endpoint, "a"));
  RedisBus b(Options(*endpoint, "b"));
  Collector on_b;
  b.Subscribe(std::ref(on_b));
  ASSERT_TRUE(a.WaitSubscribed(kWait));
  ASSERT_TRUE(b.WaitSubscribed(kWait));
  Event e;
  e.type = "MESSAGE_CREATE";
  e.guild_id = 9223372036854775807ull;
  e.recipients = {1, 2, 3};
  e.intent = Intent::kDirectMessages;
  e.payload = std::string("{\"content\":\"line\\nquote\\\" ✓\"}") + std::string("\0tail", 5);
  e.author_id = 2;
  e.payload_without_content = "{\"content\":\"\"}";
  a.Publish(e);
  ASSERT_TRUE(on_b.WaitFor("MESSAGE_CREATE", 1, kWait));
  const EventPtr got = on_b.First("MESSAGE_CREATE");
  EXPECT_EQ(got->guild_id, e.guild_id);
  EXPECT_EQ(got->recipients, e.recipients);
  EXPECT_EQ(got->intent, e.intent);
  EXPECT_EQ(got->payload, e.payload);
  EXPECT_EQ(got->author_id, e.author_id);
  EXPECT_EQ(got->payload_without_content, e.payload_without_content);
}

TEST(RedisBus, InvalidMessagesOnTheChannelAreDroppedAndDeliveryGoesOn) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisBus a(Options(*endpoint, "a"));
  RedisBus b(Options(*endpoint, "b"));
  Collector on_b;
  b.Subscribe(std::ref(on_b));
  ASSERT_TRUE(a.WaitSubscribed(kWait));
  ASSERT_TRUE(b.WaitSubscribed(kWait));
  const std::string channel = "chat:test:" + TestName();
  std::string wrong_version = EncodeEvent(Numbered("OLD", 0), "elsewhere");
  wrong_version.replace(wrong_version.find("\"v\":1"), 5, "\"v\":7");
  for (const std::string& bad : {std::string("garbage"), std::string("{\"v\":1}"),
                                 std::string("\x00\xff", 2), wrong_version}) {
    Command(*endpoint, {"PUBLISH", channel, bad});
  }
  a.Publish(Numbered("AFTER", 1));
  ASSERT_TRUE(on_b.WaitFor("AFTER", 1, kWait));
  EXPECT_EQ(on_b.Count("OLD"), 0u);
  EXPECT_EQ(b.Stats().invalid, 4u);
  EXPECT_EQ(b.Stats().received, 1u);
}

TEST(RedisBus, SubscriberReconnectsAfterItsConnectionIsKilled) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisBus a(Options(*endpoint, "a"));
  RedisBus b(Options(*endpoint, "b"));
  Collector on_b;
  b.Subscribe(std::ref(on_b));
  ASSERT_TRUE(a.WaitSubscribed(kWait));
  ASSERT_TRUE(b.WaitSubscribed(kWait));
  a.Publish(Numbered("BEFORE", 0));
  ASSERT_TRUE(on_b.WaitFor("BEFORE", 1, kWait));

  ASSERT_EQ(KillClientsNamed(*endpoint, "chat-sub-" + b.node_id()), 1)
      << "B's subscriber is not in CLIENT LIST";

  // B reconnects by itself; probe until an event gets through (polling for recovery).
  bool back = false;
  for (int i = 0; i < 100 && !back; ++i) {
    a.Publish(Numbered("PROBE", i));
    back = on_b.WaitFor("PROBE", 1, 100ms);
  }
  ASSERT_TRUE(back) << "B did not resubscribe";
  for (int i = 0; i < 100; ++i) a.Publish(Numbered("SEQ", i));
  a.Publish(Numbered("END", 0));
  ASSERT_TRUE(on_b.WaitFor("END", 1, kWait));
  EXPECT_EQ(on_b.Payloads("SEQ"), Expected(0, 100));
}

TEST(RedisBus, WithoutRedisEventsAreDeliveredLocallyAndCountedAsNotShared) {
  RedisEndpoint nowhere;
  nowhere.port = ClosedPort();
  RedisBusOptions options;
  options.endpoint = nowhere;
  options.node_id = "lonely-" + TestName();
  RedisBus bus(options);
  Collector local;
  bus.Subscribe(std::ref(local));
  for (int i = 0; i < 5; ++i) bus.Publish(Numbered("SEQ", i));
  EXPECT_EQ(local.Payloads("SEQ"), Expected(0, 5));
  const auto stats = bus.Stats();
  EXPECT_EQ(stats.not_shared, 5u);
  EXPECT_EQ(stats.shared, 0u);
  EXPECT_FALSE(stats.subscribed);
  EXPECT_FALSE(bus.WaitSubscribed(50ms));
}

TEST(RedisBus, UnsubscribedHandlersAreNotCalled) {
  RedisEndpoint nowhere;
  nowhere.port = ClosedPort();
  RedisBusOptions options;
  options.endpoint = nowhere;
  options.node_id = "unsub-" + TestName();
  RedisBus bus(options);
  Collector kept, removed;
  bus.Subscribe(std::ref(kept));
  const auto id = bus.Subscribe(std::ref(removed));
  bus.Unsubscribe(id);
  bus.Publish(Numbered("SEQ", 0));
  EXPECT_EQ(kept.Count("SEQ"), 1u);
  EXPECT_EQ(removed.Count("SEQ"), 0u);
}

TEST(RedisHandoffStore, ASessionIsTakenOnceAndExpiresAfterItsTtl) {
  auto endpoint = TestRedis();
  ASSERT_TRUE(endpoint);
  RedisHandoffStore a(*endpoint, "a-" + TestName());
  RedisHandoffStore b(*endpoint, "b-" + TestName());
  const std::string key = "chat:test:" + TestName();
  const std::string value("record \0 with a NUL", 20);
  ASSERT_TRUE(a.Put({{key, value}, {key + ":2", "x"}}, 60s));
  // Redis holds it with the TTL asked for.
  auto raw = Connect(*endpoint, 1s, 1s);
  ASSERT_TRUE(raw);
  const std::string other = key + ":2";
  const char* argv[] = {"PTTL", other.c_str()};
  const size_t lens[] = {4, other.size()};
  ReplyPtr ttl(static_cast<redisReply*>(redisCommandArgv(raw->get(), 2, argv, lens)));
  ASSERT_TRUE(ttl);
  ASSERT_EQ(ttl->type, REDIS_REPLY_INTEGER);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 60'000);

  auto taken = b.Take(key);
  ASSERT_TRUE(taken);
  ASSERT_TRUE(*taken);
  EXPECT_EQ(**taken, value);
  auto again = a.Take(key);  // GETDEL: nobody gets it twice
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto rest = a.Take(other);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->value_or(""), "x");
}

TEST(RedisHandoffStore, AnUnreachableRedisIsAnErrorNotACrash) {
  RedisEndpoint nowhere;
  nowhere.port = ClosedPort();
  RedisHandoffStore store(nowhere, "nowhere", 200ms);
  EXPECT_FALSE(store.Put({{"k", "v"}}, 1s));
  EXPECT_FALSE(store.Take("k"));
}

}  // namespace
}  // namespace chat::bus::redis
