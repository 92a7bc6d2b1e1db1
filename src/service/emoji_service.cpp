#include "service/emoji_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "service/image_data.hpp"
#include "store/emoji_store.hpp"

namespace chat::service {
namespace perm = domain::perm;
namespace json = boost::json;
using domain::Snowflake;

namespace {

// data:image/<type>;base64,<data> → the stored form, once the bytes are a known image.
Result<domain::EmojiImage> ParseImage(const std::string& uri) {
  auto image = ParseDataImage(uri, "image", domain::kMaxEmojiBytes);
  if (!image) return image.error();
  return domain::EmojiImage{std::move(image->base64), std::move(image->content_type)};
}

std::optional<FieldError> CheckName(const std::string& name) {
  if (domain::IsEmojiName(name)) return std::nullopt;
  return FieldError{"name", "BASE_TYPE_BAD_LENGTH",
                    "Must be between 2 and 32 in length, of letters, digits and underscores."};
}

json::object AuditFields(const domain::CustomEmoji& e) { return {{"name", e.name}}; }

}  // namespace

json::object EmojiJson(const domain::CustomEmoji& e, const domain::User* creator) {
  json::object o{{"id", domain::ToString(e.id)},
                 {"name", e.name},
                 {"roles", json::array()},
                 {"require_colons", true},
                 {"managed", false},
                 {"animated", e.animated},
                 {"available", true}};
  if (creator) o["user"] = domain::json::UserJson(*creator);
  return o;
}

json::array EmojisJson(const std::vector<domain::CustomEmoji>& emojis) {
  json::array out;
  for (const auto& e : emojis) out.push_back(EmojiJson(e, nullptr));
  return out;
}

Result<std::vector<EmojiView>> EmojiService::Views(std::vector<domain::CustomEmoji> emojis,
                                                   bool with_creator) {
  std::vector<EmojiView> out;
  out.reserve(emojis.size());
  std::vector<domain::User> users;  // read only when they are shown
  if (with_creator) {
    std::vector<Snowflake> ids;
    for (const auto& e : emojis) ids.push_back(e.creator_id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto read = deps_.store.ListUsers(ids);
    if (!read) return read.error();
    users = std::move(*read);
  }
  for (auto& e : emojis) {
    EmojiView v{std::move(e), std::nullopt};
    auto u = std::find_if(users.begin(), users.end(),
                          [&](const domain::User& x) { return x.id == v.emoji.creator_id; });
    if (u != users.end()) v.creator = *u;
    out.push_back(std::move(v));
  }
  return out;
}

Result<domain::CustomEmoji> EmojiService::OfGuild(Snowflake guild_id, Snowflake emoji_id) {
  auto e = deps_.store.GetEmoji(emoji_id);
  if (!e) return e.error();
  if (e->guild_id != guild_id) return store::UnknownEmoji();
  return e;
}

void EmojiService::Announce(Snowflake guild_id) {
  auto emojis = deps_.store.ListEmojis(guild_id);
  if (!emojis) return;
  PublishToGuild(
      deps_, "GUILD_EMOJIS_UPDATE", guild_id, bus::Intent::kGuildExpressions,
      json::object{{"guild_id", domain::ToString(guild_id)}, {"emojis", EmojisJson(*emojis)}});
}

Result<std::vector<EmojiView>> EmojiService::List(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto emojis = deps_.store.ListEmojis(guild_id);
  if (!emojis) return emojis.error();
  return Views(std::move(*emojis), perm::Has(ga->permissions, perm::kManageGuildExpressions));
}

Result<EmojiView> EmojiService::Get(Snowflake user_id, Snowflake guild_id, Snowflake emoji_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto e = OfGuild(guild_id, emoji_id);
  if (!e) return e.error();
  auto views = Views({std::move(*e)}, perm::Has(ga->permissions, perm::kManageGuildExpressions));
  if (!views) return views.error();
  return std::move(views->front());
}

Result<EmojiView> EmojiService::Create(Snowflake user_id, Snowflake guild_id,
                                       const EmojiInput& input, const AuditReason& reason) {
  if (auto bad = CheckName(input.name)) return Error::Validation("Invalid Form Body", {*bad});
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  if (!(ga->permissions & (perm::kCreateGuildExpressions | perm::kManageGuildExpressions))) {
    return MissingPermissions();
  }
  auto image = ParseImage(input.image);
  if (!image) return image.error();
  domain::CustomEmoji e;
  e.id = deps_.ids.Next();
  e.guild_id = guild_id;
  e.name = input.name;
  e.animated = image->content_type == "image/gif";
  e.creator_id = user_id;
  const std::size_t max = e.animated ? domain::kMaxAnimatedEmojis : domain::kMaxStaticEmojis;
  auto stored = deps_.store.CreateEmoji(e, *image, max);
  if (!stored) return stored.error();
  if (!*stored) {
    return Error{Errc::kValidation,
                 "Maximum number of emojis reached (" + std::to_string(max) + ")", 30008};
  }
  RecordAudit(deps_.audit, guild_id, user_id, e.id, domain::AuditLogAction::kEmojiCreate,
              AuditDiff({}, AuditFields(e)), reason);
  Announce(guild_id);
  auto views = Views({e}, perm::Has(ga->permissions, perm::kManageGuildExpressions));
  if (!views) return views.error();
  return std::move(views->front());
}

Result<EmojiView> EmojiService::Rename(Snowflake user_id, Snowflake guild_id, Snowflake emoji_id,
                                       const std::optional<std::string>& name,
                                       const AuditReason& reason) {
  if (name) {
    if (auto bad = CheckName(*name)) return Error::Validation("Invalid Form Body", {*bad});
  }
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto before = OfGuild(guild_id, emoji_id);
  if (!before) return before.error();
  const bool manager = perm::Has(ga->permissions, perm::kManageGuildExpressions);
  const bool own =
      before->creator_id == user_id && perm::Has(ga->permissions, perm::kCreateGuildExpressions);
  if (!manager && !own) return MissingPermissions();
  if (!name) {  // nothing to change (discord.py sends only `roles`, which are not kept here)
    auto views = Views({std::move(*before)}, manager);
    if (!views) return views.error();
    return std::move(views->front());
  }
  auto after = deps_.store.RenameEmoji(emoji_id, *name);
  if (!after) return after.error();
  if (auto changes = AuditDiff(AuditFields(*before), AuditFields(*after)); !changes.empty()) {
    RecordAudit(deps_.audit, guild_id, user_id, emoji_id, domain::AuditLogAction::kEmojiUpdate,
                std::move(changes), reason);
  }
  Announce(guild_id);
  auto views = Views({std::move(*after)}, manager);
  if (!views) return views.error();
  return std::move(views->front());
}

Result<void> EmojiService::Delete(Snowflake user_id, Snowflake guild_id, Snowflake emoji_id,
                                  const AuditReason& reason) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto e = OfGuild(guild_id, emoji_id);
  if (!e) return e.error();
  const bool manager = perm::Has(ga->permissions, perm::kManageGuildExpressions);
  const bool own =
      e->creator_id == user_id && perm::Has(ga->permissions, perm::kCreateGuildExpressions);
  if (!manager && !own) return MissingPermissions();
  if (auto r = deps_.store.DeleteEmoji(emoji_id); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, emoji_id, domain::AuditLogAction::kEmojiDelete,
              AuditDiff(AuditFields(*e), {}), reason);
  Announce(guild_id);
  return {};
}

Result<EmojiFile> EmojiService::Image(Snowflake emoji_id) {
  auto image = deps_.store.GetEmojiImage(emoji_id);
  if (!image) return image.error();
  return DecodeStoredImage(image->base64, std::move(image->content_type));
}

}  // namespace chat::service
