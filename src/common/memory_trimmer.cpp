#include "common/memory_trimmer.hpp"

#include <malloc.h>

#include <mutex>

#include "common/log.hpp"

namespace chat {

namespace {
constexpr std::string_view kTarget = "chat_server::memory";
}  // namespace

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds interval)
    : thread_([interval](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        for (;;) {
          // Returns at the interval or as soon as stop is requested (nothing else notifies).
          wake.wait_for(lock, stop, interval, [] { return false; });
          if (stop.stop_requested()) return;
          // Timed so that the pause it can cause an allocating thread is visible
          // (CHAT_LOG=chat_server::memory=debug).
          const auto start = std::chrono::steady_clock::now();
          malloc_trim(0);
          const std::chrono::duration<double, std::milli> took =
              std::chrono::steady_clock::now() - start;
          log::Debug(kTarget, "heap trimmed", {{"duration_ms", took.count()}});
        }
      }) {}

MemoryTrimmer::~MemoryTrimmer() = default;  // jthread requests stop (waking the wait) and joins

}  // namespace chat
