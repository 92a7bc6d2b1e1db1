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

std::string EncodeVoiceState(const VoiceState& s) {
  // Session ids are hex: no tab in any field.
  return domain::ToString(s.guild_id) + "\t" + domain::ToString(s.user_id) + "\t" +
         (s.channel_id ? domain::ToString(*s.channel_id) : std::string()) + "\t" + s.session_id +
         "\t" + (s.self_mute ? "1" : "0") + (s.self_deaf ? "1" : "0");
}

std::optional<VoiceState> DecodeVoiceState(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto tab = text.find('\t', start);
    parts.push_back(text.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (parts.size() != 5 || parts[4].size() != 2) return std::nullopt;
  auto guild = domain::ParseSnowflake(parts[0]);
  auto user = domain::ParseSnowflake(parts[1]);
  auto channel = domain::ParseSnowflake(parts[2]);
  if (!guild || !user || !channel || parts[3].empty()) return std::nullopt;
  return VoiceState{
      *guild, *user, *channel, std::string(parts[3]), parts[4][0] == '1', parts[4][1] == '1'};
}

void VoiceStates::Failed(const Error& error) const {
  outage_.Failed(error);
  resync_ = true;
}

bool VoiceStates::Set(const VoiceState& state, bool unless_taken) {
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(states_.begin(), states_.end(), [&](const VoiceState& s) {
      return s.guild_id == state.guild_id && s.user_id == state.user_id;
    });
    if (!state.channel_id) {
      changed = it != states_.end();
      if (changed) states_.erase(it);
    } else if (it == states_.end()) {
      states_.push_back(state);
      changed = true;
    } else {
      changed = it->channel_id != state.channel_id || it->self_mute != state.self_mute ||
                it->self_deaf != state.self_deaf || it->session_id != state.session_id;
      *it = state;
    }
  }
  if (directory_ != nullptr) {
    // A leave is the user's, whichever node holds their state: always told.
    if (!changed && state.channel_id) return false;
    auto put = directory_->PutVoice(state.guild_id, state.user_id, state.session_id,
                                    state.channel_id ? EncodeVoiceState(state) : std::string(),
                                    unless_taken);
    if (put) {
      outage_.Worked();
      return *put || changed;
    }
    Failed(put.error());
  }
  return changed;
}

std::vector<VoiceState> VoiceStates::InGuild(domain::Snowflake guild_id) const {
  std::vector<VoiceState> out;
  if (directory_ != nullptr) {
    auto shared = directory_->VoiceInGuild(guild_id);
    if (shared) {
      outage_.Worked();
      for (const auto& text : *shared) {
        if (auto s = DecodeVoiceState(text)) out.push_back(std::move(*s));
      }
      return out;
    }
    Failed(shared.error());
  }
  std::lock_guard lock(mutex_);
  for (const auto& s : states_) {
    if (s.guild_id == guild_id) out.push_back(s);
  }
  return out;
}

std::vector<VoiceState> VoiceStates::TakeSession(const std::string& session_id) {
  std::vector<VoiceState> taken;
  {
    std::lock_guard lock(mutex_);
    auto keep = std::stable_partition(states_.begin(), states_.end(), [&](const VoiceState& s) {
      return s.session_id != session_id;
    });
    taken.assign(keep, states_.end());
    states_.erase(keep, states_.end());
  }
  std::vector<VoiceState> left;
  for (auto& s : taken) {
    if (directory_ != nullptr) {
      auto dropped = directory_->DropVoice(s.guild_id, s.user_id, session_id);
      if (dropped) {
        outage_.Worked();
        if (!*dropped) continue;  // taken over by a session elsewhere: not left
      } else {
        Failed(dropped.error());
      }
    }
    s.channel_id.reset();
    left.push_back(std::move(s));
  }
  return left;
}

std::vector<VoiceState> VoiceStates::OfSession(const std::string& session_id) const {
  std::lock_guard lock(mutex_);
  std::vector<VoiceState> out;
  for (const auto& s : states_) {
    if (s.session_id == session_id) out.push_back(s);
  }
  return out;
}

std::vector<VoiceState> VoiceStates::Resync(bool forced) {
  std::vector<VoiceState> put_back;
  if (directory_ == nullptr || (!resync_.exchange(false) && !forced)) return put_back;
  std::vector<VoiceState> here;
  {
    std::lock_guard lock(mutex_);
    here = states_;
  }
  for (const auto& s : here) {
    // Only where missing or still this session's: a state another session took is newer.
    auto put = directory_->PutVoice(s.guild_id, s.user_id, s.session_id, EncodeVoiceState(s),
                                    /*unless_taken=*/true);
    if (!put) {
      Failed(put.error());
      return put_back;
    }
    if (*put) put_back.push_back(s);
  }
  return put_back;
}

}  // namespace chat::gateway
