// domain/sticker.hpp — a guild's stickers: an image with a name, a description and tags (the
// words Discord's client suggests it for). The image is served by the server
// (/stickers/{id}.{ext}), as Discord's CDN does.
#pragma once

#include <cstddef>
#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

// Discord's limits for a guild without boosts: 5 stickers of at most 512 KiB.
inline constexpr std::size_t kMaxGuildStickers = 5;
inline constexpr std::size_t kMaxStickerBytes = 512 * 1024;
// A message carries at most 3 stickers.
inline constexpr std::size_t kMaxMessageStickers = 3;

// Discord's sticker format types (Lottie, for Discord's own stickers, is not taken here).
enum class StickerFormat : int { kPng = 1, kApng = 2, kLottie = 3, kGif = 4 };

struct Sticker {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  std::string name;         // 2–30 characters
  std::string description;  // empty: none; else 2–100 characters
  std::string tags;         // 1–200 characters
  StickerFormat format = StickerFormat::kPng;
  Snowflake creator_id = 0;
};

struct StickerImage {
  std::string base64;        // the file's bytes, checked when stored
  std::string content_type;  // image/png or image/gif
};

}  // namespace chat::domain
