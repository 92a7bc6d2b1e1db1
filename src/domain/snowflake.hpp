// domain/snowflake.hpp — Discord-layout 64-bit ids: milliseconds since 2015-01-01T00:00:00Z in
// bits 63–22, 5-bit worker, 5-bit process, 12-bit increment. SnowflakeGenerator is thread-safe
// and strictly increasing within a process, even when the wall clock steps back (it keeps
// counting from the last timestamp it issued rather than going back in time).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::domain {

using Snowflake = std::uint64_t;

inline constexpr std::int64_t kDiscordEpochMs = 1420070400000;  // 2015-01-01T00:00:00Z

struct SnowflakeParts {
  std::int64_t unix_ms;
  unsigned worker;
  unsigned process;
  unsigned increment;
};

SnowflakeParts Decompose(Snowflake id);
std::int64_t SnowflakeUnixMs(Snowflake id);
// The smallest id of a millisecond: what Discord's pagination accepts as a synthetic bound.
Snowflake SnowflakeFromUnixMs(std::int64_t unix_ms);

// Parses a decimal snowflake as clients send it (string or digits). Rejects empty, signs,
// non-digits, leading junk and values over 2^63-1 (store columns are signed BIGINT).
std::optional<Snowflake> ParseSnowflake(std::string_view text);
std::string ToString(Snowflake id);

class SnowflakeGenerator {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds; injectable for tests

  SnowflakeGenerator(unsigned worker, unsigned process, Clock clock = &SystemClockMs);
  SnowflakeGenerator(const SnowflakeGenerator&) = delete;
  SnowflakeGenerator& operator=(const SnowflakeGenerator&) = delete;

  Snowflake Next();

  static std::int64_t SystemClockMs();

 private:
  const std::uint64_t node_bits_;
  const Clock clock_;
  // Last issued id; every Next() issues a larger one with a compare-and-swap, so no lock.
  std::atomic<std::uint64_t> last_{0};
};

}  // namespace chat::domain
