#include "bus/shared_keys.hpp"

#include "common/log.hpp"

namespace chat::bus {

void SharedKeysOutageLog::Failed(const Error& error) {
  if (!down_.exchange(true)) {
    log::Warn("bus", "shared " + what_ + " unavailable; " + meanwhile_, {{"error", error.message}});
  }
}

void SharedKeysOutageLog::Worked() {
  if (down_.exchange(false)) log::Info("bus", "shared " + what_ + ": back");
}

}  // namespace chat::bus
