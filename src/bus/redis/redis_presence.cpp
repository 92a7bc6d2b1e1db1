#include "bus/redis/redis_presence.hpp"

#include <utility>

namespace chat::bus::redis {
namespace {

using domain::Snowflake;

// ARGV[1..3]: the key prefix, this node, its beat's time to live (ms). A node's own entries always
// count as live: it is the one running the script.
constexpr std::string_view kPreamble = R"lua(
local prefix, me, ttl = ARGV[1], ARGV[2], ARGV[3]
local function user_key(u) return prefix .. 'presence:u:' .. u end
local alive_seen = {}
local function alive(node)
  if node == me then return true end
  if alive_seen[node] == nil then
    alive_seen[node] = redis.call('EXISTS', prefix .. 'presence:node:' .. node) == 1
  end
  return alive_seen[node]
end
local function online(key, except)
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if string.sub(f, 1, 2) == 'n:' then
      local node = string.sub(f, 3)
      if node ~= except and alive(node) then return true end
    end
  end
  return false
end
local function beat()
  redis.call('SET', prefix .. 'presence:node:' .. me, '1', 'PX', ttl)
  redis.call('SADD', prefix .. 'presence:nodes', me)
end
)lua";

// ARGV[4..6]: user, presence, '1' to replace the presence of a user already online.
// Only Beat marks the node alive: a node whose entries Redis lost finds so at its next beat.
constexpr std::string_view kJoined = R"lua(
local key = user_key(ARGV[4])
local was = online(key, me)
redis.call('HSET', key, 'n:' .. me, '1')
if not was or ARGV[6] == '1' then redis.call('HSET', key, 'p', ARGV[5]) end
redis.call('SADD', prefix .. 'presence:users:' .. me, ARGV[4])
if was then return 0 end
return 1
)lua";

// ARGV[4]: user.
constexpr std::string_view kLeft = R"lua(
local key = user_key(ARGV[4])
redis.call('HDEL', key, 'n:' .. me)
redis.call('SREM', prefix .. 'presence:users:' .. me, ARGV[4])
if online(key, me) then return 0 end
redis.call('DEL', key)
return 1
)lua";

// ARGV[4..]: users. Their presences in order, nil for those offline.
constexpr std::string_view kGet = R"lua(
local out = {}
for i = 4, #ARGV do
  local key = user_key(ARGV[i])
  if online(key, nil) then out[#out + 1] = redis.call('HGET', key, 'p') else out[#out + 1] = false end
end
return out
)lua";

// ARGV[4..7]: guild, user, session, state ('' when the user left).
constexpr std::string_view kPutVoice = R"lua(
local key, pair = prefix .. 'voice:g:' .. ARGV[4], ARGV[4] .. ':' .. ARGV[5]
if ARGV[7] == '' then
  redis.call('SREM', prefix .. 'voice:node:' .. me, pair)
  return redis.call('HDEL', key, ARGV[5])
else
  redis.call('HSET', key, ARGV[5], me .. '\t' .. ARGV[6] .. '\t' .. ARGV[7])
  redis.call('SADD', prefix .. 'voice:node:' .. me, pair)
end
return 1
)lua";

// ARGV[4..6]: guild, user, session. 1 when that session of this node held the state.
constexpr std::string_view kDropVoice = R"lua(
local key, holder = prefix .. 'voice:g:' .. ARGV[4], me .. '\t' .. ARGV[6] .. '\t'
local v = redis.call('HGET', key, ARGV[5])
redis.call('SREM', prefix .. 'voice:node:' .. me, ARGV[4] .. ':' .. ARGV[5])
if v and string.sub(v, 1, #holder) == holder then
  redis.call('HDEL', key, ARGV[5])
  return 1
end
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

// {whether this node's beat had run out (1 or 0), the users of dead nodes who are online nowhere
// else, the voice states dead nodes held}.
constexpr std::string_view kBeat = R"lua(
local lost = 1 - redis.call('EXISTS', prefix .. 'presence:node:' .. me)
beat()
local gone, voice_left = {}, {}
for _, node in ipairs(redis.call('SMEMBERS', prefix .. 'presence:nodes')) do
  if not alive(node) then
    local users = prefix .. 'presence:users:' .. node
    for _, u in ipairs(redis.call('SMEMBERS', users)) do
      local key = user_key(u)
      redis.call('HDEL', key, 'n:' .. node)
      if redis.call('EXISTS', key) == 1 and not online(key, nil) then
        redis.call('DEL', key)
        gone[#gone + 1] = u
      end
    end
    redis.call('DEL', users)
    local held = prefix .. 'voice:node:' .. node
    for _, pair in ipairs(redis.call('SMEMBERS', held)) do
      local guild, user = string.match(pair, '^([^:]*):(.*)$')
      local key = prefix .. 'voice:g:' .. guild
      local v = redis.call('HGET', key, user)
      if v and string.sub(v, 1, #node + 1) == node .. '\t' then
        redis.call('HDEL', key, user)
        voice_left[#voice_left + 1] = string.match(v, '^[^\t]*\t[^\t]*\t(.*)$')
      end
    end
    redis.call('DEL', held)
    redis.call('SREM', prefix .. 'presence:nodes', node)
  end
end
return {lost, gone, voice_left}
)lua";

// The string elements of an array reply.
std::vector<std::string> Strings(const redisReply& array) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array.elements; ++i) {
    const redisReply& e = *array.element[i];
    if (e.type == REDIS_REPLY_STRING) out.emplace_back(e.str, e.len);
  }
  return out;
}

Result<bool> Flag(const char* name, const redisReply& r) {
  if (r.type == REDIS_REPLY_INTEGER) return r.integer == 1;
  return Refused(name, r);
}

}  // namespace

