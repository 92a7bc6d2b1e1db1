// SessionRevocations (service/session_revocations): each user's token version in memory, raised
// by this node's ends of sessions and by other nodes' through the bus, never lowered.
#include "service/session_revocations.hpp"

#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "bus/local/local_bus.hpp"

namespace chat::service {
namespace {

TEST(SessionRevocations, VersionsAreZeroUntilLoadedOrRaisedAndNeverGoDown) {
  SessionRevocations revocations;
  EXPECT_EQ(revocations.VersionOf(7), 0);
  const std::vector<std::pair<domain::Snowflake, std::int64_t>> stored{{7, 3}, {8, 1}};
  revocations.Load(stored);
  EXPECT_EQ(revocations.VersionOf(7), 3);
  EXPECT_EQ(revocations.VersionOf(8), 1);
  EXPECT_EQ(revocations.VersionOf(9), 0);
  revocations.Ended({7, 2});  // an older end arriving late
  EXPECT_EQ(revocations.VersionOf(7), 3);
  revocations.Ended({7, 4});
  EXPECT_EQ(revocations.VersionOf(7), 4);
}

TEST(SessionRevocations, AnEndIsPublishedAndOtherNodesEndsAreLearned) {
  bus::LocalBus bus;
  SessionRevocations here, there;
  here.Attach(bus);
  there.Attach(bus);
  std::vector<bus::EventPtr> seen;
  const auto id = bus.Subscribe([&](const bus::EventPtr& e) { seen.push_back(e); });
  here.Ended({42, 5});
  EXPECT_EQ(there.VersionOf(42), 5);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0]->type, kSessionsEndedEvent);
  EXPECT_EQ(seen[0]->recipients, std::vector<domain::Snowflake>{42});
  auto parsed = ParseSessionsEnded(*seen[0]);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->user_id, 42u);
  EXPECT_EQ(parsed->token_version, 5);
  bus.Unsubscribe(id);
}

TEST(SessionRevocations, MalformedOrForeignEventsAreNotEnds) {
  bus::Event e = SessionsEndedEvent({42, 5});
  e.type = "MESSAGE_CREATE";
  EXPECT_FALSE(ParseSessionsEnded(e));
  e.type = std::string(kSessionsEndedEvent);
  for (const char* payload :
       {"", "[]", R"({"user_id":42,"token_version":1})", R"({"user_id":"x","token_version":1})",
        R"({"user_id":"42","token_version":-1})", R"({"user_id":"42","token_version":"1"})",
        R"({"user_id":"42"})"}) {
    e.payload = payload;
    EXPECT_FALSE(ParseSessionsEnded(e)) << payload;
  }
}

}  // namespace
}  // namespace chat::service
