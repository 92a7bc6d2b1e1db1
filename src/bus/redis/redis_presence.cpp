#include "bus/redis/redis_presence.hpp"

#include <algorithm>
#include <utility>

namespace chat::bus::redis {
namespace {

using domain::Snowflake;

// ARGV[1..3]: the key prefix, this node, its pulse's time to live (ms). A node's own entries
// always count as live: it is the one running the script.
constexpr std::string_view kPreamble = R"lua(
local prefix, me, ttl = ARGV[1], ARGV[2], ARGV[3]
local function user_key(u) return prefix .. 'presence:u:' .. u end
local users_of_me = prefix .. 'presence:users:' .. me
local alive_seen = {}
local function alive(node)
  if node == me then return true end
  if alive_seen[node] == nil then
    alive_seen[node] = redis.call('EXISTS', prefix .. 'presence:node:' .. node) == 1
  end
  return alive_seen[node]
end
local function online(key)
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if string.sub(f, 1, 2) == 'n:' and alive(string.sub(f, 3)) then return true end
  end
  return false
end
)lua";

// ARGV[4..6]: user, presence, '1' to replace the presence of a user already online.
constexpr std::string_view kJoined = R"lua(
local key = user_key(ARGV[4])
local was = online(key)
redis.call('HINCRBY', key, 'n:' .. me, 1)
if not was or ARGV[6] == '1' then redis.call('HSET', key, 'p', ARGV[5]) end
redis.call('SADD', users_of_me, ARGV[4])
if was then return 0 end
return 1
)lua";

// ARGV[4]: user. A count that would go below one (an end that overtook its start) drops the field.
constexpr std::string_view kLeft = R"lua(
local key = user_key(ARGV[4])
if redis.call('HINCRBY', key, 'n:' .. me, -1) <= 0 then
  redis.call('HDEL', key, 'n:' .. me)
  redis.call('SREM', users_of_me, ARGV[4])
end
if online(key) then return 0 end
redis.call('DEL', key)
return 1
)lua";

// ARGV[4..]: users. Their presences in order, nil for those offline.
constexpr std::string_view kGet = R"lua(
local out = {}
for i = 4, #ARGV do
  local key = user_key(ARGV[i])
  if online(key) then out[#out + 1] = redis.call('HGET', key, 'p') else out[#out + 1] = false end
end
return out
)lua";

constexpr std::string_view kHeld = R"lua(
return redis.call('SMEMBERS', users_of_me)
)lua";

// ARGV[4..6]: user, presence, sessions.
constexpr std::string_view kRejoin = R"lua(
local key = user_key(ARGV[4])
local was = online(key)
redis.call('HSET', key, 'n:' .. me, ARGV[6])
if not was then redis.call('HSET', key, 'p', ARGV[5]) end
redis.call('SADD', users_of_me, ARGV[4])
if was then return 0 end
return 1
)lua";

// ARGV[4]: user.
constexpr std::string_view kForget = R"lua(
local key = user_key(ARGV[4])
local existed = redis.call('EXISTS', key) == 1
redis.call('HDEL', key, 'n:' .. me)
redis.call('SREM', users_of_me, ARGV[4])
if not existed or online(key) then return 0 end
redis.call('DEL', key)
return 1
)lua";

// ARGV[4..8]: guild, user, session, state ('' when the user left), '1' to put only a state that
// is absent or held by the same session. 1 when something changed.
constexpr std::string_view kPutVoice = R"lua(
local key, pair = prefix .. 'voice:g:' .. ARGV[4], ARGV[4] .. ':' .. ARGV[5]
local held = prefix .. 'voice:node:' .. me
local v = redis.call('HGET', key, ARGV[5])
if ARGV[7] == '' then
  if not v then return 0 end
  redis.call('HDEL', key, ARGV[5])
  redis.call('SREM', held, pair)
  return 1
end
if v and ARGV[8] == '1' and string.match(v, '^[^\t]*\t([^\t]*)\t') ~= ARGV[6] then return 0 end
local value = me .. '\t' .. ARGV[6] .. '\t' .. ARGV[7]
if v == value then return 0 end
redis.call('HSET', key, ARGV[5], value)
redis.call('SADD', held, pair)
return 1
)lua";

// ARGV[4..6]: guild, user, session. 1 when that session of this node held the state. The pair
// stays in this node's set while any session of this node holds the state.
constexpr std::string_view kDropVoice = R"lua(
local key, pair = prefix .. 'voice:g:' .. ARGV[4], ARGV[4] .. ':' .. ARGV[5]
local held = prefix .. 'voice:node:' .. me
local holder = me .. '\t' .. ARGV[6] .. '\t'
local v = redis.call('HGET', key, ARGV[5])
if v and string.sub(v, 1, #holder) == holder then
  redis.call('HDEL', key, ARGV[5])
  redis.call('SREM', held, pair)
  return 1
end
if not v or string.sub(v, 1, #me + 1) ~= me .. '\t' then redis.call('SREM', held, pair) end
return 0
)lua";

// ARGV[4]: guild. The states live nodes hold.
constexpr std::string_view kVoiceInGuild = R"lua(
local out = {}
local all = redis.call('HGETALL', prefix .. 'voice:g:' .. ARGV[4])
for i = 2, #all, 2 do
  local node, session, state = string.match(all[i], '^([^\t]*)\t([^\t]*)\t(.*)$')
  if node and alive(node) then out[#out + 1] = state end
end
return out
)lua";

// 1 when this node's mark had run out (or never was), then marks it alive.
constexpr std::string_view kPulse = R"lua(
local lost = 1 - redis.call('EXISTS', prefix .. 'presence:node:' .. me)
redis.call('SET', prefix .. 'presence:node:' .. me, '1', 'PX', ttl)
redis.call('SADD', prefix .. 'presence:nodes', me)
return lost
)lua";

