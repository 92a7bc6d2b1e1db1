#include "bus/redis/redis_pool.hpp"

#include <cerrno>
#include <utility>

namespace chat::bus::redis {

Result<ContextPtr> RedisPool::Acquire(bool& reused) {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      ContextPtr conn = std::move(idle_.back());
      idle_.pop_back();
      reused = true;
      return conn;
    }
    if (std::chrono::steady_clock::now() < down_until_) {
      return Error{Errc::kCache, "redis: failed a moment ago; not retried yet"};
    }
  }
  reused = false;
  auto connected =
      Connect(options_.endpoint, options_.timeout, options_.timeout, options_.client_name);
  if (!connected) {
    std::lock_guard lock(mutex_);
    down_until_ = std::chrono::steady_clock::now() + options_.retry_after;
    return connected.error();
  }
  return std::move(*connected);
}

void RedisPool::Release(ContextPtr conn) {
  if (conn->err != 0) return;  // broken: hiredis cannot use it again
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle) idle_.push_back(std::move(conn));
}

Result<std::vector<ReplyPtr>> RedisPool::Run(std::span<const Args> commands) {
  for (;;) {
    bool reused = false;
    auto conn = Acquire(reused);
    if (!conn) return conn.error();
    redisContext* c = conn->get();
    bool sent = true;
    for (const Args& args : commands) {
      if (AppendCommand(c, args) != REDIS_OK) {
        sent = false;
        break;
      }
    }
    std::vector<ReplyPtr> replies;
    while (sent && replies.size() < commands.size()) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) break;
      replies.emplace_back(static_cast<redisReply*>(raw));
    }
    if (replies.size() == commands.size()) {
      Release(std::move(*conn));
      return replies;
    }
    const int io_errno = errno;
    // An idle connection Redis closed (a restart, its idle timeout) fails on its first use, with
    // the commands unread; so do the other idle ones then. Drop them and try once more on a new
    // connection. Not after a timeout: Redis may have run the commands, and must not run them
    // twice (a slowmode key would then look taken by another request).
    const bool closed = c->err == REDIS_ERR_EOF ||
                        (c->err == REDIS_ERR_IO && (io_errno == ECONNRESET || io_errno == EPIPE));
    std::lock_guard lock(mutex_);
    idle_.clear();
    if (!reused || !closed) {
      // Calls fail at once for a moment rather than each waiting out the timeout.
      down_until_ = std::chrono::steady_clock::now() + options_.retry_after;
      return Error{Errc::kCache, "redis: " + ContextError(c)};
    }
  }
}

Error Refused(const char* command, const redisReply& r) {
  if (r.type == REDIS_REPLY_ERROR) {
    return Error{Errc::kCache,
                 std::string("redis refused ") + command + ": " + std::string(r.str, r.len)};
  }
  return Error{Errc::kCache, std::string("redis: unexpected reply to ") + command};
}

}  // namespace chat::bus::redis
