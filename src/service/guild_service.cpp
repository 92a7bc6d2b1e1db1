#include "service/guild_service.hpp"

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "service/emoji_service.hpp"
#include "service/scheduled_event_service.hpp"
#include "service/stage_instance_service.hpp"
#include "service/sticker_service.hpp"
#include "service/thread_service.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
using domain::Snowflake;

namespace {

domain::Channel NewChannel(Snowflake id, domain::ChannelType type, std::string name, int position,
                           std::optional<Snowflake> parent) {
  domain::Channel c;
  c.id = id;
  c.type = type;
  c.name = std::move(name);
  c.position = position;
  c.parent_id = parent;
  if (type == domain::ChannelType::kGuildVoice) {
    c.bitrate = 64000;
  }
  return c;
}

bool InRange(const std::optional<int>& v, int lo, int hi) { return !v || (*v >= lo && *v <= hi); }

}  // namespace

Result<boost::json::object> GuildCreatePayload(store::Store& store, AccessService& access,
                                               Snowflake guild_id, Snowflake user_id) {
  auto ga = access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  boost::json::object o = domain::json::GuildJson(ga->guild, ga->roles);
  auto emojis = store.ListEmojis(guild_id);
  if (!emojis) return emojis.error();
  o["emojis"] = EmojisJson(*emojis);
  auto stickers = store.ListStickers(guild_id);
  if (!stickers) return stickers.error();
  o["stickers"] = StickersJson(*stickers);
  auto channels = store.ListChannels(guild_id);
  if (!channels) return channels.error();
  boost::json::array channel_array;
  for (const auto& c : *channels) {
    const auto p = domain::ComputePermissions(ga->guild, ga->roles, ga->member, c, access.Now());
    if (perm::Has(p, perm::kViewChannel)) channel_array.push_back(domain::json::ChannelJson(c));
  }
  auto threads =
      VisibleActiveThreadsJson(store, ga->guild, ga->roles, ga->member, *channels, access.Now());
  if (!threads) return threads.error();
  auto events =
      VisibleScheduledEventsJson(store, ga->guild, ga->roles, ga->member, *channels, access.Now());
  if (!events) return events.error();
  auto stages = VisibleStagesJson(store, ga->guild, ga->roles, ga->member, *channels, access.Now());
  if (!stages) return stages.error();
  auto members = store.ListMembers(guild_id, 0, store::kMaxMemberPage);
  if (!members) return members.error();
  boost::json::array member_array;
  for (const auto& m : *members) {
    auto user = store.GetUser(m.user_id);
    if (user) member_array.push_back(domain::json::MemberJson(m, *user));
  }
  auto count = store.CountMembers(guild_id);
  if (!count) return count.error();
  o["channels"] = std::move(channel_array);
  o["members"] = std::move(member_array);
  o["member_count"] = *count;
  o["joined_at"] = domain::json::IsoTimestamp(ga->member.joined_at_ms);
  o["large"] = *count > 250;
  o["unavailable"] = false;
  o["threads"] = std::move(*threads);
  o["presences"] = boost::json::array();
  o["voice_states"] = boost::json::array();
  o["stage_instances"] = std::move(*stages);
  o["guild_scheduled_events"] = std::move(*events);
  o["soundboard_sounds"] = boost::json::array();
  return o;
}

Result<GuildView> GuildService::Create(Snowflake user_id, const std::string& name) {
  if (auto bad = ValidateGuildName(name)) return Error::Validation("Invalid Form Body", {*bad});
  store::NewGuild ng;
  const std::int64_t now = deps_.access.Now();
  ng.guild.id = deps_.ids.Next();
  ng.guild.name = name;
  ng.guild.owner_id = user_id;
  ng.guild.created_at_ms = now;
  domain::Role everyone;
  everyone.id = ng.guild.id;
  everyone.guild_id = ng.guild.id;
  everyone.name = "@everyone";
  everyone.permissions = kDefaultEveryonePermissions;
  ng.roles.push_back(everyone);
  const Snowflake text_cat = deps_.ids.Next();
  const Snowflake voice_cat = deps_.ids.Next();
  const Snowflake general = deps_.ids.Next();
  ng.channels.push_back(
      NewChannel(text_cat, domain::ChannelType::kGuildCategory, "Text Channels", 0, std::nullopt));
  ng.channels.push_back(NewChannel(voice_cat, domain::ChannelType::kGuildCategory, "Voice Channels",
                                   1, std::nullopt));
  ng.channels.push_back(
      NewChannel(general, domain::ChannelType::kGuildText, "general", 0, text_cat));
  ng.channels.push_back(
      NewChannel(deps_.ids.Next(), domain::ChannelType::kGuildVoice, "General", 0, voice_cat));
  ng.guild.system_channel_id = general;
  ng.owner.guild_id = ng.guild.id;
  ng.owner.user_id = user_id;
  ng.owner.joined_at_ms = now;
  if (auto r = deps_.store.CreateGuild(ng); !r) return r.error();
  auto payload = GuildCreatePayload(deps_.store, deps_.access, ng.guild.id, user_id);
  if (payload) {
    PublishTo(deps_.bus, "GUILD_CREATE", ng.guild.id, {user_id}, bus::Intent::kGuilds, *payload);
  }
  return GuildView{ng.guild, ng.roles, std::nullopt, std::nullopt};
}

