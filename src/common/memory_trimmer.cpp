#include "common/memory_trimmer.hpp"

#include <malloc.h>

#include <mutex>

namespace chat {

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds interval)
    : thread_([interval](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        for (;;) {
          // Returns at the interval or as soon as stop is requested (nothing else notifies).
          wake.wait_for(lock, stop, interval, [] { return false; });
          if (stop.stop_requested()) return;
          malloc_trim(0);
        }
      }) {}

MemoryTrimmer::~MemoryTrimmer() = default;  // jthread requests stop (waking the wait) and joins

}  // namespace chat
