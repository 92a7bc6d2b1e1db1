#include "common/memory_trimmer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

namespace chat {
namespace {

// A server's shutdown must not wait out the interval: with an hour-long one, this test would
// hang until ctest's timeout.
TEST(MemoryTrimmer, StopsWithoutWaitingOutItsInterval) {
  const MemoryTrimmer trimmer(std::chrono::hours(1));
}

// Trims while other threads allocate and free (the sanitizer pass checks the interplay).
TEST(MemoryTrimmer, TrimsWhileTheHeapIsInUse) {
  const MemoryTrimmer trimmer(std::chrono::milliseconds(1));
  std::size_t kept = 0;
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 64; ++i) blocks.push_back(std::make_unique<char[]>(4096));
    blocks[static_cast<std::size_t>(round) % 64][0] = 1;
    kept += blocks.size();
  }
  EXPECT_EQ(kept, 2000u * 64u);
}

}  // namespace
}  // namespace chat
