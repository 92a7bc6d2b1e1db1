// domain/emoji.hpp — a guild's custom emoji: a name and an image members use as :name: in
// messages and reactions. The image itself is served by the server (/emojis/{id}.{ext}), as
// Discord's CDN does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/snowflake.hpp"

namespace chat::domain {

// Discord's limits for a guild without boosts: 50 static and 50 animated emojis, 256 KiB each.
inline constexpr std::size_t kMaxStaticEmojis = 50;
inline constexpr std::size_t kMaxAnimatedEmojis = 50;
inline constexpr std::size_t kMaxEmojiBytes = 256 * 1024;

struct CustomEmoji {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  std::string name;       // 2–32 of [A-Za-z0-9_]
  bool animated = false;  // a GIF
  Snowflake creator_id = 0;
};

struct EmojiImage {
  std::string base64;        // the image, as its data URI carried it (checked when stored)
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
};

// Discord's emoji name rule: 2 to 32 characters, each a letter, a digit or '_'.
constexpr bool IsEmojiName(std::string_view name) {
  if (name.size() < 2 || name.size() > 32) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace chat::domain
