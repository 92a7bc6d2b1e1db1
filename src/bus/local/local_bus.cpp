#include "bus/local/local_bus.hpp"

#include <mutex>

namespace chat::bus {

void LocalBus::Publish(Event event) {
  auto shared = std::make_shared<const Event>(std::move(event));
  std::shared_lock lock(mutex_);
  for (const auto& [id, handler] : handlers_) handler(shared);
}

std::uint64_t LocalBus::Subscribe(Handler handler) {
  std::unique_lock lock(mutex_);
  const auto id = next_id_++;
  handlers_.emplace(id, std::move(handler));
  return id;
}

void LocalBus::Unsubscribe(std::uint64_t id) {
  std::unique_lock lock(mutex_);
  handlers_.erase(id);
}

}  // namespace chat::bus
