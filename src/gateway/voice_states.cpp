#include "gateway/voice_states.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace chat::gateway {

boost::json::object VoiceStateJson(const VoiceState& s) {
  boost::json::object o;
  o["guild_id"] = domain::ToString(s.guild_id);
  o["channel_id"] = s.channel_id ? boost::json::value(domain::ToString(*s.channel_id))
                                 : boost::json::value(nullptr);
  o["user_id"] = domain::ToString(s.user_id);
  o["session_id"] = s.session_id;
  o["deaf"] = false;
  o["mute"] = false;
  o["self_deaf"] = s.self_deaf;
  o["self_mute"] = s.self_mute;
  o["self_video"] = false;
  o["suppress"] = false;
  o["request_to_speak_timestamp"] = nullptr;
  return o;
}

bool VoiceStates::Set(const VoiceState& state) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(states_.begin(), states_.end(), [&](const VoiceState& s) {
    return s.guild_id == state.guild_id && s.user_id == state.user_id;
  });
  if (!state.channel_id) {
    if (it == states_.end()) return false;
    states_.erase(it);
    return true;
  }
  if (it == states_.end()) {
    states_.push_back(state);
    return true;
  }
  const bool changed = it->channel_id != state.channel_id || it->self_mute != state.self_mute ||
                       it->self_deaf != state.self_deaf || it->session_id != state.session_id;
  *it = state;
  return changed;
}

std::vector<VoiceState> VoiceStates::InGuild(domain::Snowflake guild_id) const {
  std::lock_guard lock(mutex_);
  std::vector<VoiceState> out;
  for (const auto& s : states_) {
    if (s.guild_id == guild_id) out.push_back(s);
  }
  return out;
}

std::vector<VoiceState> VoiceStates::TakeSession(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  std::vector<VoiceState> out;
  auto keep = std::stable_partition(states_.begin(), states_.end(), [&](const VoiceState& s) {
    return s.session_id != session_id;
  });
  for (auto it = keep; it != states_.end(); ++it) {
    out.push_back(*it);
    out.back().channel_id.reset();
  }
  states_.erase(keep, states_.end());
  return out;
}

}  // namespace chat::gateway
