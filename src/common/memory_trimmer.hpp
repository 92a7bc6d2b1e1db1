// common/memory_trimmer.hpp — hands the heap's free pages back to the system now and then.
//
// glibc's malloc keeps freed memory inside its arenas and returns it only from the top of a heap.
// A gateway session's READY and GUILD_CREATE (a few KiB each, built on the database threads) are
// freed once the client acknowledges them, but between allocations that live on, so without
// this an idle node's RSS keeps ~1.5 KiB per session that nothing uses. malloc_trim(0) releases
// the free pages of every arena; it holds one arena's lock at a time for a few milliseconds, so
// it runs on a PeriodicTask's thread, every `interval`, never on an I/O thread.
#pragma once

#include <chrono>

#include "common/periodic_task.hpp"

namespace chat {

class MemoryTrimmer {
 public:
  explicit MemoryTrimmer(std::chrono::milliseconds interval);

 private:
  PeriodicTask task_;
};

}  // namespace chat
