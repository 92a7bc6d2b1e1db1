#include "service/sticker_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"
#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "service/attachment_service.hpp"

namespace chat::service {
namespace perm = domain::perm;
namespace json = boost::json;
using domain::Snowflake;

namespace {

// A text field within [min, max] code points (an empty optional one is "none").
void CheckText(std::vector<FieldError>& errors, const char* field, const std::string& text,
               std::size_t min, std::size_t max, bool optional) {
  if (auto bad = domain::ValidateText(field, text)) {
    errors.push_back(*bad);
    return;
  }
  const std::size_t n = domain::json::CodePoints(text);
  if ((n < min || n > max) && !(optional && n == 0)) {
    errors.push_back(
        {field, "BASE_TYPE_BAD_LENGTH",
         "Must be between " + std::to_string(min) + " and " + std::to_string(max) + " in length."});
  }
}

void CheckFields(std::vector<FieldError>& errors, const store::StickerUpdate& u) {
  if (u.name) CheckText(errors, "name", *u.name, 2, 30, false);
  if (u.description) CheckText(errors, "description", *u.description, 2, 100, true);
  if (u.tags) CheckText(errors, "tags", *u.tags, 1, 200, false);
}

// Whether a PNG is animated: an APNG has an acTL chunk before its first IDAT.
bool IsApng(std::string_view png) {
  std::size_t at = 8;  // past the signature
  while (at + 8 <= png.size()) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(png[at + i]); };
    const std::size_t length = (std::size_t{byte(0)} << 24) | (std::size_t{byte(1)} << 16) |
                               (std::size_t{byte(2)} << 8) | std::size_t{byte(3)};
    const std::string_view type = png.substr(at + 4, 4);
    if (type == "acTL") return true;
    if (type == "IDAT" || length > png.size()) return false;
    at += 12 + length;  // length, type, data, CRC
  }
  return false;
}

// PNG (APNG when animated) or GIF, by the bytes; Lottie is Discord's own.
Result<std::pair<domain::StickerFormat, std::string>> FormatOf(std::string_view file) {
  if (file.size() > domain::kMaxStickerBytes) {
    return Error{Errc::kPayloadTooLarge, "File cannot be larger than 512.0 kb.", 50045};
  }
  const std::string type = DetectContentType(file, "application/octet-stream");
  if (type == "image/gif") return std::pair{domain::StickerFormat::kGif, type};
  if (type == "image/png") {
    return std::pair{IsApng(file) ? domain::StickerFormat::kApng : domain::StickerFormat::kPng,
                     type};
  }
  return Error::Validation("Invalid Form Body",
                           {{"file", "STICKER_FILE_INVALID", "A sticker is a PNG, APNG or GIF."}});
}

// Discord shows a sticker's `user` to those who may make or manage stickers.
bool ShowsCreators(std::uint64_t permissions) {
  return (permissions & (perm::kCreateGuildExpressions | perm::kManageGuildExpressions)) != 0;
}

json::object AuditFields(const domain::Sticker& s) {
  return {{"name", s.name}, {"description", s.description}, {"tags", s.tags}};
}

}  // namespace

json::object StickerJson(const domain::Sticker& s, const domain::User* creator) {
  json::object o{
      {"id", domain::ToString(s.id)},
      {"name", s.name},
      {"description", s.description.empty() ? json::value(nullptr) : json::value(s.description)},
      {"tags", s.tags},
      {"type", 2},
      {"format_type", static_cast<int>(s.format)},
      {"available", true},
      {"guild_id", domain::ToString(s.guild_id)}};
  if (creator) o["user"] = domain::json::UserJson(*creator);
  return o;
}

json::array StickersJson(const std::vector<domain::Sticker>& stickers) {
  json::array out;
  for (const auto& s : stickers) out.push_back(StickerJson(s, nullptr));
  return out;
}

