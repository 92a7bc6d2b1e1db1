#include "gateway/writer_wakes.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace chat::gateway {

WriterWakes::WriterWakes(net::io_context& context)
    : net::execution_context::service(context), context_(context) {}

WriterWakes& WriterWakes::Of(const net::any_io_executor& executor) {
  const auto* io = executor.target<net::io_context::executor_type>();
  if (!io) throw std::logic_error("gateway connections need an io_context executor");
  return net::use_service<WriterWakes>(io->context());
}

void WriterWakes::Wake(std::shared_ptr<WriterWake> wake) {
  std::lock_guard lock(mutex_);
  pending_.push_back(std::move(wake));
  if (scheduled_) return;
  scheduled_ = true;
  net::post(context_, [this] { Run(); });
}

void WriterWakes::Run() {
  if (next_ == running_.size()) {
    // The last batch is done: take what arrived meanwhile, or stop until the next Wake().
    running_.clear();
    next_ = 0;
    std::lock_guard lock(mutex_);
    running_.swap(pending_);  // both keep their capacity for the next burst
    if (running_.empty()) {
      scheduled_ = false;
      return;
    }
  }
  const std::size_t end = std::min(running_.size(), next_ + kMaxPerTurn);
  while (next_ < end) {
    const auto wake = std::move(running_[next_++]);
    if (wake->resume) wake->resume();
  }
  // Still scheduled: the next turn continues this batch or finds the next one.
  net::post(context_, [this] { Run(); });
}

void WriterWakes::shutdown() {
  std::lock_guard lock(mutex_);
  pending_.clear();
  running_.clear();
  next_ = 0;
}

}  // namespace chat::gateway
