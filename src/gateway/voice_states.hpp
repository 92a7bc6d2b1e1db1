// gateway/voice_states.hpp — who sits in which voice channel on this node (signalling only, no
// media): the state behind op 4, VOICE_STATE_UPDATE and GUILD_CREATE's `voice_states`. One state
// per (guild, user); a session's states go when the session ends. Thread-safe (one mutex).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/snowflake.hpp"

namespace chat::gateway {

struct VoiceState {
  domain::Snowflake guild_id = 0;
  domain::Snowflake user_id = 0;
  std::optional<domain::Snowflake> channel_id;  // empty: left (only in the update sent out)
  std::string session_id;
  bool self_mute = false;
  bool self_deaf = false;
};

// Discord's voice state object (VOICE_STATE_UPDATE's d, GUILD_CREATE's voice_states entries).
boost::json::object VoiceStateJson(const VoiceState& state);

class VoiceStates {
 public:
  // Joins, moves or (channel_id empty) leaves. Returns false when nothing changed.
  bool Set(const VoiceState& state);
  std::vector<VoiceState> InGuild(domain::Snowflake guild_id) const;
  // Removes and returns the states held by a session that ended (as "left" states).
  std::vector<VoiceState> TakeSession(const std::string& session_id);

 private:
  mutable std::mutex mutex_;
  std::vector<VoiceState> states_;  // guarded by mutex_; few per node, so a flat list
};

}  // namespace chat::gateway