Result<std::vector<StickerView>> StickerService::Views(std::vector<domain::Sticker> stickers,
                                                       bool with_creator) {
  std::vector<domain::User> users;  // read only when they are shown
  if (with_creator) {
    std::vector<Snowflake> ids;
    for (const auto& s : stickers) ids.push_back(s.creator_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto read = deps_.store.ListUsers(ids);
    if (!read) return read.error();
    users = std::move(*read);
  }
  std::vector<StickerView> out;
  out.reserve(stickers.size());
  for (auto& s : stickers) {
    StickerView v{std::move(s), std::nullopt};
    auto u = std::find_if(users.begin(), users.end(),
                          [&](const domain::User& x) { return x.id == v.sticker.creator_id; });
    if (u != users.end()) v.creator = *u;
    out.push_back(std::move(v));
  }
  return out;
}

Result<domain::Sticker> StickerService::OfGuild(Snowflake guild_id, Snowflake sticker_id) {
  auto s = deps_.store.GetSticker(sticker_id);
  if (!s) return s.error();
  if (s->guild_id != guild_id) return store::UnknownSticker();
  return s;
}

Result<void> StickerService::MayChange(const GuildAccess& access, const domain::Sticker& sticker,
                                       Snowflake user_id) {
  const bool manager = perm::Has(access.permissions, perm::kManageGuildExpressions);
  const bool own =
      sticker.creator_id == user_id && perm::Has(access.permissions, perm::kCreateGuildExpressions);
  if (!manager && !own) return MissingPermissions();
  return {};
}

void StickerService::Announce(Snowflake guild_id) {
  auto stickers = deps_.store.ListStickers(guild_id);
  if (!stickers) return;
  PublishToGuild(deps_, "GUILD_STICKERS_UPDATE", guild_id, bus::Intent::kGuildExpressions,
                 json::object{{"guild_id", domain::ToString(guild_id)},
                              {"stickers", StickersJson(*stickers)}});
}

Result<std::vector<StickerView>> StickerService::List(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto stickers = deps_.store.ListStickers(guild_id);
  if (!stickers) return stickers.error();
  return Views(std::move(*stickers), ShowsCreators(ga->permissions));
}

Result<StickerView> StickerService::Get(Snowflake user_id, Snowflake guild_id,
                                        Snowflake sticker_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto s = OfGuild(guild_id, sticker_id);
  if (!s) return s.error();
  auto views = Views({std::move(*s)}, ShowsCreators(ga->permissions));
  if (!views) return views.error();
  return std::move(views->front());
}

Result<domain::Sticker> StickerService::Find(Snowflake sticker_id) {
  return deps_.store.GetSticker(sticker_id);
}

Result<StickerView> StickerService::Create(Snowflake user_id, Snowflake guild_id,
                                           const StickerInput& input, const AuditReason& reason) {
  std::vector<FieldError> errors;
  CheckFields(errors, store::StickerUpdate{input.name, input.description, input.tags});
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  if (!(ga->permissions & (perm::kCreateGuildExpressions | perm::kManageGuildExpressions))) {
    return MissingPermissions();
  }
  auto format = FormatOf(input.file);
  if (!format) return format.error();
  domain::Sticker s;
  s.id = deps_.ids.Next();
  s.guild_id = guild_id;
  s.name = input.name;
  s.description = input.description;
  s.tags = input.tags;
  s.format = format->first;
  s.creator_id = user_id;
  const domain::StickerImage image{EncodeBase64(input.file), format->second};
  auto stored = deps_.store.CreateSticker(s, image, domain::kMaxGuildStickers);
  if (!stored) return stored.error();
  if (!*stored) {
    return Error{
        Errc::kValidation,
        "Maximum number of stickers reached (" + std::to_string(domain::kMaxGuildStickers) + ")",
        30039};
  }
  RecordAudit(deps_.audit, guild_id, user_id, s.id, domain::AuditLogAction::kStickerCreate,
              AuditDiff({}, AuditFields(s)), reason);
  Announce(guild_id);
  auto views = Views({s}, ShowsCreators(ga->permissions));
  if (!views) return views.error();
  return std::move(views->front());
}

Result<StickerView> StickerService::Modify(Snowflake user_id, Snowflake guild_id,
                                           Snowflake sticker_id, store::StickerUpdate update,
                                           const AuditReason& reason) {
  std::vector<FieldError> errors;
  CheckFields(errors, update);
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto before = OfGuild(guild_id, sticker_id);
  if (!before) return before.error();
  if (auto r = MayChange(*ga, *before, user_id); !r) return r.error();
  const bool shows_creator = ShowsCreators(ga->permissions);
  if (!update.name && !update.description && !update.tags) {
    auto views = Views({std::move(*before)}, shows_creator);
    if (!views) return views.error();
    return std::move(views->front());
  }
  auto after = deps_.store.UpdateSticker(sticker_id, update);
  if (!after) return after.error();
  if (auto changes = AuditDiff(AuditFields(*before), AuditFields(*after)); !changes.empty()) {
    RecordAudit(deps_.audit, guild_id, user_id, sticker_id, domain::AuditLogAction::kStickerUpdate,
                std::move(changes), reason);
  }
  Announce(guild_id);
  auto views = Views({std::move(*after)}, shows_creator);
  if (!views) return views.error();
  return std::move(views->front());
}

Result<void> StickerService::Delete(Snowflake user_id, Snowflake guild_id, Snowflake sticker_id,
                                    const AuditReason& reason) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto s = OfGuild(guild_id, sticker_id);
  if (!s) return s.error();
  if (auto r = MayChange(*ga, *s, user_id); !r) return r.error();
  if (auto r = deps_.store.DeleteSticker(sticker_id); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, sticker_id, domain::AuditLogAction::kStickerDelete,
              AuditDiff(AuditFields(*s), {}), reason);
  Announce(guild_id);
  return {};
}

Result<ImageFile> StickerService::Image(Snowflake sticker_id) {
  auto image = deps_.store.GetStickerImage(sticker_id);
  if (!image) return image.error();
  return DecodeStoredImage(image->base64, std::move(image->content_type));
}

}  // namespace chat::service
