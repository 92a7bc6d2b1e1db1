#include "bus/redis/redis_shared_keys.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <initializer_list>
#include <utility>

namespace chat::bus::redis {

RedisSharedKeys::RedisSharedKeys(RedisSharedKeysOptions options)
    : options_(std::move(options)), client_name_("chat-keys-" + options_.node_id) {}

Result<ContextPtr> RedisSharedKeys::Acquire(bool& reused) {
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
  auto connected = Connect(options_.endpoint, options_.timeout, options_.timeout, client_name_);
  if (!connected) {
    std::lock_guard lock(mutex_);
    down_until_ = std::chrono::steady_clock::now() + options_.retry_after;
    return connected.error();
  }
  return std::move(*connected);
}

void RedisSharedKeys::Release(ContextPtr conn) {
  if (conn->err != 0) return;  // broken: hiredis cannot use it again
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle) idle_.push_back(std::move(conn));
}

Result<std::vector<ReplyPtr>> RedisSharedKeys::Run(std::initializer_list<Args> commands) {
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

namespace {

Error Refused(const char* name, const redisReply& r) {
  if (r.type == REDIS_REPLY_ERROR) {
    return Error{Errc::kCache,
                 std::string("redis refused ") + name + ": " + std::string(r.str, r.len)};
  }
  return Error{Errc::kCache, std::string("redis: unexpected reply to ") + name};
}

Result<std::optional<std::string>> StringOrNil(const char* name, const redisReply& r) {
  if (r.type == REDIS_REPLY_NIL) return std::optional<std::string>();
  if (r.type == REDIS_REPLY_STRING) return std::optional<std::string>(std::string(r.str, r.len));
  return Refused(name, r);
}

Result<std::int64_t> Integer(const char* name, const redisReply& r) {
  if (r.type == REDIS_REPLY_INTEGER) return static_cast<std::int64_t>(r.integer);
  return Refused(name, r);
}

// A counter's value as GET returns it: nil is 0; anything but a number is refused.
Result<std::int64_t> CounterValue(const redisReply& r) {
  auto text = StringOrNil("GET", r);
  if (!text) return text.error();
  if (!*text) return std::int64_t{0};
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars((*text)->data(), (*text)->data() + (*text)->size(), value);
  if (ec != std::errc() || end != (*text)->data() + (*text)->size()) {
    return Error{Errc::kCache, "redis: a counter holds something else than a number"};
  }
  return value;
}

}  // namespace

Result<std::optional<std::string>> RedisSharedKeys::SetIfAbsent(std::string_view key,
                                                                std::string_view value,
                                                                std::chrono::milliseconds ttl) {
  const std::string k = options_.key_prefix + std::string(key);
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  auto replies = Run({{"SET", k, value, "NX", "PX", px, "GET"}});
  if (!replies) return replies.error();
  return StringOrNil("SET", *replies->front());
}

Result<void> RedisSharedKeys::Set(std::string_view key, std::string_view value,
                                  std::chrono::milliseconds ttl) {
  const std::string k = options_.key_prefix + std::string(key);
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  auto replies = Run({{"SET", k, value, "PX", px}});
  if (!replies) return replies.error();
  if (replies->front()->type != REDIS_REPLY_STATUS) return Refused("SET", *replies->front());
  return {};
}

Result<std::optional<std::string>> RedisSharedKeys::Get(std::string_view key) {
  const std::string k = options_.key_prefix + std::string(key);
  auto replies = Run({{"GET", k}});
  if (!replies) return replies.error();
  return StringOrNil("GET", *replies->front());
}

Result<SharedKeys::Counter> RedisSharedKeys::Increment(std::string_view key,
                                                       std::chrono::milliseconds ttl) {
  const std::string k = options_.key_prefix + std::string(key);
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  // PEXPIRE … NX (Redis ≥ 7.0) sets the window on the counter's first increment only.
  auto replies = Run({{"INCR", k}, {"PEXPIRE", k, px, "NX"}, {"PTTL", k}});
  if (!replies) return replies.error();
  auto value = Integer("INCR", *(*replies)[0]);
  if (!value) return value.error();
  if (auto set = Integer("PEXPIRE", *(*replies)[1]); !set) return set.error();
  auto left = Integer("PTTL", *(*replies)[2]);
  if (!left) return left.error();
  return Counter{*value, std::max<std::int64_t>(0, *left)};
}

Result<SharedKeys::Counter> RedisSharedKeys::Count(std::string_view key) {
  const std::string k = options_.key_prefix + std::string(key);
  auto replies = Run({{"GET", k}, {"PTTL", k}});
  if (!replies) return replies.error();
  auto value = CounterValue(*(*replies)[0]);
  if (!value) return value.error();
  auto left = Integer("PTTL", *(*replies)[1]);
  if (!left) return left.error();
  // PTTL: -2 when absent (expired between the two), -1 without expiry (never ours).
  if (*left == -2) return Counter{};
  return Counter{*value, std::max<std::int64_t>(0, *left)};
}

Result<void> RedisSharedKeys::Delete(std::string_view key) {
  const std::string k = options_.key_prefix + std::string(key);
  auto replies = Run({{"DEL", k}});
  if (!replies) return replies.error();
  if (auto n = Integer("DEL", *replies->front()); !n) return n.error();
  return {};
}

}  // namespace chat::bus::redis