Result<GuildView> GuildService::Get(Snowflake user_id, Snowflake guild_id, bool with_counts) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  GuildView view{std::move(ga->guild), std::move(ga->roles), std::nullopt, std::nullopt, {}, {}};
  auto emojis = deps_.store.ListEmojis(guild_id);
  if (!emojis) return emojis.error();
  view.emojis = std::move(*emojis);
  auto stickers = deps_.store.ListStickers(guild_id);
  if (!stickers) return stickers.error();
  view.stickers = std::move(*stickers);
  if (with_counts) {
    auto count = deps_.store.CountMembers(guild_id);
    if (!count) return count.error();
    view.member_count = *count;
    auto online = CountOnline(deps_, guild_id);
    if (!online) return online.error();
    view.presence_count = *online;
  }
  return view;
}

Result<GuildView> GuildService::Update(Snowflake user_id, Snowflake guild_id,
                                       const GuildPatch& patch, const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  std::vector<FieldError> errors;
  if (patch.name) {
    if (auto bad = ValidateGuildName(*patch.name)) errors.push_back(*bad);
  }
  if (patch.description && *patch.description) {
    if (auto bad = domain::ValidateText("description", **patch.description)) errors.push_back(*bad);
  }
  if (!InRange(patch.verification_level, 0, 4)) {
    errors.push_back({"verification_level", "BASE_TYPE_CHOICES", "Value must be one of 0-4."});
  }
  if (!InRange(patch.default_message_notifications, 0, 1)) {
    errors.push_back(
        {"default_message_notifications", "BASE_TYPE_CHOICES", "Value must be one of 0, 1."});
  }
  if (!InRange(patch.explicit_content_filter, 0, 2)) {
    errors.push_back({"explicit_content_filter", "BASE_TYPE_CHOICES", "Value must be one of 0-2."});
  }
  if (patch.afk_timeout) {
    const int t = *patch.afk_timeout;
    if (t != 60 && t != 300 && t != 900 && t != 1800 && t != 3600) {
      errors.push_back(
          {"afk_timeout", "BASE_TYPE_CHOICES", "Value must be one of 60, 300, 900, 1800, 3600."});
    }
  }
  // A channel setting must name a channel of this guild, of the kind Discord takes there: a text
  // channel for notices, a voice channel for AFK (never a thread or a category).
  auto check_channel = [&](const store::Nullable<Snowflake>& id, const char* field,
                           domain::ChannelType type) {
    if (!id || !*id) return;
    auto c = deps_.store.GetChannel(**id);
    if (!c || c->guild_id != guild_id || c->type != type) {
      errors.push_back({field, "CHANNEL_INVALID", "Unknown channel."});
    }
  };
  check_channel(patch.system_channel_id, "system_channel_id", domain::ChannelType::kGuildText);
  check_channel(patch.afk_channel_id, "afk_channel_id", domain::ChannelType::kGuildVoice);
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  if (patch.owner_id && *patch.owner_id != ga->guild.owner_id) {
    if (!ga->owner) return MissingPermissions();
    auto is_member = deps_.store.IsMember(guild_id, *patch.owner_id);
    if (!is_member) return is_member.error();
    if (!*is_member) return InvalidForm("owner_id", "GUILD_OWNER_INVALID", "Not a member.");
  }
  store::GuildUpdate update;
  update.name = patch.name;
  update.description = patch.description;
  update.icon = patch.icon;
  update.owner_id = patch.owner_id;
  update.system_channel_id = patch.system_channel_id;
  update.afk_channel_id = patch.afk_channel_id;
  update.afk_timeout = patch.afk_timeout;
  update.verification_level = patch.verification_level;
  update.default_message_notifications = patch.default_message_notifications;
  update.explicit_content_filter = patch.explicit_content_filter;
  update.preferred_locale = patch.preferred_locale;
  auto guild = deps_.store.UpdateGuild(guild_id, update);
  if (!guild) return guild.error();
  if (auto changes = AuditDiff(AuditFields(ga->guild), AuditFields(*guild)); !changes.empty()) {
    RecordAudit(deps_.audit, guild_id, user_id, guild_id, domain::AuditLogAction::kGuildUpdate,
                std::move(changes), reason);
  }
  GuildView view{std::move(*guild), std::move(ga->roles), std::nullopt, std::nullopt, {}, {}};
  // The update is made; the lists only show it.
  if (auto emojis = deps_.store.ListEmojis(guild_id)) view.emojis = std::move(*emojis);
  if (auto stickers = deps_.store.ListStickers(guild_id)) view.stickers = std::move(*stickers);
  boost::json::object payload = domain::json::GuildJson(view.guild, view.roles);
  payload["emojis"] = EmojisJson(view.emojis);
  payload["stickers"] = StickersJson(view.stickers);
  PublishToGuild(deps_, "GUILD_UPDATE", guild_id, bus::Intent::kGuilds, payload);
  return view;
}