// ARGV[4]: batch. {1 when a batch remains, the users of dead nodes now offline everywhere, the
// voice states dead nodes held}.
constexpr std::string_view kSweep = R"lua(
local batch = tonumber(ARGV[4])
local more, gone, voice_left = 0, {}, {}
for _, node in ipairs(redis.call('SMEMBERS', prefix .. 'presence:nodes')) do
  if not alive(node) then
    local users = prefix .. 'presence:users:' .. node
    for _, u in ipairs(redis.call('SPOP', users, batch)) do
      local key = user_key(u)
      local existed = redis.call('EXISTS', key) == 1
      redis.call('HDEL', key, 'n:' .. node)
      if existed and not online(key) then
        redis.call('DEL', key)
        gone[#gone + 1] = u
      end
    end
    local held = prefix .. 'voice:node:' .. node
    for _, pair in ipairs(redis.call('SPOP', held, batch)) do
      local guild, user = string.match(pair, '^([^:]*):(.*)$')
      local key = prefix .. 'voice:g:' .. guild
      local v = redis.call('HGET', key, user)
      if v and string.sub(v, 1, #node + 1) == node .. '\t' then
        redis.call('HDEL', key, user)
        voice_left[#voice_left + 1] = string.match(v, '^[^\t]*\t[^\t]*\t(.*)$')
      end
    end
    if redis.call('SCARD', users) + redis.call('SCARD', held) > 0 then
      more = 1
    else
      redis.call('SREM', prefix .. 'presence:nodes', node)
    end
  end
end
return {more, gone, voice_left}
)lua";

// Ids per Get script: a guild of 100,000 members does not hold Redis for one long script.
constexpr std::size_t kGetChunk = 1'000;

// The string elements of an array reply.
std::vector<std::string> Strings(const redisReply& array) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array.elements; ++i) {
    const redisReply& e = *array.element[i];
    if (e.type == REDIS_REPLY_STRING) out.emplace_back(e.str, e.len);
  }
  return out;
}

std::vector<Snowflake> Ids(const redisReply& array) {
  std::vector<Snowflake> out;
  for (const auto& text : Strings(array)) {
    if (auto id = domain::ParseSnowflake(text)) out.push_back(*id);
  }
  return out;
}

Result<bool> Flag(const char* name, const redisReply& r) {
  if (r.type == REDIS_REPLY_INTEGER) return r.integer == 1;
  return Refused(name, r);
}

// A script as sent: the preamble and its body, joined once per process rather than per call.
std::string Script(std::string_view body) { return std::string(kPreamble) + std::string(body); }

}  // namespace

RedisPresence::RedisPresence(RedisPresenceOptions options)
    : options_(std::move(options)),
      ttl_ms_(std::to_string(3 * options_.beat.count())),
      pool_(RedisPoolOptions{.endpoint = options_.endpoint,
                             .client_name = "chat-presence-" + options_.node_id,
                             .timeout = options_.timeout,
                             .max_idle = 8}),
      sweep_pool_(RedisPoolOptions{.endpoint = options_.endpoint,
                                   .client_name = "chat-presence-sweep-" + options_.node_id,
                                   .timeout = options_.sweep_timeout,
                                   .max_idle = 1}) {}

Result<ReplyPtr> RedisPresence::Eval(RedisPool& pool, const char* name, std::string_view script,
                                     std::span<const std::string> args) {
  RedisPool::Args command{"EVAL", script, "0", options_.key_prefix, options_.node_id, ttl_ms_};
  for (const auto& a : args) command.push_back(a);
  auto replies = pool.Run({command});
  if (!replies) return replies.error();
  ReplyPtr reply = std::move(replies->front());
  if (reply->type == REDIS_REPLY_ERROR) return Refused(name, *reply);
  return reply;
}

Result<bool> RedisPresence::EvalFlag(RedisPool& pool, const char* name, std::string_view script,
                                     std::span<const std::string> args) {
  auto reply = Eval(pool, name, script, args);
  if (!reply) return reply.error();
  return Flag(name, **reply);
}

Result<bool> RedisPresence::Joined(Snowflake user, std::string_view presence, bool replace) {
  const std::string args[] = {std::to_string(user), std::string(presence), replace ? "1" : "0"};
  static const std::string script = Script(kJoined);
  return EvalFlag(pool_, "presence join", script, args);
}

