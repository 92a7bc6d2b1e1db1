// RateLimits: a token's global allowance per second and its allowance per route bucket per
// window, in this node's memory, in counts two nodes share (fake_shared_keys.hpp), and back in
// memory while the shared keys fail.
#include "service/rate_limits.hpp"

#include <gtest/gtest.h>

#include "fake_shared_keys.hpp"

namespace chat::service {
namespace {

std::int64_t now_ms = 0;
std::int64_t Now() { return now_ms; }

RateLimitOptions Options(int global, int route) {
  RateLimitOptions o;
  o.global_per_second = global;
  o.route_per_window = route;
  o.route_window = std::chrono::seconds(5);
  return o;
}

class RateLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { now_ms = 7'000'000; }
};

TEST_F(RateLimitsTest, ABucketCountsDownThenRefusesUntilItsWindowEnds) {
  RateLimits limits(Options(0, 2), &Now);
  auto v = limits.Take("t1", "post:chan1");
  EXPECT_TRUE(v.allowed);
  EXPECT_TRUE(v.has_route);
  EXPECT_EQ(v.limit, 2);
  EXPECT_EQ(v.remaining, 1);
  EXPECT_EQ(v.reset_after_ms, 5'000);
  now_ms += 1'000;
  v = limits.Take("t1", "post:chan1");
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.remaining, 0);
  EXPECT_EQ(v.reset_after_ms, 4'000);  // the window started with the first request
  now_ms += 500;
  v = limits.Take("t1", "post:chan1");
  EXPECT_FALSE(v.allowed);
  EXPECT_FALSE(v.global);
  EXPECT_EQ(v.retry_after_ms, 3'500);
  // Other buckets and other tokens are untouched.
  EXPECT_TRUE(limits.Take("t1", "post:chan2").allowed);
  EXPECT_TRUE(limits.Take("t2", "post:chan1").allowed);
  now_ms += 3'500;
  v = limits.Take("t1", "post:chan1");
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.remaining, 1);
}

TEST_F(RateLimitsTest, TheGlobalAllowanceSpansBucketsForOneSecond) {
  RateLimits limits(Options(3, 0), &Now);
  EXPECT_TRUE(limits.Take("t1", "a").allowed);
  EXPECT_TRUE(limits.Take("t1", "b").allowed);
  now_ms += 400;
  const auto third = limits.Take("t1", "c");
  EXPECT_TRUE(third.allowed);
  EXPECT_FALSE(third.has_route);
  const auto fourth = limits.Take("t1", "d");
  EXPECT_FALSE(fourth.allowed);
  EXPECT_TRUE(fourth.global);
  EXPECT_EQ(fourth.retry_after_ms, 600);
  EXPECT_TRUE(limits.Take("t2", "a").allowed);
  now_ms += 600;
  EXPECT_TRUE(limits.Take("t1", "a").allowed);
}

TEST_F(RateLimitsTest, NodesSharingKeysCountTogether) {
  MemoryKeys shared(&now_ms);
  RateLimits a(Options(0, 3), &Now), b(Options(0, 3), &Now);
  a.Share(&shared);
  b.Share(&shared);
  EXPECT_EQ(a.Take("t1", "post:chan1").remaining, 2);
  EXPECT_EQ(b.Take("t1", "post:chan1").remaining, 1);
  EXPECT_EQ(a.Take("t1", "post:chan1").remaining, 0);
  EXPECT_FALSE(b.Take("t1", "post:chan1").allowed);
  now_ms += 5'000;
  EXPECT_TRUE(b.Take("t1", "post:chan1").allowed);
}

TEST_F(RateLimitsTest, WhileTheSharedKeysFailThisNodesMemoryCounts) {
  FailingKeys down;
  RateLimits limits(Options(0, 1), &Now);
  limits.Share(&down);
  EXPECT_TRUE(limits.Take("t1", "post:chan1").allowed);
  EXPECT_FALSE(limits.Take("t1", "post:chan1").allowed);
}

}  // namespace
}  // namespace chat::service
