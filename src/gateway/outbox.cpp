#include "gateway/outbox.hpp"

#include <utility>

namespace chat::gateway {

bool Outbox::Push(OutFrame frame, bool bounded) {
  std::lock_guard lock(mutex_);
  if (close_) return false;
  const std::size_t bytes = frame.Bytes();
  if (bounded && (queue_.size() >= limits_.max_frames || bytes_ + bytes > limits_.max_bytes)) {
    // Dropping the backlog is safe: every dispatch in it is still in the session's replay
    // buffer, and the client resumes from the last seq it actually received.
    std::vector<OutFrame>().swap(queue_);
    bytes_ = 0;
    overflowed_ = true;
    close_ = CloseCode::kUnknownError;
    WakeLocked();
    return false;
  }
  bytes_ += bytes;
  queue_.push_back(std::move(frame));
  WakeLocked();
  return true;
}

void Outbox::Close(CloseCode code) {
  std::lock_guard lock(mutex_);
  if (close_) return;
  close_ = code;
  WakeLocked();
}

bool Outbox::Take(std::vector<OutFrame>& out, std::optional<CloseCode>& close) {
  out.clear();
  std::lock_guard lock(mutex_);
  close = close_;
  if (queue_.empty() && !close_) {
    writer_waiting_ = true;
    return false;
  }
  out.swap(queue_);
  bytes_ = 0;
  return true;
}

void Outbox::Nudge() {
  std::lock_guard lock(mutex_);
  WakeLocked();
}

bool Outbox::closing() const {
  std::lock_guard lock(mutex_);
  return close_.has_value();
}

bool Outbox::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

void Outbox::WakeLocked() {
  if (!writer_waiting_) return;
  writer_waiting_ = false;
  if (wake_) wake_();
}

}  // namespace chat::gateway
