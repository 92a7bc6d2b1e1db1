// gateway/session_record.hpp — a gateway session in transit between nodes: what a node shutting
// down writes to the shared hand-off store (bus/handoff_store.hpp) so that the client's RESUME
// on another node continues it. JSON, versioned; decoding validates every field (the store is
// outside this process) and never throws. Pure functions, callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "gateway/delivery_log.hpp"
#include "gateway/presence.hpp"
#include "gateway/session.hpp"
#include "gateway/voice_states.hpp"

namespace chat::gateway {

inline constexpr int kSessionRecordVersion = 1;

// One dispatch of the replay buffer, with the payload this session was sent.
struct RecordedDispatch {
  std::uint64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string type;
  std::string payload;
};

struct SessionRecord {
  SessionInfo info;
  std::uint64_t seq = 0;                 // the last seq the session numbered
  std::vector<RecordedDispatch> replay;  // contiguous, ending at seq (or empty)
  HandoffPoint point;                    // the old node's clock at hand-off
  Presence presence;
  std::vector<VoiceState> voice;  // the voice states the session held (absent in older records)
};

// Where the record of `session_id` of `user` is stored. The user is part of the key, so a token
// of another user cannot take someone else's session.
std::string SessionRecordKey(domain::Snowflake user, std::string_view session_id);

std::string EncodeSessionRecord(const SessionRecord& record);
[[nodiscard]] Result<SessionRecord> DecodeSessionRecord(std::string_view text);

// Between a live session's exported state and its record's fields.
std::vector<RecordedDispatch> RecordReplay(const std::vector<Dispatch>& replay);
std::vector<Dispatch> RestoreReplay(const std::vector<RecordedDispatch>& replay);

}  // namespace chat::gateway
