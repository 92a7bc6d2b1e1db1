// domain/channel.hpp — guild channels and DMs, with their permission overwrites.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

// Discord's channel type numbers; the seed's 'text'/'voice' map to 0/2.
enum class ChannelType : int {
  kGuildText = 0,
  kDm = 1,
  kGuildVoice = 2,
  kGroupDm = 3,
  kGuildCategory = 4,
  kGuildAnnouncement = 5,
};

enum class OverwriteType : int { kRole = 0, kMember = 1 };

struct PermissionOverwrite {
  Snowflake id = 0;  // role id or user id
  OverwriteType type = OverwriteType::kRole;
  std::uint64_t allow = 0;
  std::uint64_t deny = 0;
};

struct Channel {
  Snowflake id = 0;
  std::optional<Snowflake> guild_id;  // empty for DMs
  ChannelType type = ChannelType::kGuildText;
  std::string name;
  int position = 0;
  std::optional<Snowflake> parent_id;
  std::optional<std::string> topic;
  bool nsfw = false;
  int rate_limit_per_user = 0;  // slowmode seconds
  int bitrate = 0;
  int user_limit = 0;
  std::optional<Snowflake> last_message_id;
  std::vector<PermissionOverwrite> overwrites;
  std::vector<Snowflake> recipient_ids;  // DMs only
};

}  // namespace chat::domain
