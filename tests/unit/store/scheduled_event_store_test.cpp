// ScheduledEventStore behaviour against every backend: events round-trip with their nullable
// fields, the open-event cap, updates guarded by the status read, what the automation finds due,
// and subscriptions (listed for current members only, paged, counted).
#include <string>

#include "store/errors.hpp"
#include "store/scheduled_event_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

using domain::EventEntityType;
using domain::EventStatus;
using domain::ScheduledEvent;

constexpr domain::Snowflake kOwner = 1, kAlice = 2, kBob = 3, kGuild = 100, kOther = 200;
constexpr domain::Snowflake kVoice = kGuild + 3;  // MakeGuild's voice channel
constexpr std::int64_t kHour = 3'600'000, kT0 = 1'900'000'000'000;

ScheduledEvent External(domain::Snowflake id, std::int64_t start = kT0 + kHour) {
  ScheduledEvent e;
  e.id = id;
  e.guild_id = kGuild;
  e.creator_id = kOwner;
  e.name = "Meetup " + std::to_string(id);
  e.start_ms = start;
  e.end_ms = start + 2 * kHour;
  e.entity_type = EventEntityType::kExternal;
  e.location = "The Park";
  return e;
}

ScheduledEvent Voice(domain::Snowflake id, std::int64_t start = kT0 + kHour) {
  ScheduledEvent e = External(id, start);
  e.entity_type = EventEntityType::kVoice;
  e.channel_id = kVoice;
  e.end_ms = 0;
  e.location.clear();
  e.description = "Bring 🎸";
  return e;
}

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kAlice, "alice")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kBob, "bob")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kOther, kOwner, "Other")));
  for (auto user : {kAlice, kBob}) {
    domain::Member m;
    m.guild_id = kGuild;
    m.user_id = user;
    ASSERT_TRUE(store.AddMember(m));
  }
}

TEST_P(ScheduledEventStoreTest, EventsRoundTripAndAreUpdatedOverTheStatusTheyWereReadWith) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  auto made = store().CreateScheduledEvent(External(500), 100);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(*made);
  ASSERT_TRUE(store().CreateScheduledEvent(Voice(501), 100));
  auto listed = store().ListScheduledEvents(kGuild);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  const auto& ext = (*listed)[0];
  EXPECT_EQ(ext.channel_id, 0u);
  EXPECT_EQ(ext.location, "The Park");
  EXPECT_EQ(ext.end_ms, kT0 + 3 * kHour);
  EXPECT_EQ(ext.description, "");
  EXPECT_EQ(ext.status, EventStatus::kScheduled);
  const auto& voice = (*listed)[1];
  EXPECT_EQ(voice.channel_id, kVoice);
  EXPECT_EQ(voice.end_ms, 0);
  EXPECT_EQ(voice.description, "Bring 🎸");
  EXPECT_EQ(voice.entity_type, EventEntityType::kVoice);
  EXPECT_EQ(voice.creator_id, kOwner);

  ScheduledEvent changed = voice;
  changed.status = EventStatus::kActive;
  changed.name = "Jam";
  auto written = store().UpdateScheduledEvent(changed, EventStatus::kScheduled);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_TRUE(*written);
  EXPECT_EQ(store().GetScheduledEvent(501)->name, "Jam");
  // A second writer who read it SCHEDULED writes nothing.
  changed.name = "Late";
  changed.status = EventStatus::kCanceled;
  EXPECT_FALSE(*store().UpdateScheduledEvent(changed, EventStatus::kScheduled));
  EXPECT_EQ(store().GetScheduledEvent(501)->status, EventStatus::kActive);
  EXPECT_TRUE(IsError(store().UpdateScheduledEvent(External(999), EventStatus::kScheduled),
                      Errc::kNotFound, kUnknownScheduledEvent));
  // The automation's move touches the status alone, over the status it expects.
  auto moved = store().SetScheduledEventStatus(501, EventStatus::kActive, EventStatus::kCompleted);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_TRUE(*moved);
  EXPECT_FALSE(
      *store().SetScheduledEventStatus(501, EventStatus::kActive, EventStatus::kCompleted));
  EXPECT_FALSE(
      *store().SetScheduledEventStatus(999, EventStatus::kActive, EventStatus::kCompleted));
  EXPECT_EQ(store().GetScheduledEvent(501)->name, "Jam");
  EXPECT_EQ(store().GetScheduledEvent(501)->status, EventStatus::kCompleted);

  EXPECT_TRUE(IsError(store().CreateScheduledEvent(
                          [] {
                            auto e = Voice(502);
                            e.channel_id = kOther + 3;  // another guild's channel
                            return e;
                          }(),
                          100),
                      Errc::kNotFound, kUnknownChannel));
  // Deleting the channel deletes the events held in it; deleting one twice is 10070.
  ASSERT_TRUE(store().DeleteChannel(kVoice));
  EXPECT_TRUE(IsError(store().GetScheduledEvent(501), Errc::kNotFound, kUnknownScheduledEvent));
  ASSERT_TRUE(store().DeleteScheduledEvent(500));
  EXPECT_TRUE(IsError(store().DeleteScheduledEvent(500), Errc::kNotFound, kUnknownScheduledEvent));
}

