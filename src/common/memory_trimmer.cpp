#include "common/memory_trimmer.hpp"

#include <malloc.h>

#include "common/log.hpp"

namespace chat {

namespace {
constexpr std::string_view kTarget = "chat_server::memory";
}  // namespace

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds interval)
    : task_(interval, [] {
        // Timed so that the pause it can cause an allocating thread is visible
        // (CHAT_LOG=chat_server::memory=debug).
        const auto start = std::chrono::steady_clock::now();
        malloc_trim(0);
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        log::Debug(kTarget, "heap trimmed", {{"duration_ms", took.count()}});
      }) {}

}  // namespace chat
