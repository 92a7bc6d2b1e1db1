// domain/stage_instance.hpp — a live stage (Discord's stage instance): a stage channel's current
// talk, with its topic, open while it exists. At most one per channel. A stage started for a
// scheduled event makes that event ACTIVE, and ending it completes the event.
#pragma once

#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

inline constexpr int kStagePrivacyGuildOnly = 2;  // PUBLIC (1) is deprecated on Discord

struct StageInstance {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  Snowflake channel_id = 0;
  std::string topic;                 // 1–120 characters
  Snowflake scheduled_event_id = 0;  // 0: none
};

}  // namespace chat::domain
