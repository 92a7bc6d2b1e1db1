// domain/json/time_json.hpp — Discord's ISO 8601 timestamps ("2026-11-26T12:00:00.000000+00:00")
// from Unix milliseconds, as used by joined_at, timestamp, edited_timestamp and friends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::domain::json {

// Always UTC, microsecond precision as Discord prints it.
std::string IsoTimestamp(std::int64_t unix_ms);

// Parses what clients send back ("2026-11-26T12:00:00Z", "...T12:00:00.123+02:00"): date,
// 'T' or ' ', time, optional fraction, and 'Z' or a ±HH:MM offset. Nothing for anything else.
std::optional<std::int64_t> ParseIsoTimestamp(std::string_view text);

}  // namespace chat::domain::json
