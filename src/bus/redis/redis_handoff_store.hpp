// bus/redis/redis_handoff_store.hpp — HandoffStore on Redis: SET … PX for Put (pipelined), GETDEL
// for Take (Redis ≥ 6.2), so two nodes can never both take one session. One connection behind a
// mutex, opened on first use and again after an error: hand-offs are rare (a node shutting down,
// then its clients resuming), so a pool would only hold idle sockets.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "bus/handoff_store.hpp"
#include "bus/redis/redis_connection.hpp"

namespace chat::bus::redis {

class RedisHandoffStore final : public HandoffStore {
 public:
  RedisHandoffStore(RedisEndpoint endpoint, std::string node_id,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(2'000));

  [[nodiscard]] Result<void> Put(const std::vector<std::pair<std::string, std::string>>& items,
                                 std::chrono::milliseconds ttl) override;
  [[nodiscard]] Result<std::optional<std::string>> Take(const std::string& key) override;

 private:
  // The open connection, connecting first if needed; nullptr with `error` set when Redis is down.
  redisContext* Connection(Error& error);

  const RedisEndpoint endpoint_;
  const std::string client_name_;
  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  ContextPtr conn_;  // guarded by mutex_
};

}  // namespace chat::bus::redis
