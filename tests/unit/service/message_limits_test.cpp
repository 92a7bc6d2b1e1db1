// MessageLimits: slowmode turns and nonces in this node's memory, in keys two nodes share
// (fake_shared_keys.hpp), and back in memory while the shared keys fail.
#include "service/message_limits.hpp"

#include <gtest/gtest.h>

#include <string>

#include "fake_shared_keys.hpp"

namespace chat::service {
namespace {

using namespace std::chrono_literals;
using State = MessageLimits::NonceClaim::State;

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
  EXPECT_EQ(b.ClaimNonce(7, "n-1", 333).state, State::kSent);
  EXPECT_EQ(b.ClaimNonce(7, "n-1", 333).message_id, 111u);
  EXPECT_EQ(b.ClaimNonce(8, "n-1", 444).state, State::kClaimed);  // nonces are per author
  now_ms += kNonceWindowMs;
  EXPECT_EQ(a.ClaimNonce(7, "n-1", 555).state, State::kClaimed);
}

// What a request sending with enforce_nonce meets on node `a` while a retry runs on node `b` (the
// same node when they are one).
void ExpectClaimsHoldOffRetries(MessageLimits& a, MessageLimits& b) {
  ASSERT_EQ(a.ClaimNonce(7, "n", 111).state, State::kClaimed);
  auto retry = b.ClaimNonce(7, "n", 222);
  EXPECT_EQ(retry.state, State::kPending);
  EXPECT_EQ(retry.message_id, 111u);
  a.NonceSent(7, "n", 111);
  retry = b.ClaimNonce(7, "n", 222);
  EXPECT_EQ(retry.state, State::kSent);
  EXPECT_EQ(retry.message_id, 111u);

  // A claim given up (its message failed) lets the retry send.
  ASSERT_EQ(a.ClaimNonce(7, "m", 333).state, State::kClaimed);
  a.ReleaseNonce(7, "m", 333);
  EXPECT_EQ(b.ClaimNonce(7, "m", 444).state, State::kClaimed);

  // Only a claim's own request turns it into a record or gives it up: one that outlived
  // kNonceClaimMs and was claimed again belongs to the retry.
  ASSERT_EQ(a.ClaimNonce(7, "s", 888).state, State::kClaimed);
  now_ms += kNonceClaimMs;
  ASSERT_EQ(b.ClaimNonce(7, "s", 999).state, State::kClaimed);
  a.ReleaseNonce(7, "s", 888);
  a.NonceSent(7, "s", 888);
  EXPECT_EQ(b.ClaimNonce(7, "s", 1).state, State::kPending);
  EXPECT_EQ(b.ClaimNonce(7, "s", 1).message_id, 999u);
  b.NonceSent(7, "s", 999);
  EXPECT_EQ(a.ClaimNonce(7, "s", 1).state, State::kSent);

  // A claim whose request never finished (its node died) ends on its own, long before the window.
  ASSERT_EQ(a.ClaimNonce(7, "d", 555).state, State::kClaimed);
  now_ms += kNonceClaimMs;
  EXPECT_EQ(b.ClaimNonce(7, "d", 666).state, State::kClaimed);
  // A sent nonce is kept for the whole window.
  EXPECT_EQ(b.ClaimNonce(7, "n", 777).state, State::kSent);
}

TEST_F(MessageLimitsTest, AClaimedNonceHoldsOffARetryUntilItsMessageIsSent) {
  MessageLimits limits(&Now);
  ExpectClaimsHoldOffRetries(limits, limits);
}

TEST_F(MessageLimitsTest, AClaimedNonceHoldsOffARetryOnAnotherNode) {
  MemoryKeys shared(&now_ms);
  MessageLimits a(&Now), b(&Now);
  a.Share(&shared);
  b.Share(&shared);
  ExpectClaimsHoldOffRetries(a, b);
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
  auto claim = limits.ClaimNonce(7, "x", 111);
  EXPECT_EQ(claim.state, State::kSent);  // taken, with no message to wait for or return
  EXPECT_EQ(claim.message_id, 0u);
}

TEST_F(MessageLimitsTest, WhileTheSharedKeysFailThisNodesMemoryEnforcesTheLimits) {
  FailingKeys down;
  MessageLimits limits(&Now);
  limits.Share(&down);
  EXPECT_FALSE(limits.TakeSlowmodeTurn(1, 7, 5));
  EXPECT_DOUBLE_EQ(limits.TakeSlowmodeTurn(1, 7, 5).value_or(0), 5.0);
  limits.RememberNonce(7, "n", 111);
  EXPECT_EQ(limits.ClaimNonce(7, "n", 222).message_id, 111u);
}

}  // namespace
}  // namespace chat::service
