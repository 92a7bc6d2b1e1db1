#include "domain/snowflake.hpp"

#include <charconv>
#include <limits>
#include <stdexcept>

namespace chat::domain {
namespace {
constexpr unsigned kTimestampShift = 22;
constexpr std::uint64_t kIncrementMask = 0xFFF;
}  // namespace

SnowflakeParts Decompose(Snowflake id) {
  return SnowflakeParts{SnowflakeUnixMs(id), static_cast<unsigned>((id >> 17) & 0x1F),
                        static_cast<unsigned>((id >> 12) & 0x1F),
                        static_cast<unsigned>(id & kIncrementMask)};
}

std::int64_t SnowflakeUnixMs(Snowflake id) {
  return static_cast<std::int64_t>(id >> kTimestampShift) + kDiscordEpochMs;
}

Snowflake SnowflakeFromUnixMs(std::int64_t unix_ms) {
  if (unix_ms < kDiscordEpochMs) return 0;
  return static_cast<Snowflake>(unix_ms - kDiscordEpochMs) << kTimestampShift;
}

std::optional<Snowflake> ParseSnowflake(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  Snowflake value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (value > static_cast<Snowflake>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return value;
}

std::string ToString(Snowflake id) { return std::to_string(id); }

SnowflakeGenerator::SnowflakeGenerator(unsigned worker, unsigned process, Clock clock)
    : node_bits_((static_cast<std::uint64_t>(worker & 0x1F) << 17) |
                 (static_cast<std::uint64_t>(process & 0x1F) << 12)),
      clock_(clock) {
  if (worker > 31 || process > 31) throw std::invalid_argument("snowflake worker/process > 31");
}

std::int64_t SnowflakeGenerator::SystemClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Snowflake SnowflakeGenerator::Next() {
  const std::uint64_t now_ts =
      static_cast<std::uint64_t>(std::max<std::int64_t>(clock_() - kDiscordEpochMs, 0));
  std::uint64_t last = last_.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t last_ts = last >> kTimestampShift;
    std::uint64_t next;
    if (now_ts > last_ts) {
      next = (now_ts << kTimestampShift) | node_bits_;
    } else if ((last & kIncrementMask) < kIncrementMask) {
      // Same millisecond, or the clock stepped back: keep counting on the last timestamp.
      next = last + 1;
    } else {
      // 4096 ids used in this millisecond: borrow the next one. Time catches up later.
      next = ((last_ts + 1) << kTimestampShift) | node_bits_;
    }
    if (last_.compare_exchange_weak(last, next, std::memory_order_relaxed)) return next;
  }
}

}  // namespace chat::domain
