#include "common/periodic_task.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>

#include "common/log.hpp"

namespace chat {

namespace {
constexpr std::string_view kPeriodicTarget = "chat_server::periodic";
}  // namespace

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> work,
                           Start start)
    : thread_([interval, start, work = std::move(work)](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        for (bool first = true;; first = false) {
          // Returns at the interval or as soon as stop is requested (nothing else notifies).
          if (!first || start == Start::kAfterInterval) {
            wake.wait_for(lock, stop, interval, [] { return false; });
          }
          if (stop.stop_requested()) return;
          try {
            work();
          } catch (const std::exception& e) {
            // A failed run is skipped, not fatal: the next interval tries again.
            log::Error(kPeriodicTarget, "periodic task failed", {{"error", e.what()}});
          }
        }
      }) {}

PeriodicTask::~PeriodicTask() = default;  // jthread requests stop (waking the wait) and joins

}  // namespace chat
