// bus/redis/redis_presence.hpp — PresenceDirectory on Redis. Keys, under `key_prefix`:
//   presence:u:<user>      hash: "p" the presence; "n:<node>" the sessions each node holds (> 0)
//   presence:node:<node>   present while the node lives (it pulses every `beat`, lives 3 pulses)
//   presence:users:<node>  set: the users the node holds sessions of
//   presence:nodes         set: the nodes that have pulsed
//   voice:g:<guild>        hash: user → "<node>\t<session>\t<state>"
//   voice:node:<node>      set: "<guild>:<user>" of the states the node holds
// Every call is one Lua script, so what one node reads and writes is atomic against the others:
// of two nodes ending a user's last sessions at once, exactly one finds them offline. A user whose
// nodes are all dead counts as offline at once; Sweep takes a dead node's users off (deleting their
// entries) in batches and reports them, so that their going offline is published once. Sweep has a
// longer timeout than the rest: a timed-out sweep may have taken off users nobody then reports.
// Node ids must be unique per process (app.cpp's BusNodeId).
#pragma once

#include <chrono>
#include <string>

#include "bus/presence_directory.hpp"
#include "bus/redis/redis_pool.hpp"

namespace chat::bus::redis {

struct RedisPresenceOptions {
  RedisEndpoint endpoint;
  std::string node_id;
  std::string key_prefix;  // e.g. "chat:" (app.cpp: REDIS_CHANNEL + ":")
  std::chrono::milliseconds beat{10'000};
  std::chrono::milliseconds timeout{500};
  std::chrono::milliseconds sweep_timeout{5'000};
  int sweep_batch = 500;  // users, and voice states, taken off per dead node and call
};

class RedisPresence final : public PresenceDirectory {
 public:
  explicit RedisPresence(RedisPresenceOptions options);

  [[nodiscard]] Result<bool> Joined(domain::Snowflake user, std::string_view presence,
                                    bool replace) override;
  [[nodiscard]] Result<bool> Left(domain::Snowflake user) override;
  [[nodiscard]] Result<void> Set(domain::Snowflake user, std::string_view presence) override;
  [[nodiscard]] Result<std::vector<std::optional<std::string>>> Get(
      std::span<const domain::Snowflake> users) override;
  [[nodiscard]] Result<std::vector<domain::Snowflake>> Held() override;
  [[nodiscard]] Result<bool> Rejoin(domain::Snowflake user, std::string_view presence,
                                    int sessions) override;
  [[nodiscard]] Result<bool> Forget(domain::Snowflake user) override;
  [[nodiscard]] Result<bool> PutVoice(domain::Snowflake guild, domain::Snowflake user,
                                      std::string_view session_id, std::string_view state,
                                      bool unless_taken = false) override;
  [[nodiscard]] Result<bool> DropVoice(domain::Snowflake guild, domain::Snowflake user,
                                       std::string_view session_id) override;
  [[nodiscard]] Result<std::vector<std::string>> VoiceInGuild(domain::Snowflake guild) override;
  [[nodiscard]] Result<bool> Pulse() override;
  [[nodiscard]] Result<Swept> Sweep() override;

 private:
  // Runs `script` (preamble included) with ARGV = prefix, node, ttl in ms, then `args`.
  Result<ReplyPtr> Eval(RedisPool& pool, const char* name, std::string_view script,
                        std::span<const std::string> args);
  // Eval of a script answering 1 or 0.
  Result<bool> EvalFlag(RedisPool& pool, const char* name, std::string_view script,
                        std::span<const std::string> args);

  const RedisPresenceOptions options_;
  const std::string ttl_ms_;
  RedisPool pool_;
  RedisPool sweep_pool_;
};

}  // namespace chat::bus::redis
