// bus/redis/redis_shared_keys.hpp — SharedKeys on Redis (≥ 7.0): `SET key value NX PX ttl GET`
// sets or answers the present value in one atomic command; counters are INCR with
// `PEXPIRE … NX` (the window starts with the first increment) and PTTL, pipelined.
//
// Unlike the hand-off store these calls sit on the message path (every POST to a slowmode
// channel, every message with a nonce), from many worker threads at once, so connections are
// pooled: a call takes an idle one or opens one, and gives it back unless it broke. A call whose
// idle connection Redis had closed (a restart) is tried once more on a new one; a timeout is
// never retried, since Redis may have run the commands. After any other failure, calls fail at
// once for `retry_after` instead of each waiting out a timeout; the callers fall back to their
// own memory meanwhile. Every key is put after `key_prefix`, so deployments sharing one Redis
// keep apart.
#pragma once

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bus/redis/redis_connection.hpp"
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
  [[nodiscard]] Result<void> Set(std::string_view key, std::string_view value,
                                 std::chrono::milliseconds ttl) override;
  [[nodiscard]] Result<std::optional<std::string>> Get(std::string_view key) override;
  [[nodiscard]] Result<Counter> Increment(std::string_view key,
                                          std::chrono::milliseconds ttl) override;
  [[nodiscard]] Result<Counter> Count(std::string_view key) override;
  [[nodiscard]] Result<void> Delete(std::string_view key) override;

 private:
  using Args = std::vector<std::string_view>;  // one command
  // Sends `commands` in one round trip and returns their replies in order (error replies
  // included); a transport failure fails the whole call.
  Result<std::vector<ReplyPtr>> Run(std::initializer_list<Args> commands);
  // An idle connection (`reused`) or a new one.
  Result<ContextPtr> Acquire(bool& reused);
  void Release(ContextPtr conn);

  const RedisSharedKeysOptions options_;
  const std::string client_name_;
  std::mutex mutex_;
  std::vector<ContextPtr> idle_;                        // guarded by mutex_
  std::chrono::steady_clock::time_point down_until_{};  // guarded by mutex_
};

}  // namespace chat::bus::redis
