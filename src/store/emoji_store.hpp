// store/emoji_store.hpp — guilds' custom emojis and their images. Deleting a guild deletes its
// emojis. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/emoji.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kUnknownEmoji = 10014;
inline Error UnknownEmoji() { return Error::NotFound("Unknown Emoji", kUnknownEmoji); }

class EmojiStore {
 public:
  virtual ~EmojiStore() = default;

  // Stores the emoji unless its guild already has `max` emojis of its kind (static or animated):
  // the count and the insert are one transaction, so concurrent creations never pass `max`.
  // Returns false (nothing stored) at the limit. NotFound 10004 for an unknown guild.
  [[nodiscard]] virtual Result<bool> CreateEmoji(const domain::CustomEmoji& emoji,
                                                 const domain::EmojiImage& image,
                                                 std::size_t max) = 0;
  // NotFound 10014 when absent (Get, Rename, Delete, image).
  [[nodiscard]] virtual Result<domain::CustomEmoji> GetEmoji(domain::Snowflake id) = 0;
  // Ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::CustomEmoji>> ListEmojis(
      domain::Snowflake guild_id) = 0;
  [[nodiscard]] virtual Result<domain::CustomEmoji> RenameEmoji(domain::Snowflake id,
                                                                const std::string& name) = 0;
  [[nodiscard]] virtual Result<void> DeleteEmoji(domain::Snowflake id) = 0;
  [[nodiscard]] virtual Result<domain::EmojiImage> GetEmojiImage(domain::Snowflake id) = 0;
};

}  // namespace chat::store
