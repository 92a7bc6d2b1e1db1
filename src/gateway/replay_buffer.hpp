// gateway/replay_buffer.hpp — the numbered dispatches one session was sent, kept so that a RESUME
// can replay what the client missed. Bounded by count and by age; the payload bytes are shared
// with every other session that got the same event (nothing is copied per session).
// Not thread-safe: its Session guards it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bus/event_bus.hpp"

namespace chat::gateway {

// One dispatch as a session numbered it. The frame on the wire is
// DispatchHead(event->type, seq) + Payload() + "}".
struct Dispatch {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;  // when it was numbered, for the age bound
  bus::EventPtr event;
  bool without_content = false;  // a bot without MESSAGE_CONTENT gets the stripped payload

  const std::string& Payload() const {
    return without_content && event->payload_without_content ? *event->payload_without_content
                                                             : event->payload;
  }
};

struct ReplayLimits {
  std::size_t max_count = 2048;
  std::int64_t max_age_ms = 5 * 60 * 1000;
};

class ReplayBuffer {
 public:
  explicit ReplayBuffer(ReplayLimits limits) : limits_(limits) {}

  // `dispatch.seq` must be last_seq() + 1. Drops the oldest entries beyond the count and those
  // older than max_age relative to dispatch.at_ms.
  void Push(Dispatch dispatch);
  // Every dispatch numbered after `seq`, oldest first, once entries older than max_age (from
  // now_ms) are dropped; nullopt when one of them is no longer held or seq > last_seq().
  std::optional<std::vector<Dispatch>> After(std::uint64_t seq, std::int64_t now_ms);

  // The client has everything up to `seq` (its heartbeat says so) and will never resume from an
  // earlier one: those entries can go. Also applies the age bound as of now_ms.
  void Acknowledge(std::uint64_t seq, std::int64_t now_ms);

  // What a hand-off carries to another node: every entry held, oldest first.
  std::vector<Dispatch> Held() const;
  // The buffer of a session taken over from another node: `entries` must be numbered
  // contiguously up to `last_seq` (or be empty).
  void Reset(std::uint64_t last_seq, std::vector<Dispatch> entries);

  std::uint64_t last_seq() const { return last_seq_; }
  std::size_t size() const { return entries_.size() - head_; }

 private:
  void DropOlderThan(std::int64_t cutoff_ms);
  void PopFront();

  ReplayLimits limits_;
  // A vector read from head_ rather than a std::deque: an empty deque still holds ~600 bytes,
  // and most sessions' buffers are empty (their heartbeats acknowledge everything).
  std::vector<Dispatch> entries_;
  std::size_t head_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace chat::gateway
