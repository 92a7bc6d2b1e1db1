#include "gateway/delivery_log.hpp"

#include <algorithm>

namespace chat::gateway {

namespace {

std::size_t Footprint(const bus::Event& e) {
  return sizeof(bus::Event) + e.type.size() + e.payload.size() +
         (e.payload_without_content ? e.payload_without_content->size() : 0) + e.origin.size() +
         (e.recipients.size() + e.mentioned.size()) * sizeof(domain::Snowflake);
}

}  // namespace

void DeliveryLog::Append(const bus::EventPtr& event, std::int64_t now_ms) {
  if (event->origin.empty()) return;
  auto& last = clock_[event->origin];
  last = std::max(last, event->origin_seq);
  first_seen_.try_emplace(event->origin, event->origin_seq);
  const std::size_t bytes = Footprint(*event);
  entries_.push_back(Entry{event, now_ms, bytes});
  bytes_ += bytes;
  while (entries_.size() > max_count_ || (bytes_ > max_bytes_ && !entries_.empty())) DropFront();
  while (!entries_.empty() && entries_.front().at_ms < now_ms - max_age_ms_) DropFront();
}

void DeliveryLog::DropFront() {
  const auto& front = entries_.front();
  auto& d = dropped_[front.event->origin];
  d.seq = std::max(d.seq, front.event->origin_seq);
  d.at_ms = std::max(d.at_ms, front.at_ms);
  bytes_ -= front.bytes;
  entries_.pop_front();
}

std::optional<std::vector<bus::EventPtr>> DeliveryLog::Missed(const HandoffPoint& point) const {
  if (point.at_ms < since_ms_) return std::nullopt;
  for (const auto& [origin, seq] : point.clock) {
    auto first = first_seen_.find(origin);
    if (first != first_seen_.end() && first->second > seq + 1) return std::nullopt;
  }
  for (const auto& [origin, d] : dropped_) {
    auto known = point.clock.find(origin);
    const bool lost = known != point.clock.end() ? d.seq > known->second : d.at_ms > point.at_ms;
    if (lost) return std::nullopt;
  }
  std::vector<bus::EventPtr> missed;
  for (const auto& e : entries_) {
    auto known = point.clock.find(e.event->origin);
    const bool after =
        known != point.clock.end() ? e.event->origin_seq > known->second : e.at_ms > point.at_ms;
    if (after) missed.push_back(e.event);
  }
  return missed;
}

OriginClock DeliveryLog::Ahead(const OriginClock& old_clock) const {
  OriginClock ahead;
  for (const auto& [origin, seq] : old_clock) {
    auto here = clock_.find(origin);
    if (here == clock_.end() || here->second < seq) ahead.emplace(origin, seq);
  }
  return ahead;
}

}  // namespace chat::gateway
