// domain/scheduled_event.hpp — a guild's scheduled event (Discord's guild scheduled event): a
// time, a place (a voice or stage channel, or somewhere outside the guild) and the members who
// said they are interested. Its status only moves forward: SCHEDULED → ACTIVE → COMPLETED, or
// SCHEDULED → CANCELED.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/image.hpp"
#include "domain/snowflake.hpp"

namespace chat::domain {

enum class EventStatus : int { kScheduled = 1, kActive = 2, kCompleted = 3, kCanceled = 4 };
enum class EventEntityType : int { kStageInstance = 1, kVoice = 2, kExternal = 3 };
inline constexpr int kEventPrivacyGuildOnly = 2;  // the only privacy level Discord has

// Discord: at most 100 events SCHEDULED or ACTIVE per guild.
inline constexpr std::size_t kMaxOpenScheduledEvents = 100;
// A SCHEDULED event nobody started is canceled this long after its start time ("a few hours").
inline constexpr std::int64_t kUnstartedEventGraceMs = 3 * 60 * 60 * 1000;

struct ScheduledEvent {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  Snowflake channel_id = 0;  // 0 for EXTERNAL events
  Snowflake creator_id = 0;
  std::string name;         // 1–100 characters
  std::string description;  // empty: none (null)
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;  // 0: none (null); required for EXTERNAL
  EventStatus status = EventStatus::kScheduled;
  EventEntityType entity_type = EventEntityType::kExternal;
  std::string location;  // EXTERNAL only, 1–100 characters
  // The cover image's hash (Discord's `image`); empty: none. Read with the event; written with
  // its image (ScheduledEventStore::SetScheduledEventCover).
  std::string image_hash;
};

// A cover image is at most this large (a JSON body carries it as base64).
inline constexpr std::size_t kMaxEventCoverBytes = 512 * 1024;

using EventCover = StoredImage;

constexpr bool IsOpen(EventStatus s) {
  return s == EventStatus::kScheduled || s == EventStatus::kActive;
}

// Discord's valid transitions; staying in the same status is not a transition.
constexpr bool IsStatusTransition(EventStatus from, EventStatus to) {
  return (from == EventStatus::kScheduled &&
          (to == EventStatus::kActive || to == EventStatus::kCanceled)) ||
         (from == EventStatus::kActive && to == EventStatus::kCompleted);
}

// What the clock alone does to an event at `now_ms` (Discord's status automation): an EXTERNAL
// event starts at its start time and completes at its end time; an event still SCHEDULED
// kUnstartedEventGraceMs after its start is canceled. One valid transition at a time: an external
// event past both its times becomes ACTIVE, and COMPLETED when asked again. Returns the status
// unchanged when nothing is due.
constexpr EventStatus DueStatus(const ScheduledEvent& e, std::int64_t now_ms) {
  const bool external = e.entity_type == EventEntityType::kExternal;
  if (e.status == EventStatus::kActive) {
    return external && e.end_ms != 0 && e.end_ms <= now_ms ? EventStatus::kCompleted : e.status;
  }
  if (e.status != EventStatus::kScheduled) return e.status;
  if (external && e.start_ms <= now_ms) return EventStatus::kActive;
  if (e.start_ms + kUnstartedEventGraceMs <= now_ms) return EventStatus::kCanceled;
  return e.status;
}

}  // namespace chat::domain
