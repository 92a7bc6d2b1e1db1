#include "gateway/session.hpp"

#include <algorithm>
#include <utility>

#include "gateway/protocol.hpp"

namespace chat::gateway {

Session::Session(SessionInfo info, ReplayLimits limits, Clock clock)
    : info_(std::move(info)), clock_(clock), max_early_(limits.max_count), replay_(limits) {}

bool InShard(std::optional<domain::Snowflake> guild_id, int shard_id, int shard_count) {
  if (shard_count <= 1) return true;
  if (!guild_id) return shard_id == 0;
  return static_cast<int>((*guild_id >> 22) % static_cast<std::uint64_t>(shard_count)) == shard_id;
}

bool Session::Wants(const bus::Event& event) const {
  if (!InShard(event.guild_id, info_.shard_id, info_.shard_count)) return false;
  if (event.intent == bus::Intent::kNone) return true;
  return (info_.intents >> static_cast<int>(event.intent)) & 1;
}

void Session::Deliver(const bus::EventPtr& event) {
  if (!Wants(*event)) return;
  if (skip_) {
    auto it = skip_->find(event->origin);
    if (it != skip_->end() && event->origin_seq <= it->second) return;
  }
  std::lock_guard lock(mutex_);
  if (revoked_) return;
  if (!started_) {
    if (early_overflowed_) return;
    if (early_.size() >= max_early_) {
      early_overflowed_ = true;
      std::vector<bus::EventPtr>().swap(early_);
      return;
    }
    early_.push_back(event);
    return;
  }
  NumberLocked(event, clock_());
}

void Session::NumberLocked(const bus::EventPtr& event, std::int64_t now_ms, bool bounded) {
  Dispatch d;
  d.seq = ++seq_;
  d.at_ms = now_ms;
  d.event = event;
  d.without_content = info_.bot && !(info_.intents & kMessageContentIntent) &&
                      event->payload_without_content.has_value() &&
                      event->author_id != info_.user_id &&
                      std::find(event->mentioned.begin(), event->mentioned.end(), info_.user_id) ==
                          event->mentioned.end();
  replay_.Push(d);
  if (outbox_ && !outbox_->Push(OutFrame{{}, std::move(d)}, bounded)) {
    // Overflowed or closing: that connection is finished; the replay buffer keeps the rest.
    outbox_.reset();
    detached_at_ms_ = now_ms;
  }
}

bool Session::Start(const std::vector<bus::EventPtr>& burst, std::shared_ptr<Outbox> outbox) {
  std::lock_guard lock(mutex_);
  if (early_overflowed_ || revoked_) return false;
  outbox_ = std::move(outbox);
  started_ = true;
  const std::int64_t now = clock_();
  // The burst is as long as the user's guild list; the live backlog limit does not apply to it.
  for (const auto& e : burst) NumberLocked(e, now, /*bounded=*/false);
  std::vector<bus::EventPtr> early;
  early.swap(early_);
  for (const auto& e : early) NumberLocked(e, now, /*bounded=*/false);
  return true;
}

Session::ResumeOutcome Session::Resume(std::uint64_t seq, std::shared_ptr<Outbox> outbox,
                                       const bus::EventPtr& resumed) {
  std::lock_guard lock(mutex_);
  if (!started_ || revoked_) return ResumeOutcome::kGone;
  const std::int64_t now = clock_();
  if (seq > seq_) return ResumeOutcome::kSeqAhead;
  auto missed = replay_.After(seq, now);
  if (!missed) return ResumeOutcome::kGone;
  if (outbox_ && outbox_ != outbox) outbox_->Close(CloseCode::kUnknownError);
  outbox_ = std::move(outbox);
  for (auto& d : *missed) {
    if (!outbox_->Push(OutFrame{{}, std::move(d)}, /*bounded=*/false)) {
      outbox_.reset();  // the connection is already closing
      detached_at_ms_ = now;
      return ResumeOutcome::kResumed;
    }
  }
  NumberLocked(resumed, now, /*bounded=*/false);
  return ResumeOutcome::kResumed;
}

std::optional<Session::State> Session::Export() const {
  std::lock_guard lock(mutex_);
  if (!started_ || revoked_) return std::nullopt;
  return State{seq_, replay_.Held()};
}

void Session::Restore(State state, OriginClock skip) {
  std::lock_guard lock(mutex_);
  started_ = true;
  seq_ = state.seq;
  replay_.Reset(state.seq, std::move(state.replay));
  detached_at_ms_ = clock_();
  if (!skip.empty()) skip_ = std::make_unique<const OriginClock>(std::move(skip));
}

void Session::Acknowledge(std::uint64_t seq) {
  std::lock_guard lock(mutex_);
  if (seq > seq_) return;
  replay_.Acknowledge(seq, clock_());
}

void Session::Revoke() {
  std::lock_guard lock(mutex_);
  if (revoked_) return;
  revoked_ = true;
  if (outbox_) outbox_->Close(CloseCode::kAuthenticationFailed);
  outbox_.reset();
  detached_at_ms_ = clock_();
  std::vector<bus::EventPtr>().swap(early_);
}

bool Session::revoked() const {
  std::lock_guard lock(mutex_);
  return revoked_;
}

void Session::Detach(const Outbox* outbox) {
  std::lock_guard lock(mutex_);
  if (outbox_.get() != outbox) return;
  outbox_.reset();
  detached_at_ms_ = clock_();
}

bool Session::ExpiredAt(std::int64_t now_ms, std::int64_t window_ms) const {
  std::lock_guard lock(mutex_);
  return !outbox_ && now_ms - detached_at_ms_ >= window_ms;
}

bool Session::attached() const {
  std::lock_guard lock(mutex_);
  return outbox_ != nullptr;
}

}  // namespace chat::gateway
