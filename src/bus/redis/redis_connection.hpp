// bus/redis/redis_connection.hpp — what RedisBus needs from hiredis: REDIS_URL parsing and a
// blocking connection (connect timeout, AUTH, SELECT, TCP keep-alive) owned by a unique_ptr.
// A connection is used by one thread at a time; hiredis contexts are not thread-safe.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace chat::bus::redis {

// redis://[[user]:password@]host[:port][/db]
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;
  std::string password;
  int db = 0;

  std::string Describe() const;  // host:port/db, without credentials, for logs
};

[[nodiscard]] Result<RedisEndpoint> ParseRedisUrl(std::string_view url);

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// io_timeout empty: reads block until data or EOF (the subscriber); otherwise every read and write
// fails after it, and the connection is then unusable (hiredis marks it broken).
// client_name (CLIENT SETNAME, no spaces) shows which node holds a connection in CLIENT LIST.
[[nodiscard]] Result<ContextPtr> Connect(const RedisEndpoint& endpoint,
                                         std::chrono::milliseconds connect_timeout,
                                         std::optional<std::chrono::milliseconds> io_timeout,
                                         const std::string& client_name = "");

// The context's error as text ("Connection refused", "Server closed the connection").
std::string ContextError(const redisContext* c);

// Queues one command of any number of binary-safe arguments (a range of std::string or
// std::string_view) without waiting for its reply; REDIS_OK or REDIS_ERR.
template <class Args>
int AppendCommand(redisContext* c, const Args& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data());
}

// Sends one command and reads its reply; null when the connection failed (see ContextError).
template <class Args>
ReplyPtr RunCommand(redisContext* c, const Args& args) {
  if (AppendCommand(c, args) != REDIS_OK) return nullptr;
  void* raw = nullptr;
  if (redisGetReply(c, &raw) != REDIS_OK) return nullptr;
  return ReplyPtr(static_cast<redisReply*>(raw));
}

}  // namespace chat::bus::redis
