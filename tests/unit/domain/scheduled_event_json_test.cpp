// Scheduled events as Discord validates them (domain/json/scheduled_event_json) and the status
// automation's rule (domain::DueStatus).
#include "domain/json/scheduled_event_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "domain/json/time_json.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

constexpr std::int64_t kNow = 1'900'000'000'000, kHour = 3'600'000;

bj::object Body(const std::string& text) { return bj::parse(text).as_object(); }

std::string Iso(std::int64_t ms) { return IsoTimestamp(ms); }

bj::object External() {
  return bj::object{{"name", "Meetup"},
                    {"privacy_level", 2},
                    {"entity_type", 3},
                    {"scheduled_start_time", Iso(kNow + kHour)},
                    {"scheduled_end_time", Iso(kNow + 2 * kHour)},
                    {"entity_metadata", {{"location", "The Park"}}}};
}

// The fields a 50035 names.
std::vector<std::string> Fields(const Result<ScheduledEvent>& r) {
  std::vector<std::string> out;
  if (r) return out;
  for (const auto& f : r.error().fields) out.push_back(f.field);
  return out;
}

TEST(ScheduledEventJson, AnExternalEventIsReadAndWrittenAsDiscordHasIt) {
  auto e = ParseScheduledEvent(External(), nullptr, kNow);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->entity_type, EventEntityType::kExternal);
  EXPECT_EQ(e->start_ms, kNow + kHour);
  EXPECT_EQ(e->location, "The Park");
  EXPECT_EQ(e->status, EventStatus::kScheduled);
  e->id = 5;
  e->guild_id = 6;
  e->creator_id = 7;
  const auto o = ScheduledEventJson(*e);
  EXPECT_EQ(o.at("channel_id"), nullptr);
  EXPECT_EQ(o.at("description"), nullptr);
  EXPECT_EQ(o.at("creator_id"), "7");
  EXPECT_EQ(o.at("privacy_level"), 2);
  EXPECT_EQ(bj::serialize(o.at("entity_metadata")), R"({"location":"The Park"})");
  EXPECT_EQ(o.at("scheduled_end_time"), Iso(kNow + 2 * kHour).c_str());
}

TEST(ScheduledEventJson, EveryProblemIsNamed) {
  auto body = External();
  body["entity_metadata"] = nullptr;
  body["scheduled_end_time"] = nullptr;
  body["name"] = "";
  body["recurrence_rule"] = bj::object{{"frequency", 0}};
  EXPECT_EQ(Fields(ParseScheduledEvent(body, nullptr, kNow)),
            (std::vector<std::string>{"name", "entity_metadata.location", "scheduled_end_time",
                                      "recurrence_rule"}));
  body = External();
  body["scheduled_start_time"] = Iso(kNow - 1);
  body["scheduled_end_time"] = Iso(kNow - 2);
  EXPECT_EQ(Fields(ParseScheduledEvent(body, nullptr, kNow)),
            (std::vector<std::string>{"scheduled_start_time", "scheduled_end_time"}));
  body = External();
  body["channel_id"] = "42";
  EXPECT_EQ(Fields(ParseScheduledEvent(body, nullptr, kNow)),
            (std::vector<std::string>{"channel_id"}));
  EXPECT_EQ(Fields(ParseScheduledEvent(Body(R"({"name":"x"})"), nullptr, kNow)),
            (std::vector<std::string>{"entity_type", "scheduled_start_time"}));
  body = External();
  body["entity_type"] = nullptr;  // no type is not EXTERNAL by default
  EXPECT_EQ(Fields(ParseScheduledEvent(body, nullptr, kNow)),
            (std::vector<std::string>{"entity_type"}));
}

TEST(ScheduledEventJson, AVoiceEventNeedsAChannelAndDropsItsMetadata) {
  auto body = Body(R"({"name":"Jam","privacy_level":2,"entity_type":2,)"
                   R"("entity_metadata":{"location":"x"}})");
  body["scheduled_start_time"] = Iso(kNow + kHour);
  EXPECT_EQ(Fields(ParseScheduledEvent(body, nullptr, kNow)),
            (std::vector<std::string>{"channel_id"}));
  body["channel_id"] = 42;  // discord.py sends ids as integers
  auto e = ParseScheduledEvent(body, nullptr, kNow);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->channel_id, 42u);
  EXPECT_EQ(e->location, "");
  EXPECT_EQ(e->end_ms, 0);
}

