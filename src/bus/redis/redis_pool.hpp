// bus/redis/redis_pool.hpp — pooled blocking Redis connections for the calls that sit on request
// paths (shared keys, presence), made from many worker threads at once: a call takes an idle
// connection or opens one, and gives it back unless it broke. A call whose idle connection Redis
// had closed (a restart) is tried once more on a new one; a timeout is never retried, since Redis
// may have run the commands. After any other failure, calls fail at once for `retry_after` instead
// of each waiting out a timeout; the callers fall back to their own memory meanwhile.
#pragma once

#include <chrono>
#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bus/redis/redis_connection.hpp"

namespace chat::bus::redis {

struct RedisPoolOptions {
  RedisEndpoint endpoint;
  std::string client_name;                       // CLIENT SETNAME: who holds them in CLIENT LIST
  std::chrono::milliseconds timeout{500};        // connect, and every read and write
  std::chrono::milliseconds retry_after{1'000};  // after a failure
  // Idle connections kept for reuse: enough for every worker thread that may call at once.
  std::size_t max_idle = 32;
};

class RedisPool {
 public:
  using Args = std::vector<std::string_view>;  // one command

  explicit RedisPool(RedisPoolOptions options) : options_(std::move(options)) {}
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Sends `commands` in one round trip and returns their replies in order (error replies
  // included); a transport failure fails the whole call.
  Result<std::vector<ReplyPtr>> Run(std::span<const Args> commands);
  Result<std::vector<ReplyPtr>> Run(std::initializer_list<Args> commands) {
    return Run(std::span<const Args>(commands.begin(), commands.size()));
  }

 private:
  // An idle connection (`reused`) or a new one.
  Result<ContextPtr> Acquire(bool& reused);
  void Release(ContextPtr conn);

  const RedisPoolOptions options_;
  std::mutex mutex_;
  std::vector<ContextPtr> idle_;                        // guarded by mutex_
  std::chrono::steady_clock::time_point down_until_{};  // guarded by mutex_
};

// A reply that is not what a command should answer, as an error naming the command.
Error Refused(const char* command, const redisReply& reply);

}  // namespace chat::bus::redis
