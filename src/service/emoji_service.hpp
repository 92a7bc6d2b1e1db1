// service/emoji_service.hpp — a guild's custom emojis (Discord's /guilds/{id}/emojis): listed and
// read by members, made by holders of CREATE_GUILD_EXPRESSIONS (or MANAGE_GUILD_EXPRESSIONS),
// renamed and deleted by MANAGE_GUILD_EXPRESSIONS holders or by their creator; each change is
// audited (60–62) and announced as GUILD_EMOJIS_UPDATE with the guild's whole list. The image
// comes as a data URI (PNG, JPEG, GIF or WebP, checked by its magic bytes, 256 KiB at most) and is
// served back by Image(). Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/emoji.hpp"
#include "domain/user.hpp"
#include "service/community_common.hpp"
#include "service/image_data.hpp"

namespace chat::service {

struct EmojiView {
  domain::CustomEmoji emoji;
  std::optional<domain::User> creator;  // Discord's `user`: shown to expression managers
};

// An emoji's image as served: its bytes and their type.
using EmojiFile = ImageFile;

struct EmojiInput {
  std::string name;
  std::string image;  // data:image/<type>;base64,<data>
};

class EmojiService {
 public:
  explicit EmojiService(CommunityDeps deps) : deps_(deps) {}

  [[nodiscard]] Result<std::vector<EmojiView>> List(domain::Snowflake user_id,
                                                    domain::Snowflake guild_id);
  [[nodiscard]] Result<EmojiView> Get(domain::Snowflake user_id, domain::Snowflake guild_id,
                                      domain::Snowflake emoji_id);
  // 30008 when the guild has its 50 of the kind (static or animated) already.
  [[nodiscard]] Result<EmojiView> Create(domain::Snowflake user_id, domain::Snowflake guild_id,
                                         const EmojiInput& input, const AuditReason& reason = {});
  // Without a name, nothing changes and the emoji is answered as it is.
  [[nodiscard]] Result<EmojiView> Rename(domain::Snowflake user_id, domain::Snowflake guild_id,
                                         domain::Snowflake emoji_id,
                                         const std::optional<std::string>& name,
                                         const AuditReason& reason = {});
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake guild_id,
                                    domain::Snowflake emoji_id, const AuditReason& reason = {});
  // The image's bytes and type, for anyone (emoji images are public on Discord's CDN too).
  [[nodiscard]] Result<EmojiFile> Image(domain::Snowflake emoji_id);

 private:
  // The emoji, when it belongs to the guild (10014 otherwise).
  Result<domain::CustomEmoji> OfGuild(domain::Snowflake guild_id, domain::Snowflake emoji_id);
  Result<std::vector<EmojiView>> Views(std::vector<domain::CustomEmoji> emojis, bool with_creator);
  void Announce(domain::Snowflake guild_id);
  CommunityDeps deps_;
};

// Discord's emoji object; `creator` adds its `user`.
boost::json::object EmojiJson(const domain::CustomEmoji& emoji, const domain::User* creator);
// A guild object's `emojis`.
boost::json::array EmojisJson(const std::vector<domain::CustomEmoji>& emojis);

}  // namespace chat::service
