// bus/shared_keys.hpp — short-lived keys shared by the nodes of one deployment, for the limits a
// client must not escape by landing on another node: slowmode and message nonces
// (service/message_limits), failed logins (service/login_throttle). Redis implements it
// (bus/redis/redis_shared_keys.hpp); a single node has none and keeps those limits in memory. Calls
// block on the network: call them from a blocking pool, never an I/O thread. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace chat::bus {

class SharedKeys {
 public:
  virtual ~SharedKeys() = default;
  // Sets `key` to `value`, expiring after `ttl`, unless the key holds a value. Returns nullopt
  // when it was set, or the value it holds, which is left as it is. Atomic: of several nodes
  // setting one key at once, exactly one gets nullopt.
  [[nodiscard]] virtual Result<std::optional<std::string>> SetIfAbsent(
      std::string_view key, std::string_view value, std::chrono::milliseconds ttl) = 0;
  // Sets `key` to `value`, expiring after `ttl`, if it holds `expected`. True when it did.
  [[nodiscard]] virtual Result<bool> ReplaceIf(std::string_view key, std::string_view expected,
                                               std::string_view value,
                                               std::chrono::milliseconds ttl) = 0;
  // Deletes `key` if it holds `expected`. True when it did.
  [[nodiscard]] virtual Result<bool> DeleteIf(std::string_view key, std::string_view expected) = 0;
  // The value under `key`, nullopt when there is none.
  [[nodiscard]] virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;

  // A counter in a fixed window: its value and the milliseconds the window has left.
  struct Counter {
    std::int64_t value = 0;
    std::int64_t ms_left = 0;
  };
  // Adds one to the counter under `key`. The first increment starts a window of `ttl`; later ones
  // do not extend it. Atomic across nodes.
  [[nodiscard]] virtual Result<Counter> Increment(std::string_view key,
                                                  std::chrono::milliseconds ttl) = 0;
  // The counter under `key`; {0, 0} when there is none.
  [[nodiscard]] virtual Result<Counter> Count(std::string_view key) = 0;
  [[nodiscard]] virtual Result<void> Delete(std::string_view key) = 0;
};

// Logs the first failure of an outage of what the nodes share (Redis), and the recovery at the
// next success, for one of its users: `what` names what is shared, `meanwhile` what the node does
// instead. Thread-safe.
class SharedKeysOutageLog {
 public:
  explicit SharedKeysOutageLog(
      std::string what,
      std::string meanwhile = "this node enforces them on its own requests until they are back")
      : what_(std::move(what)), meanwhile_(std::move(meanwhile)) {}
  void Failed(const Error& error);
  void Worked();

 private:
  const std::string what_;
  const std::string meanwhile_;
  std::atomic<bool> down_{false};
};

}  // namespace chat::bus
