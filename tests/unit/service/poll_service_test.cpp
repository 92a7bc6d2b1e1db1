// MessageService's poll clock over a real in-memory SQLite store and the in-process bus, on a
// clock the test moves: a poll takes votes until its expiry, then refuses them; the sweep ends it
// once (a second node's sweep finds nothing), announcing the counted poll and its POLL_RESULT
// message; the outbox sweep announces a poll whose node stopped first.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <mutex>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "owned_guild.hpp"
#include "service/message_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

using domain::Snowflake;
constexpr Snowflake kOwner = 1, kGuild = 10, kText = 11;
constexpr std::int64_t kMinute = 60'000;

std::int64_t now_ms = 0;  // the services' clock
std::int64_t Clock() { return now_ms; }

class PollClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ms = domain::SnowflakeGenerator::SystemClockMs();
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    domain::Channel text;
    text.id = kText;
    text.name = "general";
    ASSERT_NO_FATAL_FAILURE(test_support::SeedOwnedGuild(*store_, kOwner, kGuild, {text}));
    access_ = std::make_unique<AccessService>(*store_, &Clock);
    messages_ = std::make_unique<MessageService>(*store_, *access_, bus_, ids_, &Clock);
    bus_.Subscribe([this](const bus::EventPtr& e) {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    });
  }

  Snowflake SendPoll(int hours) {
    MessageInput input;
    auto poll = domain::json::ParsePollCreate(boost::json::parse(
        R"({"question":{"text":"Lunch?"},"answers":[{"poll_media":{"text":"Pizza"}},)"
        R"({"poll_media":{"text":"Sushi"}}],"duration":)" +
        std::to_string(hours) + "}"));
    EXPECT_TRUE(poll);
    input.poll = std::move(*poll);
    auto sent = messages_->Create(kOwner, kText, input);
    EXPECT_TRUE(sent) << (sent ? "" : sent.error().message);
    return sent ? sent->data.message.id : 0;
  }

  int Sweep(MessageService& messages) {
    auto n = messages.EndDuePolls();
    EXPECT_TRUE(n) << (n ? "" : n.error().message);
    return n ? *n : -1;
  }

  std::vector<std::string> Types() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& e : events_) out.push_back(e->type);
    return out;
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<MessageService> messages_;
  std::mutex mutex_;
  std::vector<bus::EventPtr> events_;
};

TEST_F(PollClockTest, APollTakesVotesUntilItsExpiryAndIsEndedOnceBySweep) {
  const Snowflake poll = SendPoll(1);
  ASSERT_NE(poll, 0u);
  ASSERT_TRUE(messages_->Vote(kOwner, kText, poll, {2}));
  now_ms += 59 * kMinute;
  EXPECT_EQ(Sweep(*messages_), 0);
  ASSERT_TRUE(messages_->Vote(kOwner, kText, poll, {1}));

  now_ms += 1 * kMinute;  // the expiry: voting has ended even before a sweep counts it
  auto late = messages_->Vote(kOwner, kText, poll, {2});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().api_code, 520001);

  events_.clear();
  EXPECT_EQ(Sweep(*messages_), 1);
  EXPECT_EQ(Types(), (std::vector<std::string>{"MESSAGE_UPDATE", "MESSAGE_CREATE"}));
  const auto update = boost::json::parse(events_[0]->payload);
  EXPECT_EQ(update.at("poll").at("results"),
            boost::json::parse(R"({"is_finalized":true,"answer_counts":)"
                               R"([{"id":1,"count":1,"me_voted":false}]})"));
  const auto result = boost::json::parse(events_[1]->payload);
  EXPECT_EQ(result.at("type"), 46);
  EXPECT_EQ(result.at("message_reference").at("message_id"),
            boost::json::value(std::to_string(poll)));
  EXPECT_EQ(result.at("embeds").at(0).at("fields").at(4).at("value"), "Pizza");

  // Later sweeps, on this node or another sharing the store, find nothing more to end.
  MessageService other(*store_, *access_, bus_, ids_, &Clock);
  EXPECT_EQ(Sweep(*messages_), 0);
  EXPECT_EQ(Sweep(other), 0);
  EXPECT_EQ(Types().size(), 2u);
  auto ended = messages_->EndPoll(kOwner, kText, poll);
  ASSERT_FALSE(ended);
  EXPECT_EQ(ended.error().api_code, 520001);
}

TEST_F(PollClockTest, EachSweepEndsOnlyThePollsDue) {
  const Snowflake short_poll = SendPoll(1);
  const Snowflake long_poll = SendPoll(3);
  now_ms += 2 * 60 * kMinute;
  EXPECT_EQ(Sweep(*messages_), 1);
  auto open = messages_->Get(kOwner, kText, long_poll);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->json.at("poll").at("results").at("is_finalized"), false);
  auto closed = messages_->Get(kOwner, kText, short_poll);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->json.at("poll").at("results").at("is_finalized"), true);
  now_ms += 60 * kMinute;
  EXPECT_EQ(Sweep(*messages_), 1);
}

// The node that ended a poll stopped before announcing it: the outbox sweep announces it once its
// lease is over, once, on whichever node comes first; a poll ended and announced in one go leaves
// no task behind.
TEST_F(PollClockTest, APollEndedByANodeThatStoppedIsAnnouncedOnceByTheTaskSweep) {
  const Snowflake poll = SendPoll(1);
  ASSERT_TRUE(messages_->Vote(kOwner, kText, poll, {2}));
  auto committed = store_->FinalizePoll(poll, now_ms, now_ms + kMinute);
  ASSERT_TRUE(committed && *committed);

  events_.clear();
  now_ms += kMinute - 1;
  auto ran = messages_->RunDueTasks();
  ASSERT_TRUE(ran);
  EXPECT_EQ(*ran, 0);  // still the stopped node's
  now_ms += 1;
  MessageService other(*store_, *access_, bus_, ids_, &Clock);
  ran = other.RunDueTasks();
  ASSERT_TRUE(ran);
  EXPECT_EQ(*ran, 1);
  EXPECT_EQ(Types(), (std::vector<std::string>{"MESSAGE_UPDATE", "MESSAGE_CREATE"}));
  const auto result = boost::json::parse(events_[1]->payload);
  EXPECT_EQ(result.at("type"), 46);
  EXPECT_EQ(result.at("embeds").at(0).at("fields").at(4).at("value"), "Sushi");
  for (MessageService* node : {messages_.get(), &other}) {
    now_ms += 2 * kMinute;
    ran = node->RunDueTasks();
    ASSERT_TRUE(ran);
    EXPECT_EQ(*ran, 0);
  }
  EXPECT_EQ(Types().size(), 2u);

  const Snowflake swept = SendPoll(1);
  now_ms += 60 * kMinute;
  events_.clear();
  EXPECT_EQ(Sweep(*messages_), 1);
  EXPECT_EQ(Types().size(), 2u);
  now_ms += 2 * kMinute;
  ran = messages_->RunDueTasks();
  ASSERT_TRUE(ran);
  EXPECT_EQ(*ran, 0);
  EXPECT_EQ(Types().size(), 2u);
  auto closed = messages_->Get(kOwner, kText, swept);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->json.at("poll").at("results").at("is_finalized"), true);
}

}  // namespace
}  // namespace chat::service