TEST_P(ScheduledEventStoreTest, ACoverIsWrittenWithTheEventReadWithItReplacedAndRemoved) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateScheduledEvent(External(499), 100));
  EXPECT_TRUE(
      IsError(store().GetScheduledEventCover(499), Errc::kNotFound, kUnknownScheduledEvent));
  EXPECT_EQ(store().GetScheduledEvent(499)->image_hash, "");

  const ScheduledEventStore::CoverWrite png = domain::EventCover{"abc1", "image/png", "iVBO"};
  ASSERT_TRUE(store().CreateScheduledEvent(External(500), 100, &png));
  auto cover = store().GetScheduledEventCover(500);
  ASSERT_TRUE(cover) << cover.error().message;
  EXPECT_EQ(cover->hash, "abc1");
  EXPECT_EQ(cover->content_type, "image/png");
  EXPECT_EQ(cover->base64, "iVBO");
  EXPECT_EQ(store().GetScheduledEvent(500)->image_hash, "abc1");
  EXPECT_EQ(store().ListScheduledEvents(kGuild)->back().image_hash, "abc1");
  // Writing the event's fields without a cover leaves the cover alone.
  auto renamed = External(500);
  renamed.name = "Renamed";
  ASSERT_TRUE(*store().UpdateScheduledEvent(renamed, EventStatus::kScheduled));
  EXPECT_EQ(store().GetScheduledEvent(500)->image_hash, "abc1");
  // A cover goes with the status check: a stale write changes neither.
  const ScheduledEventStore::CoverWrite gif = domain::EventCover{"def2", "image/gif", "R0lG"};
  EXPECT_FALSE(*store().UpdateScheduledEvent(renamed, EventStatus::kActive, &gif));
  EXPECT_EQ(store().GetScheduledEventCover(500)->hash, "abc1");
  ASSERT_TRUE(*store().UpdateScheduledEvent(renamed, EventStatus::kScheduled, &gif));
  EXPECT_EQ(store().GetScheduledEventCover(500)->content_type, "image/gif");
  const ScheduledEventStore::CoverWrite none;
  ASSERT_TRUE(*store().UpdateScheduledEvent(renamed, EventStatus::kScheduled, &none));
  EXPECT_TRUE(IsError(store().GetScheduledEventCover(500), Errc::kNotFound));
  EXPECT_EQ(store().GetScheduledEvent(500)->image_hash, "");
  EXPECT_EQ(store().GetScheduledEvent(500)->name, "Renamed");
}

