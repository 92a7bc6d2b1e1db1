// store/sticker_store.hpp — guilds' stickers and their images. Deleting a guild deletes its
// stickers. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "domain/sticker.hpp"

namespace chat::store {

inline constexpr int kUnknownSticker = 10060;
inline Error UnknownSticker() { return Error::NotFound("Unknown Sticker", kUnknownSticker); }

// A sticker's fields that change; absent ones stay as they are.
struct StickerUpdate {
  std::optional<std::string> name;
  std::optional<std::string> description;  // empty: none
  std::optional<std::string> tags;
};

class StickerStore {
 public:
  virtual ~StickerStore() = default;

  // Stores the sticker unless its guild already has `max`: the count and the insert are one
  // transaction, so concurrent creations never pass `max`. Returns false (nothing stored) at the
  // limit. NotFound 10004 for an unknown guild.
  [[nodiscard]] virtual Result<bool> CreateSticker(const domain::Sticker& sticker,
                                                   const domain::StickerImage& image,
                                                   std::size_t max) = 0;
  // NotFound 10060 when absent (Get, Update, Delete, image).
  [[nodiscard]] virtual Result<domain::Sticker> GetSticker(domain::Snowflake id) = 0;
  // Ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::Sticker>> ListStickers(
      domain::Snowflake guild_id) = 0;
  [[nodiscard]] virtual Result<domain::Sticker> UpdateSticker(domain::Snowflake id,
                                                              const StickerUpdate& update) = 0;
  [[nodiscard]] virtual Result<void> DeleteSticker(domain::Snowflake id) = 0;
  [[nodiscard]] virtual Result<domain::StickerImage> GetStickerImage(domain::Snowflake id) = 0;
};

}  // namespace chat::store
