// domain/json/scheduled_event_json.hpp — a guild scheduled event on the wire (Discord v10): read
// from a create or PATCH body and validated as Discord does (field requirements by entity type,
// status transitions, times), and written back as Discord's object.
#pragma once

#include <cstdint>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domain/scheduled_event.hpp"

namespace chat::domain::json {

// The event as it would be after the request: a create when `current` is null (id, guild and
// creator are left to the caller), a PATCH of `current` otherwise, where absent keys keep their
// value. Every problem is named in one 50035. A start time (on create, or when a PATCH moves it)
// must be after `now_ms`; an end time after the start. `entity_metadata` is kept only for
// EXTERNAL events (Discord discards it for the others); recurrence rules are refused, as this
// server does not keep them. `image` is the caller's (a cover image's bytes are checked by the
// service, service/image_data).
Result<ScheduledEvent> ParseScheduledEvent(const boost::json::object& body,
                                           const ScheduledEvent* current, std::int64_t now_ms);

// Discord's guild scheduled event object, without `creator` and `user_count` (the caller adds
// them when it has them).
boost::json::object ScheduledEventJson(const ScheduledEvent& event);

}  // namespace chat::domain::json