Result<void> GuildService::Delete(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  if (!ga->owner) return MissingPermissions();
  auto members = deps_.access.GuildMembers(guild_id);
  // Channels of other guilds following one of this guild's lose their follower webhooks with it
  // (by cascade): each is told its webhooks changed.
  std::vector<domain::Webhook> followers;
  if (auto channels = deps_.store.ListChannels(guild_id)) {
    for (const auto& c : *channels) {
      auto found = deps_.store.ListChannelFollowers(c.id);
      if (!found) continue;
      for (auto& w : *found) {
        if (w.guild_id != guild_id) followers.push_back(std::move(w));
      }
    }
  }
  if (auto r = deps_.store.DeleteGuild(guild_id); !r) return r.error();
  if (members) {
    PublishTo(deps_.bus, "GUILD_DELETE", guild_id, std::move(*members), bus::Intent::kGuilds,
              boost::json::object{{"id", domain::ToString(guild_id)}});
  }
  for (const auto& w : followers) AnnounceWebhooksUpdate(deps_, w.guild_id, w.channel_id);
  return {};
}

Result<std::vector<PartialGuild>> GuildService::ListForUser(Snowflake user_id) {
  auto ids = deps_.store.ListUserGuildIds(user_id);
  if (!ids) return ids.error();
  std::vector<PartialGuild> out;
  for (Snowflake id : *ids) {
    auto ga = deps_.access.Guild(user_id, id);
    if (!ga) continue;  // deleted or left meanwhile
    out.push_back({std::move(ga->guild), ga->owner, ga->permissions});
  }
  return out;
}

void GuildService::AnnounceRemoval(Snowflake guild_id, Snowflake user_id) {
  auto user = deps_.store.GetUser(user_id);
  if (user) {
    PublishToGuild(deps_, "GUILD_MEMBER_REMOVE", guild_id, bus::Intent::kGuildMembers,
                   boost::json::object{{"guild_id", domain::ToString(guild_id)},
                                       {"user", domain::json::UserJson(*user)}});
  }
  PublishTo(deps_.bus, "GUILD_DELETE", guild_id, {user_id}, bus::Intent::kGuilds,
            boost::json::object{{"id", domain::ToString(guild_id)}});
}

Result<void> GuildService::Leave(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) {
    // Leaving a guild one is not in is Discord's Unknown Guild.
    if (ga.error().code == Errc::kForbidden) return store::UnknownGuild();
    return ga.error();
  }
  if (ga->owner) {
    return Error::Validation("The owner cannot leave the guild; transfer or delete it first.");
  }
  if (auto r = deps_.store.RemoveMember(guild_id, user_id); !r) return r.error();
  AnnounceRemoval(guild_id, user_id);
  return {};
}

Result<domain::Member> GuildService::Join(Snowflake user_id, Snowflake guild_id) {
  domain::Member m;
  m.guild_id = guild_id;
  m.user_id = user_id;
  m.joined_at_ms = deps_.access.Now();
  if (auto r = deps_.store.AddMember(m); !r) return r.error();
  auto user = deps_.store.GetUser(user_id);
  if (user) {
    boost::json::object payload = domain::json::MemberJson(m, *user);
    payload["guild_id"] = domain::ToString(guild_id);
    PublishToGuild(deps_, "GUILD_MEMBER_ADD", guild_id, bus::Intent::kGuildMembers, payload);
  }
  auto payload = GuildCreatePayload(deps_.store, deps_.access, guild_id, user_id);
  if (payload) {
    PublishTo(deps_.bus, "GUILD_CREATE", guild_id, {user_id}, bus::Intent::kGuilds, *payload);
  }
  return m;
}

}  // namespace chat::service