RedisPresence::RedisPresence(RedisPresenceOptions options)
    : options_(std::move(options)),
      ttl_ms_(std::to_string(3 * options_.beat.count())),
      pool_(RedisPoolOptions{.endpoint = options_.endpoint,
                             .client_name = "chat-presence-" + options_.node_id,
                             .timeout = options_.timeout,
                             .max_idle = 8}) {}

Result<ReplyPtr> RedisPresence::Eval(const char* name, std::string_view script,
                                     std::span<const std::string> args) {
  const std::string body = std::string(kPreamble) + std::string(script);
  RedisPool::Args command{"EVAL", body, "0", options_.key_prefix, options_.node_id, ttl_ms_};
  for (const auto& a : args) command.push_back(a);
  auto replies = pool_.Run({command});
  if (!replies) return replies.error();
  ReplyPtr reply = std::move(replies->front());
  if (reply->type == REDIS_REPLY_ERROR) return Refused(name, *reply);
  return reply;
}

Result<bool> RedisPresence::Joined(Snowflake user, std::string_view presence, bool replace) {
  const std::string args[] = {std::to_string(user), std::string(presence), replace ? "1" : "0"};
  auto reply = Eval("presence join", kJoined, args);
  if (!reply) return reply.error();
  return Flag("presence join", **reply);
}

Result<bool> RedisPresence::Left(Snowflake user) {
  const std::string args[] = {std::to_string(user)};
  auto reply = Eval("presence leave", kLeft, args);
  if (!reply) return reply.error();
  return Flag("presence leave", **reply);
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
  std::vector<std::optional<std::string>> out;
  if (users.empty()) return out;
  std::vector<std::string> args;
  args.reserve(users.size());
  for (const auto u : users) args.push_back(std::to_string(u));
  auto reply = Eval("presence get", kGet, args);
  if (!reply) return reply.error();
  const redisReply& r = **reply;
  if (r.type != REDIS_REPLY_ARRAY || r.elements != users.size()) return Refused("presence get", r);
  out.reserve(users.size());
  for (std::size_t i = 0; i < r.elements; ++i) {
    const redisReply& e = *r.element[i];
    if (e.type == REDIS_REPLY_STRING) {
      out.emplace_back(std::string(e.str, e.len));
    } else {
      out.emplace_back();  // offline, or online without a presence yet
    }
  }
  return out;
}

Result<PresenceDirectory::Beaten> RedisPresence::Beat() {
  auto reply = Eval("presence beat", kBeat, {});
  if (!reply) return reply.error();
  const redisReply& r = **reply;
  if (r.type != REDIS_REPLY_ARRAY || r.elements != 3 || r.element[0]->type != REDIS_REPLY_INTEGER ||
      r.element[1]->type != REDIS_REPLY_ARRAY || r.element[2]->type != REDIS_REPLY_ARRAY) {
    return Refused("presence beat", r);
  }
  Beaten out;
  out.lost = r.element[0]->integer == 1;
  for (const auto& text : Strings(*r.element[1])) {
    if (auto id = domain::ParseSnowflake(text)) out.gone.push_back(*id);
  }
  out.voice_left = Strings(*r.element[2]);
  return out;
}

Result<bool> RedisPresence::PutVoice(Snowflake guild, Snowflake user, std::string_view session_id,
                                     std::string_view state) {
  const std::string args[] = {std::to_string(guild), std::to_string(user), std::string(session_id),
                              std::string(state)};
  auto reply = Eval("voice put", kPutVoice, args);
  if (!reply) return reply.error();
  return Flag("voice put", **reply);
}

Result<bool> RedisPresence::DropVoice(Snowflake guild, Snowflake user,
                                      std::string_view session_id) {
  const std::string args[] = {std::to_string(guild), std::to_string(user), std::string(session_id)};
  auto reply = Eval("voice drop", kDropVoice, args);
  if (!reply) return reply.error();
  return Flag("voice drop", **reply);
}

Result<std::vector<std::string>> RedisPresence::VoiceInGuild(Snowflake guild) {
  const std::string args[] = {std::to_string(guild)};
  auto reply = Eval("voice in guild", kVoiceInGuild, args);
  if (!reply) return reply.error();
  if ((*reply)->type != REDIS_REPLY_ARRAY) return Refused("voice in guild", **reply);
  return Strings(**reply);
}

}  // namespace chat::bus::redis
