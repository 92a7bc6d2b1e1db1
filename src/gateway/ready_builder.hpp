// gateway/ready_builder.hpp — the dispatches a new session starts with: READY (user, unavailable
// guild stubs, session, application, DMs) and one GUILD_CREATE per guild (channels the user may
// view, roles, members up to large_threshold). Reads the store synchronously: call it on the db
// pool. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "gateway/presence.hpp"
#include "gateway/voice_states.hpp"
#include "store/store.hpp"

namespace chat::gateway {

struct ReadyInput {
  domain::Snowflake user_id = 0;
  std::string session_id;
  std::string resume_gateway_url;
  int version = 10;
  int large_threshold = 50;
  std::optional<std::pair<int, int>> shard;
  // Discord's rule: without GUILD_PRESENCES, GUILD_CREATE's members are only the user and those
  // in voice channels, and its presences are empty. It also keeps READY cheap to build and small
  // to hold (a bot in a large guild rarely asks for presences).
  bool presences_intent = true;
  const PresenceTracker* presences = nullptr;  // for GUILD_CREATE's presences; may be null
  const VoiceStates* voice = nullptr;          // for GUILD_CREATE's voice_states; may be null
};

// READY first, then the GUILD_CREATEs, each a bus::Event carrying its serialized "d".
// NotFound when the user no longer exists; store errors as they come.
[[nodiscard]] Result<std::vector<bus::EventPtr>> BuildReady(store::Store& store,
                                                            const ReadyInput& input,
                                                            std::int64_t now_ms);

// A locally produced dispatch (RESUMED, the seed extension's errors) as an event.
bus::EventPtr LocalDispatch(std::string type, std::string payload);

}  // namespace chat::gateway