Result<bool> RedisPresence::Left(Snowflake user) {
  const std::string args[] = {std::to_string(user)};
  static const std::string script = Script(kLeft);
  return EvalFlag(pool_, "presence leave", script, args);
}

Result<void> RedisPresence::Set(Snowflake user, std::string_view presence) {
  const std::string key = options_.key_prefix + "presence:u:" + std::to_string(user);
  auto replies = pool_.Run({{"HSET", key, "p", presence}});
  if (!replies) return replies.error();
  if (replies->front()->type != REDIS_REPLY_INTEGER) return Refused("HSET", *replies->front());
  return {};
}

Result<std::vector<std::optional<std::string>>> RedisPresence::Get(
    std::span<const Snowflake> users) {
  static const std::string script = Script(kGet);
  std::vector<std::optional<std::string>> out;
  out.reserve(users.size());
  for (std::size_t start = 0; start < users.size(); start += kGetChunk) {
    const auto chunk = users.subspan(start, std::min(kGetChunk, users.size() - start));
    std::vector<std::string> args;
    args.reserve(chunk.size());
    for (const auto u : chunk) args.push_back(std::to_string(u));
    auto reply = Eval(pool_, "presence get", script, args);
    if (!reply) return reply.error();
    const redisReply& r = **reply;
    if (r.type != REDIS_REPLY_ARRAY || r.elements != chunk.size()) {
      return Refused("presence get", r);
    }
    for (std::size_t i = 0; i < r.elements; ++i) {
      const redisReply& e = *r.element[i];
      if (e.type == REDIS_REPLY_STRING) {
        out.emplace_back(std::string(e.str, e.len));
      } else {
        out.emplace_back();  // offline, or online without a presence yet
      }
    }
  }
  return out;
}

Result<std::vector<Snowflake>> RedisPresence::Held() {
  static const std::string script = Script(kHeld);
  auto reply = Eval(sweep_pool_, "presence held", script, {});
  if (!reply) return reply.error();
  if ((*reply)->type != REDIS_REPLY_ARRAY) return Refused("presence held", **reply);
  return Ids(**reply);
}

Result<bool> RedisPresence::Rejoin(Snowflake user, std::string_view presence, int sessions) {
  const std::string args[] = {std::to_string(user), std::string(presence),
                              std::to_string(std::max(1, sessions))};
  static const std::string script = Script(kRejoin);
  return EvalFlag(pool_, "presence rejoin", script, args);
}

Result<bool> RedisPresence::Forget(Snowflake user) {
  const std::string args[] = {std::to_string(user)};
  static const std::string script = Script(kForget);
  return EvalFlag(pool_, "presence forget", script, args);
}

Result<bool> RedisPresence::PutVoice(Snowflake guild, Snowflake user, std::string_view session_id,
                                     std::string_view state, bool unless_taken) {
  const std::string args[] = {std::to_string(guild), std::to_string(user), std::string(session_id),
                              std::string(state), unless_taken ? "1" : "0"};
  static const std::string script = Script(kPutVoice);
  return EvalFlag(pool_, "voice put", script, args);
}

Result<bool> RedisPresence::DropVoice(Snowflake guild, Snowflake user,
                                      std::string_view session_id) {
  const std::string args[] = {std::to_string(guild), std::to_string(user), std::string(session_id)};
  static const std::string script = Script(kDropVoice);
  return EvalFlag(pool_, "voice drop", script, args);
}

Result<std::vector<std::string>> RedisPresence::VoiceInGuild(Snowflake guild) {
  const std::string args[] = {std::to_string(guild)};
  static const std::string script = Script(kVoiceInGuild);
  auto reply = Eval(pool_, "voice in guild", script, args);
  if (!reply) return reply.error();
  if ((*reply)->type != REDIS_REPLY_ARRAY) return Refused("voice in guild", **reply);
  return Strings(**reply);
}

Result<bool> RedisPresence::Pulse() {
  static const std::string script = Script(kPulse);
  auto reply = Eval(sweep_pool_, "presence pulse", script, {});
  if (!reply) return reply.error();
  return Flag("presence pulse", **reply);
}

Result<PresenceDirectory::Swept> RedisPresence::Sweep() {
  const std::string args[] = {std::to_string(std::max(1, options_.sweep_batch))};
  static const std::string script = Script(kSweep);
  auto reply = Eval(sweep_pool_, "presence sweep", script, args);
  if (!reply) return reply.error();
  const redisReply& r = **reply;
  if (r.type != REDIS_REPLY_ARRAY || r.elements != 3 || r.element[0]->type != REDIS_REPLY_INTEGER ||
      r.element[1]->type != REDIS_REPLY_ARRAY || r.element[2]->type != REDIS_REPLY_ARRAY) {
    return Refused("presence sweep", r);
  }
  Swept out;
  out.more = r.element[0]->integer == 1;
  out.gone = Ids(*r.element[1]);
  out.voice_left = Strings(*r.element[2]);
  return out;
}

}  // namespace chat::bus::redis
