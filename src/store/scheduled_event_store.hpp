// store/scheduled_event_store.hpp — guilds' scheduled events and the users interested in each.
// Deleting a guild deletes its events; deleting a channel deletes the events held in it; an
// event's subscriptions go with it. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "domain/scheduled_event.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kUnknownScheduledEvent = 10070;
inline Error UnknownScheduledEvent() {
  return Error::NotFound("Unknown Guild Scheduled Event", kUnknownScheduledEvent);
}

class ScheduledEventStore {
 public:
  virtual ~ScheduledEventStore() = default;

  // What a write does to the event's cover image (the event's image_hash is never written
  // itself): a null pointer leaves it, nullopt removes it, a cover sets it.
  using CoverWrite = std::optional<domain::EventCover>;

  // Stores the event (with `cover`, when given) unless its guild already has `max` events
  // SCHEDULED or ACTIVE: the count and the insert are one transaction. Returns false (nothing
  // stored) at the limit. NotFound 10004 for an unknown guild, 10003 for an unknown channel.
  [[nodiscard]] virtual Result<bool> CreateScheduledEvent(const domain::ScheduledEvent& event,
                                                          std::size_t max,
                                                          const CoverWrite* cover = nullptr) = 0;
  // The event's cover image; NotFound 10070 when the event or its cover is absent.
  [[nodiscard]] virtual Result<domain::EventCover> GetScheduledEventCover(domain::Snowflake id) = 0;
  // NotFound 10070 when absent (Get, Update, Delete).
  [[nodiscard]] virtual Result<domain::ScheduledEvent> GetScheduledEvent(domain::Snowflake id) = 0;
  // Ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::ScheduledEvent>> ListScheduledEvents(
      domain::Snowflake guild_id) = 0;
  // Writes every field but the id, guild and creator (and the cover, as `cover` says), only while
  // the stored status is still `expected_status`: false (nothing written) when another writer
  // moved the event first.
  [[nodiscard]] virtual Result<bool> UpdateScheduledEvent(const domain::ScheduledEvent& event,
                                                          domain::EventStatus expected_status,
                                                          const CoverWrite* cover = nullptr) = 0;
  // Moves only the status, from `from` to `to`: false when the event is gone or no longer in
  // `from` (what the status automation uses, so that it never writes back other fields it read
  // before a moderator changed them).
  [[nodiscard]] virtual Result<bool> SetScheduledEventStatus(domain::Snowflake id,
                                                             domain::EventStatus from,
                                                             domain::EventStatus to) = 0;
  [[nodiscard]] virtual Result<void> DeleteScheduledEvent(domain::Snowflake id) = 0;
  // Events of every guild whose domain::DueStatus at `now_ms` differs from their status (those
  // the status automation moves), oldest start first, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<domain::ScheduledEvent>> ListScheduledEventsDue(
      std::int64_t now_ms, std::size_t limit) = 0;

  // Subscriptions. Add: false when the user was already subscribed; Remove: false when not.
  // NotFound 10070 for an unknown event.
  [[nodiscard]] virtual Result<bool> AddScheduledEventUser(domain::Snowflake event_id,
                                                           domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<bool> RemoveScheduledEventUser(domain::Snowflake event_id,
                                                              domain::Snowflake user_id) = 0;
  // Subscribers who are still members of the event's guild, ascending by user id: after `after`,
  // or when `before` is not 0, the last `limit` before it (still ascending).
  [[nodiscard]] virtual Result<std::vector<domain::Snowflake>> ListScheduledEventUsers(
      domain::Snowflake event_id, domain::Snowflake before, domain::Snowflake after,
      std::size_t limit) = 0;
  // How many of them there are, per event of `event_ids` (in that order).
  [[nodiscard]] virtual Result<std::vector<std::int64_t>> CountScheduledEventUsers(
      const std::vector<domain::Snowflake>& event_ids) = 0;
};

}  // namespace chat::store
