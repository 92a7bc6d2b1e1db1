// bus/handoff_store.hpp — a small key-value store shared by the nodes of one deployment, where a
// node that shuts down leaves its gateway sessions for whichever node the clients resume on.
// Redis implements it (bus/redis/redis_handoff_store.hpp); a single node has none. Calls block
// on the network: call them from a blocking pool, never an I/O thread. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace chat::bus {

class HandoffStore {
 public:
  virtual ~HandoffStore() = default;
  // Stores every (key, value), each expiring after `ttl`.
  [[nodiscard]] virtual Result<void> Put(
      const std::vector<std::pair<std::string, std::string>>& items,
      std::chrono::milliseconds ttl) = 0;
  // Removes and returns the value under `key`, nullopt when there is none. Atomic: of several
  // nodes taking the same key at once, one gets the value.
  [[nodiscard]] virtual Result<std::optional<std::string>> Take(const std::string& key) = 0;
};

}  // namespace chat::bus
