#include "service/reaction_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {

namespace perm = domain::perm;
using domain::Snowflake;

Error UnknownEmoji() {
  Error e = Error::Validation("Unknown Emoji");
  e.api_code = 10014;
  return e;
}

boost::json::object EmojiJson(const Emoji& emoji) {
  return {{"id", emoji.id ? boost::json::value(domain::ToString(*emoji.id)) : nullptr},
          {"name", emoji.name}};
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string Emoji::Key() const { return id ? name + ":" + domain::ToString(*id) : name; }

Result<Emoji> ParseEmoji(std::string_view text) {
  if (text.empty() || text.size() > 64 || !domain::IsValidUtf8(text)) return UnknownEmoji();
  if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    std::string_view name = text.substr(0, colon);
    if (name.starts_with("a:")) name.remove_prefix(2);  // animated custom emoji
    auto id = domain::ParseSnowflake(text.substr(colon + 1));
    if (!id || name.size() < 2 || name.size() > 32 ||
        !std::all_of(name.begin(), name.end(), IsNameChar)) {
      return UnknownEmoji();
    }
    return Emoji{std::string(name), id};
  }
  // A unicode emoji has at least one non-ASCII code point; "abc" is no emoji.
  const bool has_non_ascii = std::any_of(
      text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (!has_non_ascii || domain::ContainsNul(text)) return UnknownEmoji();
  return Emoji{std::string(text), std::nullopt};
}

void ReactionService::Publish(const char* type, const ChannelAccess& access,
                              boost::json::object payload) {
  auto viewers = access_.ChannelViewers(access.channel);
  if (!viewers) return;  // committed already; a lost event is better than a failed call
  if (access.channel.guild_id) payload["guild_id"] = domain::ToString(*access.channel.guild_id);
  bus::Event event;
  event.type = type;
  event.guild_id = access.channel.guild_id;
  event.recipients = std::move(*viewers);
  event.intent =
      access.guild ? bus::Intent::kGuildMessageReactions : bus::Intent::kDirectMessageReactions;
  event.payload = boost::json::serialize(payload);
  bus_.Publish(std::move(event));
}

Emoji ReactionService::Canonical(const Emoji& emoji) {
  if (!emoji.id) return emoji;
  auto custom = store_.GetEmoji(*emoji.id);
  if (!custom) return emoji;  // deleted since: its reactions keep the name they were stored under
  return Emoji{custom->name, emoji.id};
}

Result<void> ReactionService::Add(Snowflake user_id, Snowflake channel_id, Snowflake message_id,
                                  const Emoji& asked) {
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kReadMessageHistory);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  Emoji emoji = asked;
  if (emoji.id) {
    // A custom emoji must exist, and is named as stored, whatever name the client sent; one of
    // another guild takes USE_EXTERNAL_EMOJIS and membership of that guild.
    auto custom = store_.GetEmoji(*emoji.id);
    if (!custom) {
      return custom.error().code == Errc::kNotFound ? UnknownEmoji() : custom.error();
    }
    emoji.name = custom->name;
    const bool external = !access->guild || custom->guild_id != access->guild->guild.id;
    if (external) {
      if (!perm::Has(access->permissions, perm::kUseExternalEmojis)) return MissingPermissions();
      auto member = store_.GetMember(custom->guild_id, user_id);
      if (!member) {
        return member.error().code == Errc::kNotFound ? UnknownEmoji() : member.error();
      }
    }
  }
  const std::string key = emoji.Key();
  if ((access->permissions & perm::kAddReactions) == 0) {
    // Without ADD_REACTIONS one may still join a reaction that is already there.
    const Snowflake ids[] = {message_id};
    auto existing = store_.ListReactionSummaries(ids, user_id);
    if (!existing) return existing.error();
    const bool present =
        std::any_of(existing->begin(), existing->end(),
                    [&](const store::ReactionSummary& s) { return s.emoji == key; });
    if (!present) return MissingPermissions();
  }
  auto added = store_.AddReaction(message_id, user_id, key, clock_());
  if (!added) return added.error();
  if (!*added) return {};  // already reacted: no event, as Discord

  boost::json::object payload{{"user_id", domain::ToString(user_id)},
                              {"channel_id", domain::ToString(channel_id)},
                              {"message_id", domain::ToString(message_id)},
                              {"message_author_id", domain::ToString(message->author_id)},
                              {"emoji", EmojiJson(emoji)},
                              {"burst", false},
                              {"type", 0}};
  if (access->guild) {
    auto user = store_.GetUser(user_id);
    if (user) payload["member"] = domain::json::MemberJson(access->guild->member, *user);
  }
  Publish("MESSAGE_REACTION_ADD", *access, std::move(payload));
  return {};
}

Result<void> ReactionService::Remove(Snowflake actor_id, Snowflake channel_id, Snowflake message_id,
                                     const Emoji& asked, Snowflake user_id) {
  const Emoji emoji = Canonical(asked);
  const std::uint64_t required =
      perm::kViewChannel | (actor_id == user_id ? 0 : perm::kManageMessages);
  auto access = access_.RequireChannel(actor_id, channel_id, required);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  if (actor_id != user_id && !access->guild) return MissingPermissions();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  auto removed = store_.RemoveReaction(message_id, user_id, emoji.Key());
  if (!removed) return removed.error();
  if (!*removed) return {};
  Publish("MESSAGE_REACTION_REMOVE", *access,
          {{"user_id", domain::ToString(user_id)},
           {"channel_id", domain::ToString(channel_id)},
           {"message_id", domain::ToString(message_id)},
           {"emoji", EmojiJson(emoji)},
           {"burst", false},
           {"type", 0}});
  return {};
}

Result<void> ReactionService::RemoveAll(Snowflake actor_id, Snowflake channel_id,
                                        Snowflake message_id, const std::optional<Emoji>& asked) {
  std::optional<Emoji> emoji;
  if (asked) emoji = Canonical(*asked);
  auto access =
      access_.RequireChannel(actor_id, channel_id, perm::kViewChannel | perm::kManageMessages);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  if (!access->guild) return MissingPermissions();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  std::optional<std::string> key;
  if (emoji) key = emoji->Key();
  auto removed = store_.RemoveReactions(message_id, key);
  if (!removed) return removed.error();
  boost::json::object payload{{"channel_id", domain::ToString(channel_id)},
                              {"message_id", domain::ToString(message_id)}};
  if (emoji) {
    payload["emoji"] = EmojiJson(*emoji);
    Publish("MESSAGE_REACTION_REMOVE_EMOJI", *access, std::move(payload));
  } else {
    Publish("MESSAGE_REACTION_REMOVE_ALL", *access, std::move(payload));
  }
  return {};
}

Result<std::vector<domain::User>> ReactionService::Users(Snowflake user_id, Snowflake channel_id,
                                                         Snowflake message_id, const Emoji& asked,
                                                         Snowflake after, int limit) {
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kReadMessageHistory);
  if (!access) return access.error();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  auto ids = store_.ListReactionUsers(message_id, Canonical(asked).Key(), after, limit);
  if (!ids) return ids.error();
  std::vector<domain::User> users;
  for (Snowflake id : *ids) {
    auto user = store_.GetUser(id);
    if (user) {
      users.push_back(std::move(*user));
    } else if (user.error().code != Errc::kNotFound) {
      return user.error();
    }
  }
  return users;
}

}  // namespace chat::service
