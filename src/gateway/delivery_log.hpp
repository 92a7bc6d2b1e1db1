// gateway/delivery_log.hpp — the events this node's gateway delivered lately, and, per origin
// node, the last origin_seq delivered (its clock). A session handed over from a node that shut
// down carries that node's clock; comparing it with ours says exactly which events it missed in
// between (delivered here after its old node stopped: replay them from this log) and which it
// already has (not yet delivered here: skip them when they come). A node's events arrive
// everywhere in origin_seq order (bus/redis), which is what makes a clock of maxima exact.
// Bounded by count, bytes and age (an entry keeps its event, recipient list included, alive);
// a hand-off reaching past what was dropped cannot resume.
// Not thread-safe: the gateway calls it under its delivery lock, in delivery order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bus/event_bus.hpp"

namespace chat::gateway {

// Per origin node, the last origin_seq delivered.
using OriginClock = std::map<std::string, std::uint64_t, std::less<>>;

// Where a session stood when its node handed it off.
struct HandoffPoint {
  OriginClock clock;       // the old node's clock at that moment
  std::int64_t at_ms = 0;  // unix milliseconds
};

class DeliveryLog {
 public:
  // `since_ms`: when this node began delivering (it knows nothing of what came before).
  DeliveryLog(std::size_t max_count, std::size_t max_bytes, std::int64_t max_age_ms,
              std::int64_t since_ms)
      : max_count_(max_count),
        max_bytes_(max_bytes),
        max_age_ms_(max_age_ms),
        since_ms_(since_ms) {}

  // Every event the gateway delivers, in delivery order. Events without an origin (the
  // in-process bus) are not logged.
  void Append(const bus::EventPtr& event, std::int64_t now_ms);

  const OriginClock& clock() const { return clock_; }

  // The logged events that a session handed off at `point` did not get, in delivery order:
  // from an origin the old node knew, those numbered past its clock; from an origin it had never
  // heard of, those delivered here after the hand-off. nullopt when one of them may be missing:
  // dropped from the log, or never seen here (this node started after the hand-off, or its
  // first event from an origin came after a gap behind the old node's clock).
  std::optional<std::vector<bus::EventPtr>> Missed(const HandoffPoint& point) const;

  // The origins whose events the session has beyond what was delivered here: those events must
  // be skipped when they arrive (Session::SkipUpTo).
  OriginClock Ahead(const OriginClock& old_clock) const;

  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    bus::EventPtr event;
    std::int64_t at_ms;
    std::size_t bytes;
  };
  struct Dropped {
    std::uint64_t seq = 0;   // highest origin_seq dropped
    std::int64_t at_ms = 0;  // when the latest dropped one was delivered
  };
  void DropFront();

  const std::size_t max_count_;
  const std::size_t max_bytes_;
  const std::int64_t max_age_ms_;
  const std::int64_t since_ms_;
  std::deque<Entry> entries_;
  OriginClock first_seen_;  // per origin, the first origin_seq delivered here
  std::size_t bytes_ = 0;   // what the logged events hold, roughly
  OriginClock clock_;
  std::map<std::string, Dropped, std::less<>> dropped_;
};

}  // namespace chat::gateway