TEST(ScheduledEventJson, APatchKeepsWhatItDoesNotNameAndMovesStatusForwardOnly) {
  auto current = ParseScheduledEvent(External(), nullptr, kNow);
  ASSERT_TRUE(current);
  auto renamed = ParseScheduledEvent(Body(R"({"name":"Later"})"), &*current, kNow + 2 * kHour);
  ASSERT_TRUE(renamed) << renamed.error().message;  // its start, now past, was not moved
  EXPECT_EQ(renamed->name, "Later");
  EXPECT_EQ(renamed->location, "The Park");
  EXPECT_EQ(Fields(ParseScheduledEvent(Body(R"({"status":3})"), &*current, kNow)),
            (std::vector<std::string>{"status"}));
  auto active = ParseScheduledEvent(Body(R"({"status":2})"), &*current, kNow);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->status, EventStatus::kActive);
  EXPECT_EQ(Fields(ParseScheduledEvent(Body(R"({"status":1})"), &*active, kNow)),
            (std::vector<std::string>{"status"}));
  // Leaving EXTERNAL needs a channel; coming back needs channel_id: null said out loud.
  EXPECT_EQ(Fields(ParseScheduledEvent(Body(R"({"entity_type":2})"), &*current, kNow)),
            (std::vector<std::string>{"channel_id"}));
  auto voice = ParseScheduledEvent(Body(R"({"entity_type":2,"channel_id":"9"})"), &*current, kNow);
  ASSERT_TRUE(voice) << voice.error().message;
  EXPECT_EQ(voice->location, "");
  EXPECT_EQ(Fields(ParseScheduledEvent(
                Body(R"({"entity_type":3,"entity_metadata":{"location":"Pub"}})"), &*voice, kNow)),
            (std::vector<std::string>{"channel_id"}));
  auto back = ParseScheduledEvent(
      Body(R"({"entity_type":3,"channel_id":null,"entity_metadata":{"location":"Pub"}})"), &*voice,
      kNow);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->channel_id, 0u);
  EXPECT_EQ(back->location, "Pub");
}

TEST(ScheduledEventStatus, TheClockStartsEndsAndCancels) {
  ScheduledEvent e;
  e.entity_type = EventEntityType::kExternal;
  e.start_ms = kNow;
  e.end_ms = kNow + kHour;
  EXPECT_EQ(DueStatus(e, kNow - 1), EventStatus::kScheduled);
  EXPECT_EQ(DueStatus(e, kNow), EventStatus::kActive);
  e.status = EventStatus::kActive;
  EXPECT_EQ(DueStatus(e, kNow + kHour - 1), EventStatus::kActive);
  EXPECT_EQ(DueStatus(e, kNow + kHour), EventStatus::kCompleted);
  e.entity_type = EventEntityType::kVoice;  // a channel's event is started and ended by people
  EXPECT_EQ(DueStatus(e, kNow + 10 * kHour), EventStatus::kActive);
  e.status = EventStatus::kScheduled;
  EXPECT_EQ(DueStatus(e, kNow + kUnstartedEventGraceMs - 1), EventStatus::kScheduled);
  EXPECT_EQ(DueStatus(e, kNow + kUnstartedEventGraceMs), EventStatus::kCanceled);
  e.status = EventStatus::kCanceled;
  EXPECT_EQ(DueStatus(e, kNow + 10 * kHour), EventStatus::kCanceled);
  EXPECT_TRUE(IsStatusTransition(EventStatus::kScheduled, EventStatus::kCanceled));
  EXPECT_FALSE(IsStatusTransition(EventStatus::kActive, EventStatus::kCanceled));
  EXPECT_FALSE(IsStatusTransition(EventStatus::kCompleted, EventStatus::kActive));
}

}  // namespace
}  // namespace chat::domain::json
