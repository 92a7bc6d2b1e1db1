// gateway/member_chunks.hpp — the GUILD_MEMBERS_CHUNK dispatches that answer op 8 (Request Guild
// Members): by user ids, by name prefix, or every member, at most 1000 per chunk. Reads the store
// synchronously: call it on the db pool. Thread-safe (no state).
#pragma once

#include <vector>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "gateway/protocol.hpp"
#include "store/store.hpp"

namespace chat::gateway {

inline constexpr int kMembersPerChunk = 1000;

// Someone who is not a member of the guild (or an unknown or malformed guild id) gets one empty
// chunk, so a client waiting for the answer is not left hanging and learns nothing.
[[nodiscard]] Result<std::vector<bus::EventPtr>> BuildMemberChunks(
    store::Store& store, domain::Snowflake requester, const RequestGuildMembers& request);

}  // namespace chat::gateway
