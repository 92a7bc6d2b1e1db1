// LoginThrottle: failed logins counted per account and per address in a fixed window, in this
// node's memory, in counts two nodes share (fake_shared_keys.hpp), and back in memory while the
// shared keys fail.
#include "service/login_throttle.hpp"

#include <gtest/gtest.h>

#include "fake_shared_keys.hpp"

namespace chat::service {
namespace {

std::int64_t now_ms = 0;
std::int64_t Now() { return now_ms; }

LoginThrottleOptions Options() {
  LoginThrottleOptions o;
  o.max_account_failures = 3;
  o.max_address_failures = 5;
  o.window = std::chrono::seconds(60);
  return o;
}

class LoginThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override { now_ms = 5'000'000; }
};

TEST_F(LoginThrottleTest, AnAccountOverItsAllowanceWaitsForTheRestOfTheWindow) {
  LoginThrottle throttle(Options(), &Now);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.Check("alice", "10.0.0.1"));
    throttle.RecordFailure("alice", "10.0.0.1");
  }
  now_ms += 20'000;
  EXPECT_DOUBLE_EQ(throttle.Check("alice", "10.0.0.2").value_or(0), 40.0);
  EXPECT_FALSE(throttle.Check("bob", "10.0.0.2"));
  now_ms += 40'000;
  EXPECT_FALSE(throttle.Check("alice", "10.0.0.1"));
}

TEST_F(LoginThrottleTest, ASuccessForgetsTheAccountsFailuresButNotTheAddresses) {
  LoginThrottle throttle(Options(), &Now);
  throttle.RecordFailure("alice", "10.0.0.1");
  throttle.RecordFailure("alice", "10.0.0.1");
  throttle.RecordSuccess("alice");
  throttle.RecordFailure("alice", "10.0.0.1");
  throttle.RecordFailure("alice", "10.0.0.1");
  EXPECT_FALSE(throttle.Check("alice", "10.0.0.1"));
  throttle.RecordFailure("carol", "10.0.0.1");  // the address's fifth
  EXPECT_TRUE(throttle.Check("dave", "10.0.0.1"));
}

TEST_F(LoginThrottleTest, NodesSharingKeysCountTogether) {
  MemoryKeys shared(&now_ms);
  LoginThrottle a(Options(), &Now), b(Options(), &Now);
  a.Share(&shared);
  b.Share(&shared);
  a.RecordFailure("alice", "10.0.0.1");
  b.RecordFailure("alice", "10.0.0.2");
  EXPECT_FALSE(a.Check("alice", "10.0.0.3"));
  a.RecordFailure("alice", "10.0.0.3");
  EXPECT_DOUBLE_EQ(b.Check("alice", "10.0.0.4").value_or(0), 60.0);
  a.RecordSuccess("alice");  // on either node
  EXPECT_FALSE(b.Check("alice", "10.0.0.4"));
  now_ms += 60'000;
  EXPECT_EQ(shared.Count("login:address:10.0.0.1")->value, 0);  // the window ended
}

TEST_F(LoginThrottleTest, WhileTheSharedKeysFailThisNodesMemoryCounts) {
  FailingKeys down;
  LoginThrottle throttle(Options(), &Now);
  throttle.Share(&down);
  for (int i = 0; i < 3; ++i) throttle.RecordFailure("alice", "10.0.0.1");
  EXPECT_TRUE(throttle.Check("alice", "10.0.0.1"));
}

}  // namespace
}  // namespace chat::service
