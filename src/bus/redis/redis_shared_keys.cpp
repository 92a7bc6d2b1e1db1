#include "bus/redis/redis_shared_keys.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <initializer_list>
#include <utility>

namespace chat::bus::redis {

RedisSharedKeys::RedisSharedKeys(RedisSharedKeysOptions options)
    : options_(std::move(options)),
      pool_(RedisPoolOptions{options_.endpoint, "chat-keys-" + options_.node_id, options_.timeout,
                             options_.retry_after, options_.max_idle}) {}

namespace {

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
  auto replies = pool_.Run({{"SET", k, value, "NX", "PX", px, "GET"}});
  if (!replies) return replies.error();
  return StringOrNil("SET", *replies->front());
}

namespace {

// Compare-and-set and compare-and-delete: one script each, atomic against the other nodes.
constexpr std::string_view kReplaceIf = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
)lua";
constexpr std::string_view kDeleteIf = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
)lua";

}  // namespace

Result<bool> RedisSharedKeys::ReplaceIf(std::string_view key, std::string_view expected,
                                        std::string_view value, std::chrono::milliseconds ttl) {
  const std::string k = options_.key_prefix + std::string(key);
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  auto replies = pool_.Run({{"EVAL", kReplaceIf, "1", k, expected, value, px}});
  if (!replies) return replies.error();
  auto done = Integer("EVAL", *replies->front());
  if (!done) return done.error();
  return *done == 1;
}

Result<bool> RedisSharedKeys::DeleteIf(std::string_view key, std::string_view expected) {
  const std::string k = options_.key_prefix + std::string(key);
  auto replies = pool_.Run({{"EVAL", kDeleteIf, "1", k, expected}});
  if (!replies) return replies.error();
  auto done = Integer("EVAL", *replies->front());
  if (!done) return done.error();
  return *done == 1;
}

Result<std::optional<std::string>> RedisSharedKeys::Get(std::string_view key) {
  const std::string k = options_.key_prefix + std::string(key);
  auto replies = pool_.Run({{"GET", k}});
  if (!replies) return replies.error();
  return StringOrNil("GET", *replies->front());
}

Result<SharedKeys::Counter> RedisSharedKeys::Increment(std::string_view key,
                                                       std::chrono::milliseconds ttl) {
  const std::string k = options_.key_prefix + std::string(key);
  const std::string px = std::to_string(std::max<std::int64_t>(1, ttl.count()));
  // PEXPIRE … NX (Redis ≥ 7.0) sets the window on the counter's first increment only.
  auto replies = pool_.Run({{"INCR", k}, {"PEXPIRE", k, px, "NX"}, {"PTTL", k}});
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
  auto replies = pool_.Run({{"GET", k}, {"PTTL", k}});
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
  auto replies = pool_.Run({{"DEL", k}});
  if (!replies) return replies.error();
  if (auto n = Integer("DEL", *replies->front()); !n) return n.error();
  return {};
}

}  // namespace chat::bus::redis
