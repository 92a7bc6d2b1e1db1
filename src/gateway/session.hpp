// gateway/session.hpp — one gateway session: who it is (user, intents), its sequence numbers, its
// replay buffer and the connection (Outbox) it is attached to, if any. A session outlives its
// connection: after a drop it stays resumable until the registry expires it.
// Thread-safe: Deliver runs on bus publisher threads, the rest on the connections' threads; one
// mutex orders numbering, recording and queueing, so every attached connection sees the
// dispatches in seq order and a resume replays exactly what came after the client's seq.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bus/event_bus.hpp"
#include "domain/snowflake.hpp"
#include "gateway/delivery_log.hpp"
#include "gateway/outbox.hpp"
#include "gateway/replay_buffer.hpp"

namespace chat::gateway {

struct SessionInfo {
  std::string id;
  domain::Snowflake user_id = 0;
  bool bot = false;
  std::uint64_t intents = 0;
  // IDENTIFY's shard: guild events go to shard (guild_id >> 22) % count, guild-less ones (DMs)
  // to shard 0.
  int shard_id = 0;
  int shard_count = 1;
  // The user's token version IDENTIFY authenticated under (service::Principal): ending the user's
  // sessions ends those below the new version.
  std::int64_t token_version = 0;
};

// Whether `guild_id` (none: a DM or user event) belongs to the shard, by Discord's formula.
bool InShard(std::optional<domain::Snowflake> guild_id, int shard_id, int shard_count);

class Session {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds
  Session(SessionInfo info, ReplayLimits limits, Clock clock);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const SessionInfo& info() const { return info_; }

  // Whether this session receives `event` at all (intents); bus threads call Deliver with it.
  bool Wants(const bus::Event& event) const;
  // Numbers and records the event and queues it on the attached connection. Before Start(),
  // events wait (unnumbered) so that READY still comes first with s = 1 and nothing published
  // after registration is lost.
  void Deliver(const bus::EventPtr& event);

  // Numbers `burst` (READY, then GUILD_CREATEs) from 1, then the events that arrived since the
  // session was registered, and attaches `outbox`. False, and nothing is attached, when more
  // events arrived before READY than the replay buffer holds: they were not kept (memory stays
  // bounded while READY loads), so the session cannot start complete and the connection must
  // close with 4000 for the client to identify again.
  [[nodiscard]] bool Start(const std::vector<bus::EventPtr>& burst, std::shared_ptr<Outbox> outbox);

  enum class ResumeOutcome { kResumed, kGone, kSeqAhead };
  // Attaches `outbox` (replacing any previous connection, which is closed), replays every
  // dispatch after `seq`, then numbers and queues `resumed` (the RESUMED dispatch). kGone when
  // some of them are no longer held; kSeqAhead when `seq` was never sent.
  ResumeOutcome Resume(std::uint64_t seq, std::shared_ptr<Outbox> outbox,
                       const bus::EventPtr& resumed);

  // A heartbeat from the client carried `seq`: the dispatches up to it need no replay. A seq
  // never sent is ignored.
  void Acknowledge(std::uint64_t seq);

  // What moves to another node when this one shuts down: the last seq and the replay buffer.
  // nullopt before Start() (READY was never sent: nothing to resume) and once revoked.
  struct State {
    std::uint64_t seq = 0;
    std::vector<Dispatch> replay;
  };
  std::optional<State> Export() const;
  // Makes a new, detached session the continuation of one exported by another node: started,
  // numbered up to `state.seq`, replaying `state.replay`; events from the origins in `skip` up to
  // their seq are dropped when delivered (the session got them on its old node). Call before
  // the session is registered.
  void Restore(State state, OriginClock skip);

  // The user's sessions were ended (a password reset, a new bot token): the attached connection
  // is closed with 4004, the session can neither start nor be resumed, and it takes no more
  // events.
  void Revoke();
  bool revoked() const;

  // The connection using `outbox` ended; the session keeps recording for a later resume.
  void Detach(const Outbox* outbox);
  // Detached for at least `window_ms` (and not started from another connection since).
  bool ExpiredAt(std::int64_t now_ms, std::int64_t window_ms) const;
  bool attached() const;

 private:
  void NumberLocked(const bus::EventPtr& event, std::int64_t now_ms, bool bounded = true);

  const SessionInfo info_;
  const Clock clock_;
  mutable std::mutex mutex_;
  const std::size_t max_early_;       // replay count bound
  bool started_ = false;              // guarded by mutex_
  bool early_overflowed_ = false;     // guarded by mutex_
  bool revoked_ = false;              // guarded by mutex_
  std::uint64_t seq_ = 0;             // guarded by mutex_
  std::vector<bus::EventPtr> early_;  // before Start(); guarded by mutex_
  ReplayBuffer replay_;               // guarded by mutex_
  std::shared_ptr<Outbox> outbox_;    // guarded by mutex_
  std::int64_t detached_at_ms_ = 0;   // guarded by mutex_
  // Restored sessions only (most sessions pay one pointer); set before registration, then read.
  std::unique_ptr<const OriginClock> skip_;
};

}  // namespace chat::gateway
