#include "loadgen/clock.hpp"

#include <chrono>

namespace chat::loadgen {

namespace {
const auto kStart = std::chrono::steady_clock::now();
}  // namespace

std::int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               kStart)
      .count();
}

}  // namespace chat::loadgen
