// domain/guild.hpp — a community (the seed's "servers" table; Discord's guild).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

struct Guild {
  Snowflake id = 0;
  std::string name;
  Snowflake owner_id = 0;
  std::optional<std::string> icon;  // the seed's icon_url
  std::optional<std::string> description;
  std::int64_t created_at_ms = 0;
  // Guild settings Discord's guild object carries (PATCH /guilds/{id}).
  std::optional<Snowflake> system_channel_id;
  std::optional<Snowflake> afk_channel_id;
  int afk_timeout = 300;  // seconds
  int verification_level = 0;
  int default_message_notifications = 0;
  int explicit_content_filter = 0;
  std::string preferred_locale = "en-US";
};

struct Role {
  Snowflake id = 0;  // the @everyone role's id equals its guild's id
  Snowflake guild_id = 0;
  std::string name;
  std::uint64_t permissions = 0;
  int position = 0;
  std::optional<std::uint32_t> color;
  bool hoist = false;
  bool mentionable = false;
};

struct Member {
  Snowflake guild_id = 0;
  Snowflake user_id = 0;
  std::optional<std::string> nickname;
  std::int64_t joined_at_ms = 0;
  std::optional<std::int64_t> communication_disabled_until_ms;  // timeout
  std::vector<Snowflake> role_ids;                              // excludes @everyone
};

}  // namespace chat::domain
