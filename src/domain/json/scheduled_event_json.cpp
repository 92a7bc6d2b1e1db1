#include "domain/json/scheduled_event_json.hpp"

#include <string>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"
#include "domain/json/time_json.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

bool Present(const bj::object& o, std::string_view key) { return o.contains(key); }

// A time field: absent keeps `fallback`; null clears it (0) where `nullable`.
std::int64_t Time(FieldChecker& check, const bj::object& o, std::string_view key, bool nullable,
                  std::int64_t fallback) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  const std::string path(key);
  if (v->is_null()) {
    if (!nullable) check.Add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return 0;
  }
  std::optional<std::int64_t> ms;
  if (v->is_string()) ms = ParseIsoTimestamp(v->as_string());
  if (!ms || *ms <= 0) {
    check.Add(path, "DATE_TIME_TYPE_PARSE", "Could not parse " + path + ". Should be ISO8601.");
    return fallback;
  }
  return *ms;
}

// An enum field among [min, max]; absent keeps `fallback`.
int Enum(FieldChecker& check, const bj::object& o, std::string_view key, int min, int max,
         int fallback) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  auto n = check.Int(*v, std::string(key));
  if (!n) return fallback;
  if (*n < min || *n > max) {
    check.Add(std::string(key), "ENUM_TYPE_COERCE",
              "Value \"" + std::to_string(*n) + "\" is not a valid enum value.");
    return fallback;
  }
  return static_cast<int>(*n);
}

void RefuseUnkept(FieldChecker& check, const bj::object& body, std::string_view key) {
  const auto* v = body.if_contains(key);
  if (v && !v->is_null()) {
    check.Add(std::string(key), "UNSUPPORTED",
              "This server does not keep " + std::string(key) + ".");
  }
}

}  // namespace

