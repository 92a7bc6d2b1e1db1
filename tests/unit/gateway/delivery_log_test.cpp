#include "gateway/delivery_log.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace chat::gateway {
namespace {

bus::EventPtr From(std::string origin, std::uint64_t seq) {
  auto e = std::make_shared<bus::Event>();
  e->type = "MESSAGE_CREATE";
  e->payload = origin + std::to_string(seq);
  e->origin = std::move(origin);
  e->origin_seq = seq;
  return e;
}

std::vector<std::string> Payloads(const std::vector<bus::EventPtr>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e->payload);
  return out;
}

TEST(DeliveryLog, ClockHoldsTheLastSeqDeliveredPerOrigin) {
  DeliveryLog log(100, 1 << 20, 60'000, 0);
  log.Append(From("a", 1), 10);
  log.Append(From("b", 1), 11);
  log.Append(From("a", 2), 12);
  EXPECT_EQ(log.clock(), (OriginClock{{"a", 2}, {"b", 1}}));
}

TEST(DeliveryLog, EventsOfTheInProcessBusAreNotLogged) {
  DeliveryLog log(100, 1 << 20, 60'000, 0);
  log.Append(std::make_shared<bus::Event>(), 10);
  EXPECT_EQ(log.size(), 0u);
  EXPECT_TRUE(log.clock().empty());
}

TEST(DeliveryLog, MissedIsWhatCameAfterTheOldNodesClockInDeliveryOrder) {
  DeliveryLog log(100, 1 << 20, 60'000, 0);
  log.Append(From("a", 1), 10);
  log.Append(From("b", 1), 11);
  log.Append(From("a", 2), 12);
  log.Append(From("b", 2), 13);
  log.Append(From("a", 3), 14);
  // The old node had a up to 2 and b up to 1.
  auto missed = log.Missed({{{"a", 2}, {"b", 1}}, 12});
  ASSERT_TRUE(missed);
  EXPECT_EQ(Payloads(*missed), (std::vector<std::string>{"b2", "a3"}));
}

TEST(DeliveryLog, AnOriginTheOldNodeNeverHeardOfCountsFromTheHandOffTime) {
  DeliveryLog log(100, 1 << 20, 60'000, 0);
  log.Append(From("c", 1), 10);  // before the hand-off: the session was never meant to get it
  log.Append(From("c", 2), 25);
  auto missed = log.Missed({{{"a", 5}}, 20});
  ASSERT_TRUE(missed);
  EXPECT_EQ(Payloads(*missed), (std::vector<std::string>{"c2"}));
}

TEST(DeliveryLog, ASessionNeedingADroppedEventCannotBeCaughtUp) {
  DeliveryLog log(2, 1 << 20, 60'000, 0);
  log.Append(From("a", 1), 10);
  log.Append(From("a", 2), 11);
  log.Append(From("a", 3), 12);  // drops a1
  EXPECT_FALSE(log.Missed({{{"a", 0}}, 5}));
  auto from_one = log.Missed({{{"a", 1}}, 10});
  ASSERT_TRUE(from_one);
  EXPECT_EQ(Payloads(*from_one), (std::vector<std::string>{"a2", "a3"}));
}

TEST(DeliveryLog, TheByteBoundCountsRecipientListsToo) {
  auto big = From("a", 1);
  std::const_pointer_cast<bus::Event>(big)->recipients.assign(10'000, 1);
  DeliveryLog log(100, 50'000, 60'000, 0);
  log.Append(big, 10);
  EXPECT_EQ(log.size(), 0u);  // 80 KB of recipients alone: over the bound
  log.Append(From("a", 2), 11);
  EXPECT_EQ(log.size(), 1u);
  EXPECT_LE(log.bytes(), 50'000u);
  EXPECT_FALSE(log.Missed({{{"a", 0}}, 0}));
}

TEST(DeliveryLog, EntriesOlderThanTheAgeBoundAreDropped) {
  DeliveryLog log(100, 1 << 20, 1'000, 0);
  log.Append(From("a", 1), 10);
  log.Append(From("a", 2), 2'000);
  EXPECT_EQ(log.size(), 1u);
  EXPECT_FALSE(log.Missed({{{"a", 0}}, 0}));
  // An unknown origin's dropped entry delivered before the hand-off is not a loss.
  EXPECT_TRUE(log.Missed({{{"b", 7}}, 500}));
}

TEST(DeliveryLog, ANodeThatStartedAfterTheHandOffCannotVouchForTheGap) {
  DeliveryLog log(100, 1 << 20, 60'000, /*since_ms=*/100);
  log.Append(From("a", 9), 150);
  EXPECT_FALSE(log.Missed({{{"a", 9}}, 50}));
  EXPECT_TRUE(log.Missed({{{"a", 9}}, 120}));
}

TEST(DeliveryLog, AnOriginFirstSeenPastTheOldClockLeavesAGap) {
  DeliveryLog log(100, 1 << 20, 60'000, 0);
  log.Append(From("a", 5), 10);  // 3 and 4 never reached this node
  EXPECT_FALSE(log.Missed({{{"a", 2}}, 5}));
  auto from_four = log.Missed({{{"a", 4}}, 5});
  ASSERT_TRUE(from_four);
  EXPECT_EQ(Payloads(*from_four), (std::vector<std::string>{"a5"}));
}

TEST(DeliveryLog, AheadNamesTheOriginsTheSessionHasMoreOf) {
  DeliveryLog log(100, 1 << 20, 60'000, 0);
  log.Append(From("a", 3), 10);
  log.Append(From("b", 5), 11);
  EXPECT_EQ(log.Ahead({{"a", 4}, {"b", 5}, {"c", 1}}), (OriginClock{{"a", 4}, {"c", 1}}));
}

}  // namespace
}  // namespace chat::gateway
