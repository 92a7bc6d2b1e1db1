// bus/redis/redis_shared_keys.hpp — SharedKeys on Redis (≥ 7.0): `SET key value NX PX ttl GET`
// sets or answers the present value in one atomic command; counters are INCR with
// `PEXPIRE … NX` (the window starts with the first increment) and PTTL, pipelined.
//
// Unlike the hand-off store these calls sit on the message path (every POST to a slowmode
// channel, every message with a nonce), so they run on a RedisPool (bus/redis/redis_pool.hpp).
// Every key is put after `key_prefix`, so deployments sharing one Redis
// keep apart.
#pragma once

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bus/redis/redis_pool.hpp"
#include "bus/shared_keys.hpp"

namespace chat::bus::redis {

struct RedisSharedKeysOptions {
  RedisEndpoint endpoint;
  std::string node_id;                           // names the connections in CLIENT LIST
  std::string key_prefix;                        // e.g. "chat:" (app.cpp: REDIS_CHANNEL + ":")
  std::chrono::milliseconds timeout{500};        // connect, and every read and write
  std::chrono::milliseconds retry_after{1'000};  // after a failure
  // Idle connections kept for reuse: enough for every worker thread that may call at once.
  std::size_t max_idle = 32;
};

class RedisSharedKeys final : public SharedKeys {
 public:
  explicit RedisSharedKeys(RedisSharedKeysOptions options);

  [[nodiscard]] Result<std::optional<std::string>> SetIfAbsent(
      std::string_view key, std::string_view value, std::chrono::milliseconds ttl) override;
  [[nodiscard]] Result<bool> ReplaceIf(std::string_view key, std::string_view expected,
                                       std::string_view value,
                                       std::chrono::milliseconds ttl) override;
  [[nodiscard]] Result<bool> DeleteIf(std::string_view key, std::string_view expected) override;
  [[nodiscard]] Result<std::optional<std::string>> Get(std::string_view key) override;
  [[nodiscard]] Result<Counter> Increment(std::string_view key,
                                          std::chrono::milliseconds ttl) override;
  [[nodiscard]] Result<Counter> Count(std::string_view key) override;
  [[nodiscard]] Result<void> Delete(std::string_view key) override;

 private:
  const RedisSharedKeysOptions options_;
  RedisPool pool_;
};

}  // namespace chat::bus::redis
