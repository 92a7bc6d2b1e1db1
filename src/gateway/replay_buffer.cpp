#include "gateway/replay_buffer.hpp"

#include <utility>

namespace chat::gateway {

void ReplayBuffer::Push(Dispatch dispatch) {
  last_seq_ = dispatch.seq;
  const std::int64_t at = dispatch.at_ms;
  entries_.push_back(std::move(dispatch));
  while (entries_.size() > limits_.max_count) entries_.pop_front();
  DropOlderThan(at - limits_.max_age_ms);
}

std::optional<std::vector<Dispatch>> ReplayBuffer::After(std::uint64_t seq, std::int64_t now_ms) {
  DropOlderThan(now_ms - limits_.max_age_ms);
  if (seq > last_seq_) return std::nullopt;
  if (entries_.empty()) {
    // Everything was acknowledged or aged out: only a client that is fully caught up resumes.
    if (seq == last_seq_) return std::vector<Dispatch>();
    return std::nullopt;
  }
  // Entries are contiguous: the oldest held is last_seq_ - size() + 1.
  const std::uint64_t first_held = last_seq_ - entries_.size() + 1;
  if (seq + 1 < first_held) return std::nullopt;
  std::vector<Dispatch> out(entries_.begin() + static_cast<std::ptrdiff_t>(seq + 1 - first_held),
                            entries_.end());
  return out;
}

void ReplayBuffer::Acknowledge(std::uint64_t seq, std::int64_t now_ms) {
  while (!entries_.empty() && entries_.front().seq <= seq) entries_.pop_front();
  DropOlderThan(now_ms - limits_.max_age_ms);
  if (entries_.empty()) std::deque<Dispatch>().swap(entries_);  // give the node memory back
}

void ReplayBuffer::DropOlderThan(std::int64_t cutoff_ms) {
  while (!entries_.empty() && entries_.front().at_ms < cutoff_ms) entries_.pop_front();
}

}  // namespace chat::gateway
