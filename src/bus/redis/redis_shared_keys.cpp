#include "bus/redis/redis_shared_keys.hpp"

#include <algorithm>
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
      return Error{Errc::kCache, "redis: unreachable a moment ago; not retried yet"};
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

Result<std::optional<std::string>> RedisSharedKeys::Command(const char* name, const char** argv,
                                                            const std::size_t* lens, int argc) {
  ReplyPtr reply;
  for (;;) {
    bool reused = false;
    auto conn = Acquire(reused);
    if (!conn) return conn.error();
    reply.reset(static_cast<redisReply*>(redisCommandArgv(conn->get(), argc, argv, lens)));
    if (reply) {
      Release(std::move(*conn));
      break;
    }
    // An idle connection Redis closed (a restart, its idle timeout) fails on its first use; so
    // do the other idle ones then. Drop them and try once more on a new connection, so that a
    // call fails only when Redis itself does.
    if (!reused) return Error{Errc::kCache, "redis: " + ContextError(conn->get())};
    std::lock_guard lock(mutex_);
    idle_.clear();
  }
  switch (reply->type) {
    case REDIS_REPLY_NIL:
      return std::optional<std::string>();
    case REDIS_REPLY_STRING:
      return std::optional<std::string>(std::string(reply->str, reply->len));
    case REDIS_REPLY_ERROR:
      return Error{Errc::kCache, std::string("redis refused ") + name + ": " +
                                     std::string(reply->str, reply->len)};
    default:
      return Error{Errc::kCache, std::string("redis: unexpected reply to ") + name};
  }
}

Result<std::optional<std::string>> RedisSharedKeys::SetIfAbsent(std::string_view key,
                                                                std::string_view value,
                                                                std::chrono::milliseconds ttl) {
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  const char* argv[] = {"SET", key.data(), value.data(), "NX", "PX", px.data(), "GET"};
  const std::size_t lens[] = {3, key.size(), value.size(), 2, 2, px.size(), 3};
  return Command("SET", argv, lens, 7);
}

Result<std::optional<std::string>> RedisSharedKeys::Get(std::string_view key) {
  const char* argv[] = {"GET", key.data()};
  const std::size_t lens[] = {3, key.size()};
  return Command("GET", argv, lens, 2);
}

}  // namespace chat::bus::redis
