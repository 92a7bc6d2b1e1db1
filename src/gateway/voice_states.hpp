// gateway/voice_states.hpp — who sits in which voice channel (signalling only, no media): the
// state behind op 4, VOICE_STATE_UPDATE and GUILD_CREATE's `voice_states`. One state per (guild,
// user); a session's states go when the session ends. With several nodes, the deployment's
// (bus/presence_directory.hpp). Thread-safe (one mutex, never held across I/O).
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "bus/presence_directory.hpp"
#include "bus/shared_keys.hpp"
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

// A state as the PresenceDirectory keeps it, and back (nullopt: not one of ours).
std::string EncodeVoiceState(const VoiceState& state);
std::optional<VoiceState> DecodeVoiceState(std::string_view text);

class VoiceStates {
 public:
  // Shares the states with the other nodes through `directory` from now on (null: this node
  // alone). Set once before serving. Shared, the calls below may block on the network: call them
  // from a blocking pool. Whenever the directory fails (logged once per outage), this node's own
  // states answer.
  void Share(bus::PresenceDirectory* directory) { directory_ = directory; }

  // Joins, moves or (channel_id empty) leaves. Returns false when nothing changed. With
  // `unless_taken` (a hand-off), a state another session took meanwhile is left as it is.
  bool Set(const VoiceState& state, bool unless_taken = false);
  std::vector<VoiceState> InGuild(domain::Snowflake guild_id) const;
  // Removes the states held by a session that ended, and returns those it still held (a session
  // on another node may have taken one over) as "left" states.
  std::vector<VoiceState> TakeSession(const std::string& session_id);
  // Puts this node's states into the directory again where they are missing, when `forced` (the
  // directory lost this node's entries) or a call failed since. Returns those put back: the
  // others may have been told they left.
  std::vector<VoiceState> Resync(bool forced);
  // This node's states held by the session (for its hand-off to another node).
  std::vector<VoiceState> OfSession(const std::string& session_id) const;

 private:
  bus::PresenceDirectory* directory_ = nullptr;
  mutable bus::SharedKeysOutageLog outage_{
      "voice states", "this node shows only its own sessions' voice states until they are back"};
  void Failed(const Error& error) const;  // logs the outage; the next Resync runs
  mutable std::atomic<bool> resync_{false};
  mutable std::mutex mutex_;
  std::vector<VoiceState> states_;  // this node's; guarded by mutex_; few, so a flat list
};

}  // namespace chat::gateway
