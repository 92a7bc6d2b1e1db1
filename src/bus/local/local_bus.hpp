// bus/local/local_bus.hpp — the in-process event bus of a single node (no REDIS_URL). Publish
// calls every subscriber synchronously on the publishing thread, under a shared lock, so an event
// is seen by every subscriber in publish order per publisher. Thread-safe.
#pragma once

#include <map>
#include <shared_mutex>

#include "bus/event_bus.hpp"

namespace chat::bus {

class LocalBus final : public EventBus {
 public:
  void Publish(Event event) override;
  std::uint64_t Subscribe(Handler handler) override;
  void Unsubscribe(std::uint64_t id) override;

 private:
  std::shared_mutex mutex_;
  std::map<std::uint64_t, Handler> handlers_;  // guarded by mutex_
  std::uint64_t next_id_ = 1;                  // guarded by mutex_
};

}  // namespace chat::bus
