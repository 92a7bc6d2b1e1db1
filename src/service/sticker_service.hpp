// service/sticker_service.hpp — a guild's stickers (Discord's /guilds/{id}/stickers): listed and
// read by members, made by holders of CREATE_GUILD_EXPRESSIONS (or MANAGE_GUILD_EXPRESSIONS) from
// an uploaded PNG, APNG or GIF file of at most 512 KiB, changed and deleted by
// MANAGE_GUILD_EXPRESSIONS holders or by their creator; at most 5 per guild (30039). Each change
// is audited (90–92) and announced as GUILD_STICKERS_UPDATE with the guild's whole list. The image
// is served back by Image(). Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "domain/sticker.hpp"
#include "domain/user.hpp"
#include "service/community_common.hpp"
#include "service/image_data.hpp"
#include "store/sticker_store.hpp"

namespace chat::service {

struct StickerView {
  domain::Sticker sticker;
  // Discord's `user`: shown to those who may make or manage stickers.
  std::optional<domain::User> creator;
};

struct StickerInput {
  std::string name;
  std::string description;
  std::string tags;
  std::string_view file;  // the uploaded bytes
};

class StickerService {
 public:
  explicit StickerService(CommunityDeps deps) : deps_(deps) {}

  [[nodiscard]] Result<std::vector<StickerView>> List(domain::Snowflake user_id,
                                                      domain::Snowflake guild_id);
  [[nodiscard]] Result<StickerView> Get(domain::Snowflake user_id, domain::Snowflake guild_id,
                                        domain::Snowflake sticker_id);
  // GET /stickers/{id}: any guild's sticker, as Discord answers it to anyone (without `user`).
  [[nodiscard]] Result<domain::Sticker> Find(domain::Snowflake sticker_id);
  [[nodiscard]] Result<StickerView> Create(domain::Snowflake user_id, domain::Snowflake guild_id,
                                           const StickerInput& input,
                                           const AuditReason& reason = {});
  // Without any field, nothing changes and the sticker is answered as it is.
  [[nodiscard]] Result<StickerView> Modify(domain::Snowflake user_id, domain::Snowflake guild_id,
                                           domain::Snowflake sticker_id,
                                           store::StickerUpdate update,
                                           const AuditReason& reason = {});
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake guild_id,
                                    domain::Snowflake sticker_id, const AuditReason& reason = {});
  // The image's bytes and type, for anyone (sticker images are public on Discord's CDN too).
  [[nodiscard]] Result<ImageFile> Image(domain::Snowflake sticker_id);

 private:
  // The sticker, when it belongs to the guild (10060 otherwise).
  Result<domain::Sticker> OfGuild(domain::Snowflake guild_id, domain::Snowflake sticker_id);
  Result<std::vector<StickerView>> Views(std::vector<domain::Sticker> stickers, bool with_creator);
  // Who may change a sticker: expression managers, and its creator while they may make them.
  Result<void> MayChange(const GuildAccess& access, const domain::Sticker& sticker,
                         domain::Snowflake user_id);
  void Announce(domain::Snowflake guild_id);
  CommunityDeps deps_;
};

// Discord's sticker object (type 2, a guild's); `creator` adds its `user`.
boost::json::object StickerJson(const domain::Sticker& sticker, const domain::User* creator);
// A guild object's `stickers`.
boost::json::array StickersJson(const std::vector<domain::Sticker>& stickers);

}  // namespace chat::service
