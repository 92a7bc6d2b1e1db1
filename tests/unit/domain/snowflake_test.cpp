#include "domain/snowflake.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace chat::domain {
namespace {

std::int64_t g_fake_now = 0;
std::int64_t FakeClock() { return g_fake_now; }

TEST(Snowflake, LayoutMatchesDiscord) {
  // Discord's documented example: 175928847299117063 → 2016-04-30T11:18:25.796Z,
  // worker 1, process 0, increment 7.
  auto parts = Decompose(175928847299117063ULL);
  EXPECT_EQ(parts.unix_ms, 1462015105796);
  EXPECT_EQ(parts.worker, 1u);
  EXPECT_EQ(parts.process, 0u);
  EXPECT_EQ(parts.increment, 7u);
}

TEST(Snowflake, GeneratorEncodesTimeWorkerAndProcess) {
  g_fake_now = 1700000000000;
  SnowflakeGenerator gen(3, 5, &FakeClock);
  auto parts = Decompose(gen.Next());
  EXPECT_EQ(parts.unix_ms, 1700000000000);
  EXPECT_EQ(parts.worker, 3u);
  EXPECT_EQ(parts.process, 5u);
}

TEST(Snowflake, StrictlyIncreasingWhenClockStepsBack) {
  g_fake_now = 1700000000000;
  SnowflakeGenerator gen(1, 1, &FakeClock);
  Snowflake a = gen.Next();
  g_fake_now -= 5000;  // NTP step backwards
  Snowflake b = gen.Next();
  Snowflake c = gen.Next();
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(Snowflake, IncrementOverflowMovesToNextMillisecond) {
  g_fake_now = 1700000000000;
  SnowflakeGenerator gen(0, 0, &FakeClock);
  Snowflake prev = gen.Next();
  for (int i = 0; i < 5000; ++i) {
    Snowflake next = gen.Next();
    ASSERT_LT(prev, next);
    prev = next;
  }
  EXPECT_EQ(SnowflakeUnixMs(prev), 1700000000001);
}

TEST(Snowflake, UniqueAndIncreasingAcrossThreads) {
  SnowflakeGenerator gen(2, 0);
  constexpr int kThreads = 4, kPerThread = 20000;
  std::vector<std::vector<Snowflake>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(gen.Next());
    });
  }
  for (auto& th : threads) th.join();
  std::set<Snowflake> all;
  for (const auto& v : ids) {
    for (std::size_t i = 1; i < v.size(); ++i) ASSERT_LT(v[i - 1], v[i]);
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(Snowflake, ParseAcceptsDigitsOnly) {
  EXPECT_EQ(ParseSnowflake("175928847299117063"), 175928847299117063ULL);
  EXPECT_FALSE(ParseSnowflake(""));
  EXPECT_FALSE(ParseSnowflake("zz"));
  EXPECT_FALSE(ParseSnowflake("-1"));
  EXPECT_FALSE(ParseSnowflake("12a"));
  EXPECT_FALSE(ParseSnowflake("99999999999999999999"));
  EXPECT_FALSE(ParseSnowflake("9223372036854775808"));  // 2^63 does not fit BIGINT
}

TEST(Snowflake, SyntheticIdFromTimeRoundTrips) {
  EXPECT_EQ(SnowflakeUnixMs(SnowflakeFromUnixMs(1700000000123)), 1700000000123);
}

}  // namespace
}  // namespace chat::domain
