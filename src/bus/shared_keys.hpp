// bus/shared_keys.hpp — short-lived keys shared by the nodes of one deployment, for the limits a
// client must not escape by landing on another node: slowmode and message nonces
// (service/message_service). Redis implements it (bus/redis/redis_shared_keys.hpp); a single node
// has none and keeps those limits in memory. Calls block on the network: call them from a
// blocking pool, never an I/O thread. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

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
  // The value under `key`, nullopt when there is none.
  [[nodiscard]] virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;
};

}  // namespace chat::bus
