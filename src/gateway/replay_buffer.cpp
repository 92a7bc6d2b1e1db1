#include "gateway/replay_buffer.hpp"

#include <utility>

namespace chat::gateway {

void ReplayBuffer::PopFront() {
  entries_[head_++].event.reset();
  if (head_ == entries_.size()) {
    entries_.clear();
    head_ = 0;
    if (entries_.capacity() > 16) std::vector<Dispatch>().swap(entries_);  // idle: no memory
  } else if (head_ >= 64 && head_ * 2 >= entries_.size()) {
    // Compact once the dead prefix is half the vector: amortized O(1) per entry.
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void ReplayBuffer::Push(Dispatch dispatch) {
  last_seq_ = dispatch.seq;
  const std::int64_t at = dispatch.at_ms;
  entries_.push_back(std::move(dispatch));
  while (size() > limits_.max_count) PopFront();
  DropOlderThan(at - limits_.max_age_ms);
}

std::optional<std::vector<Dispatch>> ReplayBuffer::After(std::uint64_t seq, std::int64_t now_ms) {
  DropOlderThan(now_ms - limits_.max_age_ms);
  if (seq > last_seq_) return std::nullopt;
  if (size() == 0) {
    // Everything was acknowledged or aged out: only a client that is fully caught up resumes.
    if (seq == last_seq_) return std::vector<Dispatch>();
    return std::nullopt;
  }
  // Entries are contiguous: the oldest held is last_seq_ - size() + 1.
  const std::uint64_t first_held = last_seq_ - size() + 1;
  if (seq + 1 < first_held) return std::nullopt;
  const auto from = static_cast<std::ptrdiff_t>(head_ + (seq + 1 - first_held));
  return std::vector<Dispatch>(entries_.begin() + from, entries_.end());
}

void ReplayBuffer::Acknowledge(std::uint64_t seq, std::int64_t now_ms) {
  while (size() > 0 && entries_[head_].seq <= seq) PopFront();
  DropOlderThan(now_ms - limits_.max_age_ms);
}

std::vector<Dispatch> ReplayBuffer::Held() const {
  return std::vector<Dispatch>(entries_.begin() + static_cast<std::ptrdiff_t>(head_),
                               entries_.end());
}

void ReplayBuffer::Reset(std::uint64_t last_seq, std::vector<Dispatch> entries) {
  entries_ = std::move(entries);
  head_ = 0;
  last_seq_ = last_seq;
  while (size() > limits_.max_count) PopFront();
}

void ReplayBuffer::DropOlderThan(std::int64_t cutoff_ms) {
  while (size() > 0 && entries_[head_].at_ms < cutoff_ms) PopFront();
}

}  // namespace chat::gateway
