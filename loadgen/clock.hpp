// loadgen/clock.hpp — the one time base of a run: steady microseconds since process start. Senders
// and receivers live in the same process, so a send timestamp embedded in a message is directly
// comparable with the receive time.
#pragma once

#include <cstdint>

namespace chat::loadgen {

std::int64_t NowUs();

}  // namespace chat::loadgen
