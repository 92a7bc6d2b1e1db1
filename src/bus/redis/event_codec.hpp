// bus/redis/event_codec.hpp — the wire form of a bus::Event between nodes: one JSON object
// {"v":1,"node":…,"seq":…,"type":…,"guild_id":…,"recipients":[…],"intent":…,"payload":…,
// "author_id":…,"payload_without_content":…}, optional fields absent when empty. The payload stays
// an opaque string (any bytes). Decoding never throws: anything else is an Error. Pure functions,
// callable from any thread.
#pragma once

#include <string>
#include <string_view>

#include "bus/event_bus.hpp"
#include "common/result.hpp"

namespace chat::bus::redis {

// Bumped when a field changes meaning; a node drops messages of any other version (logged), so
// a rolling upgrade that changes the format needs every node on the new version first.
inline constexpr int kWireVersion = 1;

struct WireEvent {
  std::string node_id;  // the publishing node, so it can skip its own event coming back
  Event event;          // event.origin is node_id; event.origin_seq is "seq" (0 when absent)
};

std::string EncodeEvent(const Event& event, std::string_view node_id);
[[nodiscard]] Result<WireEvent> DecodeEvent(std::string_view text);

}  // namespace chat::bus::redis
