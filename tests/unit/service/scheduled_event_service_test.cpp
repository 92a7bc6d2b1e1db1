// ScheduledEventService's status automation over a real in-memory SQLite store and the in-process
// bus, on a clock the test moves: external events start and end on time, unstarted ones are
// canceled hours after their start, each move is announced once with the intent
// GUILD_SCHEDULED_EVENTS, and a sweep that finds an event past both its times makes both moves.
#include "service/scheduled_event_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <mutex>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "domain/json/time_json.hpp"
#include "owned_guild.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

using domain::Snowflake;
constexpr Snowflake kOwner = 1, kGuild = 10, kText = 11, kVoice = 12;
constexpr std::int64_t kHour = 3'600'000;

std::int64_t now_ms = 0;  // the services' clock
std::int64_t Clock() { return now_ms; }

class ScheduledEventServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ms = domain::SnowflakeGenerator::SystemClockMs();
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    domain::Channel text;
    text.id = kText;
    text.name = "general";
    domain::Channel voice;
    voice.id = kVoice;
    voice.type = domain::ChannelType::kGuildVoice;
    voice.name = "Lounge";
    ASSERT_NO_FATAL_FAILURE(test_support::SeedOwnedGuild(*store_, kOwner, kGuild, {text, voice}));
    access_ = std::make_unique<AccessService>(*store_, &Clock);
    events_ = std::make_unique<ScheduledEventService>(CommunityDeps{*store_, *access_, bus_, ids_});
    bus_.Subscribe([this](const bus::EventPtr& e) {
      std::lock_guard lock(mutex_);
      if (e->type == "GUILD_SCHEDULED_EVENT_UPDATE") updates_.push_back(e);
    });
  }

  Snowflake Make(int entity_type, std::int64_t start, std::int64_t end) {
    boost::json::object body{{"name", "Event"},
                             {"privacy_level", 2},
                             {"entity_type", entity_type},
                             {"scheduled_start_time", domain::json::IsoTimestamp(start)}};
    if (end != 0) body["scheduled_end_time"] = domain::json::IsoTimestamp(end);
    if (entity_type == 3) {
      body["entity_metadata"] = {{"location", "Park"}};
    } else {
      body["channel_id"] = std::to_string(kVoice);
    }
    auto made = events_->Create(kOwner, kGuild, body);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? made->event.id : 0;
  }

  int Advance() {
    auto n = events_->AdvanceDue();
    EXPECT_TRUE(n) << (n ? "" : n.error().message);
    return n ? *n : -1;
  }

  domain::EventStatus Status(Snowflake id) { return store_->GetScheduledEvent(id)->status; }

  // The statuses announced so far, in order.
  std::vector<int> Announced() {
    std::vector<int> out;
    for (const auto& e : updates_) {
      EXPECT_EQ(e->intent, bus::Intent::kGuildScheduledEvents);
      EXPECT_EQ(e->recipients, std::vector<Snowflake>{kOwner});
      out.push_back(
          static_cast<int>(boost::json::parse(e->payload).as_object().at("status").as_int64()));
    }
    return out;
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<ScheduledEventService> events_;
  std::mutex mutex_;
  std::vector<bus::EventPtr> updates_;
};

TEST_F(ScheduledEventServiceTest, AnExternalEventStartsAndEndsOnTime) {
  const std::int64_t t0 = now_ms;
  const auto id = Make(3, t0 + kHour, t0 + 2 * kHour);
  now_ms = t0 + kHour - 1;
  EXPECT_EQ(Advance(), 0);
  now_ms = t0 + kHour;
  EXPECT_EQ(Advance(), 1);
  EXPECT_EQ(Status(id), domain::EventStatus::kActive);
  EXPECT_EQ(Advance(), 0);  // nothing twice
  now_ms = t0 + 2 * kHour;
  EXPECT_EQ(Advance(), 1);
  EXPECT_EQ(Status(id), domain::EventStatus::kCompleted);
  EXPECT_EQ(Announced(), (std::vector<int>{2, 3}));
}

TEST_F(ScheduledEventServiceTest, ASweepLateForBothTimesMakesBothMoves) {
  const std::int64_t t0 = now_ms;
  const auto id = Make(3, t0 + kHour, t0 + 2 * kHour);
  now_ms = t0 + 5 * kHour;  // the server was down throughout
  EXPECT_EQ(Advance(), 2);
  EXPECT_EQ(Status(id), domain::EventStatus::kCompleted);
  EXPECT_EQ(Announced(), (std::vector<int>{2, 3}));
}

TEST_F(ScheduledEventServiceTest, AVoiceEventNobodyStartedIsCanceledHoursLater) {
  const std::int64_t t0 = now_ms;
  const auto id = Make(2, t0 + kHour, 0);
  now_ms = t0 + kHour + domain::kUnstartedEventGraceMs - 1;
  EXPECT_EQ(Advance(), 0);
  EXPECT_EQ(Status(id), domain::EventStatus::kScheduled);
  now_ms = t0 + kHour + domain::kUnstartedEventGraceMs;
  EXPECT_EQ(Advance(), 1);
  EXPECT_EQ(Status(id), domain::EventStatus::kCanceled);
  EXPECT_EQ(Announced(), (std::vector<int>{4}));
}

}  // namespace
}  // namespace chat::service