Result<ScheduledEvent> ParseScheduledEvent(const bj::object& body, const ScheduledEvent* current,
                                           std::int64_t now_ms) {
  const bool create = current == nullptr;
  ScheduledEvent e = create ? ScheduledEvent{} : *current;
  FieldChecker check;

  if (create || Present(body, "name")) {
    if (auto name = check.String(body, "name", "name", 1, 100)) e.name = std::move(*name);
  }
  if (Present(body, "description")) {
    if (auto d = check.String(body, "description", "description", 0, 1000)) {
      e.description = std::move(*d);
    }
  }
  // GUILD_ONLY is the only privacy level there is.
  Enum(check, body, "privacy_level", kEventPrivacyGuildOnly, kEventPrivacyGuildOnly,
       kEventPrivacyGuildOnly);
  if (create && (!Present(body, "entity_type") || body.at("entity_type").is_null())) {
    check.Add("entity_type", "BASE_TYPE_REQUIRED", "This field is required");
  }
  const int entity =
      Enum(check, body, "entity_type", 1, 3, create ? 0 : static_cast<int>(e.entity_type));
  if (entity != 0) e.entity_type = static_cast<EventEntityType>(entity);
  const bool external = e.entity_type == EventEntityType::kExternal;

  const std::int64_t start_before = e.start_ms;
  if (create && !Present(body, "scheduled_start_time")) {
    check.Add("scheduled_start_time", "BASE_TYPE_REQUIRED", "This field is required");
  }
  e.start_ms = Time(check, body, "scheduled_start_time", false, e.start_ms);
  e.end_ms = Time(check, body, "scheduled_end_time", true, e.end_ms);
  if (e.start_ms != 0 && e.start_ms != start_before && e.start_ms <= now_ms) {
    check.Add("scheduled_start_time", "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
              "Cannot schedule event in the past.");
  }
  if (e.start_ms != 0 && e.end_ms != 0 && e.end_ms <= e.start_ms) {
    check.Add("scheduled_end_time", "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
              "Cannot schedule event to end before starting.");
  }

  // Field requirements by entity type (unknown when a create names none: nothing more to say).
  bool channel_named = true;
  if (Present(body, "channel_id")) {
    const auto& raw = body.at("channel_id");
    if (raw.is_null()) {
      e.channel_id = 0;
    } else if (auto id = IdOf(raw)) {
      e.channel_id = *id;
    } else {
      check.Add("channel_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
    }
  } else if (external && !create && current->entity_type != EventEntityType::kExternal) {
    check.Add("channel_id", "BASE_TYPE_REQUIRED", "Must be null to make the event EXTERNAL.");
    channel_named = false;
  }
  if (entity != 0 && external) {
    if (e.channel_id != 0 && channel_named) {
      check.Add("channel_id", "GUILD_SCHEDULED_EVENT_CHANNEL_NOT_NULL",
                "Must be null for an EXTERNAL event.");
    }
    bool location_read = true;
    if (const auto* meta = body.if_contains("entity_metadata"); meta && !meta->is_null()) {
      if (!meta->is_object()) {
        check.Add("entity_metadata", "MODEL_TYPE_CONVERT", "Only dictionaries may be used.");
        location_read = false;
      } else if (auto loc = check.String(meta->as_object(), "location", "entity_metadata.location",
                                         1, 100)) {
        e.location = std::move(*loc);
      } else {
        location_read = false;
      }
    } else if (meta) {
      e.location.clear();
    }
    if (e.location.empty() && location_read) {
      check.Add("entity_metadata.location", "BASE_TYPE_REQUIRED",
                "An EXTERNAL event needs a location.");
    }
    if (e.end_ms == 0) {
      check.Add("scheduled_end_time", "BASE_TYPE_REQUIRED", "An EXTERNAL event needs an end time.");
    }
  } else if (entity != 0) {
    e.location.clear();  // discarded, as Discord does for events in a channel
    if (e.channel_id == 0) {
      check.Add("channel_id", "BASE_TYPE_REQUIRED",
                "A STAGE_INSTANCE or VOICE event needs a channel.");
    }
  }

  if (!create && Present(body, "status")) {
    const auto to = static_cast<EventStatus>(
        Enum(check, body, "status", 1, 4, static_cast<int>(current->status)));
    if (to != current->status) {
      if (!IsStatusTransition(current->status, to)) {
        check.Add("status", "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                  "An event goes SCHEDULED → ACTIVE → COMPLETED, or SCHEDULED → CANCELED.");
      }
      e.status = to;
    }
  }
  RefuseUnkept(check, body, "recurrence_rule");
  if (!check.ok()) return check.Fail();
  return e;
}

bj::object ScheduledEventJson(const ScheduledEvent& e) {
  bj::object o{
      {"id", ToString(e.id)},
      {"guild_id", ToString(e.guild_id)},
      {"channel_id", e.channel_id != 0 ? bj::value(ToString(e.channel_id)) : bj::value(nullptr)},
      {"creator_id", ToString(e.creator_id)},
      {"name", e.name},
      {"description", e.description.empty() ? bj::value(nullptr) : bj::value(e.description)},
      {"scheduled_start_time", IsoTimestamp(e.start_ms)},
      {"scheduled_end_time",
       e.end_ms != 0 ? bj::value(IsoTimestamp(e.end_ms)) : bj::value(nullptr)},
      {"privacy_level", kEventPrivacyGuildOnly},
      {"status", static_cast<int>(e.status)},
      {"entity_type", static_cast<int>(e.entity_type)},
      {"entity_id", nullptr},
      {"image", e.image_hash.empty() ? bj::value(nullptr) : bj::value(e.image_hash)},
      {"recurrence_rule", nullptr},
  };
  if (e.entity_type == EventEntityType::kExternal) {
    o["entity_metadata"] = bj::object{{"location", e.location}};
  } else {
    o["entity_metadata"] = nullptr;
  }
  return o;
}

}  // namespace chat::domain::json
