// MessageLimits: slowmode turns and nonces in this node's memory, in keys two nodes share
// (fake_shared_keys.hpp), and back in memory while the shared keys fail.
#include "service/message_limits.hpp"

#include <gtest/gtest.h>

#include <string>

#include "fake_shared_keys.hpp"

namespace chat::service {
namespace {

using namespace std::chrono_literals;

std::int64_t now_ms = 0;
std::int64_t Now() { return now_ms; }

class MessageLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { now_ms = 1'700'000'000'000; }
};

TEST_F(MessageLimitsTest, ASlowmodeTurnMakesTheNextWaitForTheRestOfIt) {
  MessageLimits limits(&Now);
  EXPECT_FALSE(limits.TakeSlowmodeTurn(1, 7, 5));
  now_ms += 1'500;
  EXPECT_DOUBLE_EQ(limits.TakeSlowmodeTurn(1, 7, 5).value_or(0), 3.5);
  EXPECT_FALSE(limits.TakeSlowmodeTurn(2, 7, 5));  // another channel
  EXPECT_FALSE(limits.TakeSlowmodeTurn(1, 8, 5));  // another user
  now_ms += 3'500;
  EXPECT_FALSE(limits.TakeSlowmodeTurn(1, 7, 5));
}

TEST_F(MessageLimitsTest, NodesSharingKeysShareSlowmodeAndNonces) {
  MemoryKeys shared(&now_ms);
  MessageLimits a(&Now), b(&Now);
  a.Share(&shared);
  b.Share(&shared);
  EXPECT_FALSE(a.TakeSlowmodeTurn(1, 7, 10));
  now_ms += 4'000;
  EXPECT_DOUBLE_EQ(b.TakeSlowmodeTurn(1, 7, 10).value_or(0), 6.0);
  now_ms += 6'000;
  EXPECT_FALSE(b.TakeSlowmodeTurn(1, 7, 10));

  a.RememberNonce(7, "n-1", 111);
  b.RememberNonce(7, "n-1", 222);  // a retry that raced the first keeps the first
  EXPECT_EQ(b.RecallNonce(7, "n-1").value_or(0), 111u);
  EXPECT_FALSE(b.RecallNonce(8, "n-1"));  // nonces are per author
  now_ms += kNonceWindowMs;
  EXPECT_FALSE(a.RecallNonce(7, "n-1"));
}

TEST_F(MessageLimitsTest, SharedValuesThatAreNotOursAreNotTrusted) {
  MemoryKeys shared(&now_ms);
  MessageLimits limits(&Now);
  limits.Share(&shared);
  shared.entries["slowmode:1:7"] = {"soon", now_ms + 60'000};
  EXPECT_DOUBLE_EQ(limits.TakeSlowmodeTurn(1, 7, 5).value_or(0), 5.0);  // a whole wait
  // A deadline set under a longer slowmode is the real wait; one past the longest is not ours.
  shared.entries["slowmode:1:8"] = {std::to_string(now_ms + 60'000), now_ms + 60'000};
  EXPECT_DOUBLE_EQ(limits.TakeSlowmodeTurn(1, 8, 5).value_or(0), 60.0);
  shared.entries["slowmode:1:9"] = {std::to_string(now_ms + 86'400'000), now_ms + 60'000};
  EXPECT_DOUBLE_EQ(limits.TakeSlowmodeTurn(1, 9, 5).value_or(0), 21'600.0);
  shared.entries["nonce:7:x"] = {"not an id", now_ms + 60'000};
  EXPECT_FALSE(limits.RecallNonce(7, "x"));
}

TEST_F(MessageLimitsTest, WhileTheSharedKeysFailThisNodesMemoryEnforcesTheLimits) {
  FailingKeys down;
  MessageLimits limits(&Now);
  limits.Share(&down);
  EXPECT_FALSE(limits.TakeSlowmodeTurn(1, 7, 5));
  EXPECT_DOUBLE_EQ(limits.TakeSlowmodeTurn(1, 7, 5).value_or(0), 5.0);
  limits.RememberNonce(7, "n", 111);
  EXPECT_EQ(limits.RecallNonce(7, "n").value_or(0), 111u);
}

}  // namespace
}  // namespace chat::service
