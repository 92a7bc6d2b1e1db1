#include "bus/redis/redis_handoff_store.hpp"

#include <algorithm>

namespace chat::bus::redis {
namespace {

Error Down(const redisContext* c) { return Error::Unavailable("redis: " + ContextError(c)); }

}  // namespace

RedisHandoffStore::RedisHandoffStore(RedisEndpoint endpoint, std::string node_id,
                                     std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)),
      client_name_("chat-handoff-" + std::move(node_id)),
      timeout_(timeout) {}

redisContext* RedisHandoffStore::Connection(Error& error) {
  if (conn_ && conn_->err == 0) return conn_.get();
  conn_.reset();
  auto connected = Connect(endpoint_, timeout_, timeout_, client_name_);
  if (!connected) {
    error = connected.error();
    return nullptr;
  }
  conn_ = std::move(*connected);
  return conn_.get();
}

Result<void> RedisHandoffStore::Put(const std::vector<std::pair<std::string, std::string>>& items,
                                    std::chrono::milliseconds ttl) {
  if (items.empty()) return {};
  std::lock_guard lock(mutex_);
  Error error = Error::Unavailable("redis");
  auto* c = Connection(error);
  if (!c) return error;
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  // Pipelined in slices: a shutting-down node with many sessions makes few round trips, and
  // hiredis's output buffer stays bounded.
  constexpr std::size_t kSlice = 256;
  for (std::size_t from = 0; from < items.size(); from += kSlice) {
    const std::size_t to = std::min(items.size(), from + kSlice);
    for (std::size_t i = from; i < to; ++i) {
      const auto& [key, value] = items[i];
      const char* argv[] = {"SET", key.data(), value.data(), "PX", px.data()};
      const size_t lens[] = {3, key.size(), value.size(), 2, px.size()};
      if (redisAppendCommandArgv(c, 5, argv, lens) != REDIS_OK) return Down(c);
    }
    for (std::size_t i = from; i < to; ++i) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) return Down(c);
      ReplyPtr reply(static_cast<redisReply*>(raw));
      if (reply->type == REDIS_REPLY_ERROR) {
        return Error::Unavailable("redis refused SET: " + std::string(reply->str, reply->len));
      }
    }
  }
  return {};
}

Result<std::optional<std::string>> RedisHandoffStore::Take(const std::string& key) {
  std::lock_guard lock(mutex_);
  Error error = Error::Unavailable("redis");
  auto* c = Connection(error);
  if (!c) return error;
  const char* argv[] = {"GETDEL", key.data()};
  const size_t lens[] = {6, key.size()};
  ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(c, 2, argv, lens)));
  if (!reply) return Down(c);
  if (reply->type == REDIS_REPLY_NIL) return std::optional<std::string>();
  if (reply->type == REDIS_REPLY_STRING) {
    return std::optional<std::string>(std::string(reply->str, reply->len));
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    return Error::Unavailable("redis refused GETDEL: " + std::string(reply->str, reply->len));
  }
  return Error::Unavailable("redis: unexpected GETDEL reply");
}

}  // namespace chat::bus::redis