TEST_P(ScheduledEventStoreTest, OnlyOpenEventsCountTowardsTheCap) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(*store().CreateScheduledEvent(External(500), 2));
  ASSERT_TRUE(*store().CreateScheduledEvent(External(501), 2));
  EXPECT_FALSE(*store().CreateScheduledEvent(External(502), 2));
  auto canceled = External(500);
  canceled.status = EventStatus::kCanceled;
  ASSERT_TRUE(*store().UpdateScheduledEvent(canceled, EventStatus::kScheduled));
  EXPECT_TRUE(*store().CreateScheduledEvent(External(502), 2));
  EXPECT_TRUE(IsError(store().CreateScheduledEvent(
                          [] {
                            auto e = External(503);
                            e.guild_id = 999;
                            return e;
                          }(),
                          2),
                      Errc::kNotFound, kUnknownGuild));
}

TEST_P(ScheduledEventStoreTest, TheAutomationFindsWhatTheClockMadeDue) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateScheduledEvent(External(500, kT0), 100));  // starts at kT0
  ASSERT_TRUE(store().CreateScheduledEvent(Voice(501, kT0), 100));     // never by clock
  ASSERT_TRUE(store().CreateScheduledEvent(External(502, kT0 + kHour), 100));
  auto due = store().ListScheduledEventsDue(kT0, 10);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, 500u);
  // Three hours after its start, the unstarted voice event is due to be canceled; the external
  // one, now ACTIVE, is due to complete at its end.
  auto active = External(500, kT0);
  active.status = EventStatus::kActive;
  ASSERT_TRUE(*store().UpdateScheduledEvent(active, EventStatus::kScheduled));
  due = store().ListScheduledEventsDue(kT0 + 2 * kHour, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2u);  // 500 ended at kT0 + 2h; 502 started at kT0 + 1h
  EXPECT_EQ((*due)[0].id, 500u);
  EXPECT_EQ((*due)[1].id, 502u);
  due = store().ListScheduledEventsDue(kT0 + domain::kUnstartedEventGraceMs, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 3u);
  EXPECT_EQ((*due)[1].id, 501u);
  EXPECT_EQ(store().ListScheduledEventsDue(kT0 + domain::kUnstartedEventGraceMs, 1)->size(), 1u);
}

TEST_P(ScheduledEventStoreTest, SubscribersAreListedPagedAndCountedWhileTheyAreMembers) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateScheduledEvent(External(500), 100));
  ASSERT_TRUE(store().CreateScheduledEvent(External(501), 100));
  for (auto user : {kBob, kOwner, kAlice}) {
    auto added = store().AddScheduledEventUser(500, user);
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_TRUE(*added);
  }
  EXPECT_FALSE(*store().AddScheduledEventUser(500, kAlice));
  EXPECT_TRUE(
      IsError(store().AddScheduledEventUser(999, kAlice), Errc::kNotFound, kUnknownScheduledEvent));
  using Ids = std::vector<domain::Snowflake>;
  EXPECT_EQ(*store().ListScheduledEventUsers(500, 0, 0, 100), (Ids{kOwner, kAlice, kBob}));
  EXPECT_EQ(*store().ListScheduledEventUsers(500, 0, kOwner, 1), (Ids{kAlice}));
  EXPECT_EQ(*store().ListScheduledEventUsers(500, kBob, 0, 100), (Ids{kOwner, kAlice}));
  EXPECT_EQ(*store().ListScheduledEventUsers(500, kBob, 0, 1), (Ids{kAlice}));
  EXPECT_EQ(*store().CountScheduledEventUsers({501, 500}), (std::vector<std::int64_t>{0, 3}));

  ASSERT_TRUE(store().RemoveMember(kGuild, kBob));
  EXPECT_EQ(*store().ListScheduledEventUsers(500, 0, 0, 100), (Ids{kOwner, kAlice}));
  EXPECT_EQ(*store().CountScheduledEventUsers({500}), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(*store().RemoveScheduledEventUser(500, kAlice));
  EXPECT_FALSE(*store().RemoveScheduledEventUser(500, kAlice));
  ASSERT_TRUE(store().DeleteScheduledEvent(500));
  EXPECT_TRUE(IsError(store().RemoveScheduledEventUser(500, kOwner), Errc::kNotFound,
                      kUnknownScheduledEvent));
}

}  // namespace
}  // namespace chat::store::testing
