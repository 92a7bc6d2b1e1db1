#include "service/channel_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "domain/json/forum_json.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/json/scheduled_event_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "service/group_dm_service.hpp"
#include "service/stage_instance_service.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
using domain::ChannelType;
using domain::Snowflake;

namespace {

bool IsGuildType(ChannelType t) {
  return t == ChannelType::kGuildText || domain::IsVoiceLike(t) ||
         t == ChannelType::kGuildCategory || t == ChannelType::kGuildAnnouncement ||
         t == ChannelType::kGuildForum;
}

Error BadFlags() {
  return InvalidForm("flags", "CHANNEL_FLAGS_INVALID", "A forum's only settable flag is 16.");
}

bool IsTextLike(ChannelType t) {
  return t == ChannelType::kGuildText || t == ChannelType::kGuildAnnouncement;
}

// After an overwrite change: CHANNEL_UPDATE to those who still see the channel, CHANNEL_CREATE to
// those who now do, CHANNEL_DELETE to those who no longer do, as Discord tells each of them.
void AnnounceViewerChange(CommunityDeps& deps, const domain::Channel& channel,
                          const Result<std::vector<Snowflake>>& before) {
  auto after = deps.access.ChannelViewers(channel);
  if (!before || !after) {
    PublishToViewers(deps, "CHANNEL_UPDATE", channel, domain::json::ChannelJson(channel));
    return;
  }
  auto has = [](const std::vector<Snowflake>& v, Snowflake id) {
    return std::find(v.begin(), v.end(), id) != v.end();
  };
  std::vector<Snowflake> kept, gained, lost;
  for (Snowflake id : *after) (has(*before, id) ? kept : gained).push_back(id);
  for (Snowflake id : *before) {
    if (!has(*after, id)) lost.push_back(id);
  }
  const auto payload = domain::json::ChannelJson(channel);
  PublishTo(deps.bus, "CHANNEL_UPDATE", channel.guild_id, std::move(kept), bus::Intent::kGuilds,
            payload);
  PublishTo(deps.bus, "CHANNEL_CREATE", channel.guild_id, std::move(gained), bus::Intent::kGuilds,
            payload);
  PublishTo(deps.bus, "CHANNEL_DELETE", channel.guild_id, std::move(lost), bus::Intent::kGuilds,
            payload);
}

}  // namespace

Result<void> ChannelService::CheckFields(
    Snowflake guild_id, ChannelType type, std::optional<std::string>* name,
    const store::Nullable<std::string>& topic, const std::optional<int>& rate_limit,
    const std::optional<int>& bitrate, const std::optional<int>& user_limit,
    const store::Nullable<Snowflake>& parent_id, Snowflake self_id) {
  std::vector<FieldError> errors;
  if (name && *name) {
    if (auto bad = NormalizeChannelName(type, **name)) errors.push_back(*bad);
  }
  if (topic && *topic) {
    if (auto bad = domain::ValidateText("topic", **topic)) {
      errors.push_back(*bad);
    } else if ((*topic)->size() > 1024 * 4 ||
               std::count_if((*topic)->begin(), (*topic)->end(),
                             [](char c) { return (c & 0xC0) != 0x80; }) > 1024) {
      errors.push_back({"topic", "BASE_TYPE_MAX_LENGTH", "Must be 1024 or fewer in length."});
    }
  }
  if (rate_limit && (*rate_limit < 0 || *rate_limit > 21600)) {
    errors.push_back({"rate_limit_per_user", "NUMBER_TYPE_MAX", "Must be between 0 and 21600."});
  }
  if (bitrate && (*bitrate < 8000 || *bitrate > 384000)) {
    errors.push_back({"bitrate", "NUMBER_TYPE_MIN", "Must be between 8000 and 384000."});
  }
  // A stage holds an audience: Discord lets it take 10,000 where a voice channel takes 99.
  const int max_users = type == ChannelType::kGuildStageVoice ? 10000 : 99;
  if (user_limit && (*user_limit < 0 || *user_limit > max_users)) {
    errors.push_back({"user_limit", "NUMBER_TYPE_MAX",
                      "Must be between 0 and " + std::to_string(max_users) + "."});
  }
  if (parent_id && *parent_id) {
    auto parent = deps_.store.GetChannel(**parent_id);
    if (type == ChannelType::kGuildCategory || **parent_id == self_id || !parent ||
        parent->guild_id != guild_id || parent->type != ChannelType::kGuildCategory) {
      errors.push_back({"parent_id", "CHANNEL_PARENT_INVALID", "Not a category of this guild."});
    }
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  return {};
}

Result<std::vector<domain::Channel>> ChannelService::List(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto channels = deps_.store.ListChannels(guild_id);
  if (!channels) return channels.error();
  std::vector<domain::Channel> out;
  const auto now = deps_.access.Now();
  for (auto& c : *channels) {
    if (perm::Has(domain::ComputePermissions(ga->guild, ga->roles, ga->member, c, now),
                  perm::kViewChannel)) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

Result<domain::Channel> ChannelService::Create(Snowflake user_id, Snowflake guild_id,
                                               ChannelInput input, const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageChannels);
  if (!ga) return ga.error();
  if (!IsGuildType(input.type)) {
    return InvalidForm("type", "BASE_TYPE_CHOICES", "Value must be one of 0, 2, 4, 5, 13, 15.");
  }
  std::optional<std::string> name = std::move(input.name);
  store::Nullable<std::string> topic;
  if (input.topic) topic = std::optional<std::string>(*input.topic);
  store::Nullable<Snowflake> parent;
  if (input.parent_id) parent = std::optional<Snowflake>(*input.parent_id);
  auto checked = CheckFields(guild_id, input.type, &name, topic, input.rate_limit_per_user,
                             input.bitrate, input.user_limit, parent, 0);
  if (!checked) return checked.error();
  if (!input.overwrites.empty()) {
    std::uint64_t bits = 0;
    for (const auto& ow : input.overwrites) bits |= ow.allow | ow.deny;
    if (!perm::Has(ga->permissions, perm::kManageRoles) ||
        !domain::CanGrantPermissions(ga->permissions, bits)) {
      return MissingPermissions();
    }
  }
  domain::Channel c;
  c.id = deps_.ids.Next();
  c.guild_id = guild_id;
  c.type = input.type;
  c.name = std::move(*name);
  c.parent_id = input.parent_id;
  c.nsfw = input.nsfw;
  c.overwrites = std::move(input.overwrites);
  if (c.type != ChannelType::kGuildCategory) c.rate_limit_per_user = input.rate_limit_per_user;
  if (IsTextLike(c.type) || c.type == ChannelType::kGuildForum) c.topic = input.topic;
  if (c.type == ChannelType::kGuildForum) {
    if (input.flags & ~domain::kChannelFlagRequireTag) return BadFlags();
    c.flags = input.flags;
    static const boost::json::object kNone;
    auto settings =
        domain::json::ParseForumSettings(input.forum_body ? *input.forum_body : kNone, std::nullopt,
                                         [this] { return deps_.ids.Next(); });
    if (!settings) return settings.error();
    c.forum_json = std::move(*settings);
  }
  if (domain::IsVoiceLike(c.type)) {
    c.bitrate = input.bitrate.value_or(64000);
    c.user_limit = input.user_limit.value_or(0);
  }
  if (input.position) {
    c.position = *input.position;
  } else {
    auto existing = deps_.store.ListChannels(guild_id);
    if (!existing) return existing.error();
    int max = -1;
    for (const auto& e : *existing) {
      if (e.parent_id == c.parent_id) max = std::max(max, e.position);
    }
    c.position = max + 1;
  }
  if (auto r = deps_.store.CreateChannel(c); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, c.id, domain::AuditLogAction::kChannelCreate,
              AuditDiff({}, AuditFields(c)), reason);
  PublishToViewers(deps_, "CHANNEL_CREATE", c, domain::json::ChannelJson(c));
  return c;
}

Result<domain::Channel> ChannelService::Get(Snowflake user_id, Snowflake channel_id) {
  auto ca = deps_.access.Channel(user_id, channel_id);
  if (!ca) return ca.error();
  return std::move(ca->channel);
}

Result<domain::Channel> ChannelService::Update(Snowflake user_id, Snowflake channel_id,
                                               store::ChannelUpdate update,
                                               const AuditReason& reason,
                                               ThreadChange thread_change,
                                               const boost::json::object* forum_body) {
  auto ca = deps_.access.Channel(user_id, channel_id);
  if (!ca) return ca.error();
  if (domain::IsThread(ca->channel.type)) {
    thread_change.name = std::move(update.name);
    thread_change.rate_limit_per_user = update.rate_limit_per_user;
    return threads_.Update(user_id, channel_id, thread_change, reason);
  }
  if (ca->channel.type == ChannelType::kGroupDm && group_dms_ != nullptr) {
    static const boost::json::object kNothing;
    return group_dms_->Update(user_id, std::move(ca->channel), forum_body ? *forum_body : kNothing);
  }
  if (!perm::Has(ca->permissions, perm::kManageChannels)) return MissingPermissions();
  if (!ca->channel.guild_id) return MissingPermissions();
  ChannelType type = update.type.value_or(ca->channel.type);
  if (update.type && *update.type != ca->channel.type) {
    // Discord converts only between text and announcement.
    if (!IsTextLike(*update.type) || !IsTextLike(ca->channel.type)) {
      return InvalidForm("type", "BASE_TYPE_CHOICES", "Only text and announcement convert.");
    }
  }
  auto checked = CheckFields(*ca->channel.guild_id, type, &update.name, update.topic,
                             update.rate_limit_per_user, update.bitrate, update.user_limit,
                             update.parent_id, channel_id);
  if (!checked) return checked.error();
  if (ca->channel.type == ChannelType::kGuildForum) {
    if (update.flags && (*update.flags & ~domain::kChannelFlagRequireTag)) return BadFlags();
    if (forum_body) {
      auto settings = domain::json::ParseForumSettings(*forum_body, ca->channel.forum_json,
                                                       [this] { return deps_.ids.Next(); });
      if (!settings) return settings.error();
      update.forum_json = std::move(*settings);
    }
  } else {
    update.flags.reset();
  }
  Result<std::vector<Snowflake>> before = std::vector<Snowflake>();
  if (update.overwrites) {
    if (auto r = CheckOverwrites(*ca, *update.overwrites); !r) return r.error();
    before = deps_.access.ChannelViewers(ca->channel);
  }
  auto channel = deps_.store.UpdateChannel(channel_id, update);
  if (!channel) return channel.error();
  if (auto changes = AuditDiff(AuditFields(ca->channel), AuditFields(*channel)); !changes.empty()) {
    RecordAudit(deps_.audit, *ca->channel.guild_id, user_id, channel_id,
                domain::AuditLogAction::kChannelUpdate, std::move(changes), reason);
  }
  if (!update.overwrites) {
    PublishToViewers(deps_, "CHANNEL_UPDATE", *channel, domain::json::ChannelJson(*channel));
    return channel;
  }
  // Each overwrite created, changed or removed is an audit entry, as PUT and DELETE make.
  const auto find = [](const std::vector<domain::PermissionOverwrite>& list, Snowflake id) {
    auto it = std::find_if(list.begin(), list.end(), [&](const auto& o) { return o.id == id; });
    return it == list.end() ? nullptr : &*it;
  };
  for (const auto& now : channel->overwrites) {
    const auto* was = find(ca->channel.overwrites, now.id);
    if (!was) {
      AuditOverwrite(user_id, ca->channel, domain::AuditLogAction::kChannelOverwriteCreate, nullptr,
                     &now, reason);
    } else if (was->allow != now.allow || was->deny != now.deny) {
      AuditOverwrite(user_id, ca->channel, domain::AuditLogAction::kChannelOverwriteUpdate, was,
                     &now, reason);
    }
  }
  for (const auto& was : ca->channel.overwrites) {
    if (!find(channel->overwrites, was.id)) {
      AuditOverwrite(user_id, ca->channel, domain::AuditLogAction::kChannelOverwriteDelete, &was,
                     nullptr, reason);
    }
  }
  // Members who gain or lose sight of the channel are told so (CHANNEL_CREATE / _DELETE).
  AnnounceViewerChange(deps_, *channel, before);
  return channel;
}

Result<void> ChannelService::CheckOverwrites(
    const ChannelAccess& ca, const std::vector<domain::PermissionOverwrite>& overwrites) {
  if (!perm::Has(ca.permissions, perm::kManageRoles)) return MissingPermissions();
  const Snowflake guild_id = *ca.channel.guild_id;
  for (const auto& ow : overwrites) {
    auto same = std::find_if(
        ca.channel.overwrites.begin(), ca.channel.overwrites.end(),
        [&](const auto& o) { return o.id == ow.id && o.allow == ow.allow && o.deny == ow.deny; });
    if (same != ca.channel.overwrites.end()) continue;  // unchanged: nothing granted
    if (!domain::CanGrantPermissions(ca.permissions, ow.allow | ow.deny)) {
      return MissingPermissions();
    }
    // The target must exist in this guild, or the overwrite would dangle.
    if (ow.type == domain::OverwriteType::kRole) {
      if (auto role = deps_.store.GetRole(guild_id, ow.id); !role) return role.error();
    } else if (auto member = deps_.store.GetMember(guild_id, ow.id); !member) {
      return member.error();
    }
  }
  return {};
}

Result<domain::Channel> ChannelService::Delete(Snowflake user_id, Snowflake channel_id,
                                               const AuditReason& reason) {
  auto ca = deps_.access.Channel(user_id, channel_id);
  if (!ca) return ca.error();
  if (domain::IsThread(ca->channel.type)) return threads_.Delete(user_id, channel_id, reason);
  if (ca->channel.type == ChannelType::kGroupDm && group_dms_ != nullptr) {
    return group_dms_->Leave(user_id, std::move(ca->channel));
  }
  if (!perm::Has(ca->permissions, perm::kManageChannels)) return MissingPermissions();
  if (!ca->channel.guild_id) return MissingPermissions();
  auto viewers = deps_.access.ChannelViewers(ca->channel);
  // The scheduled events and the stage held in a voice or stage channel go with it: those who saw
  // them are told, as Discord does.
  std::vector<domain::ScheduledEvent> events;
  std::optional<domain::StageInstance> stage;
  if (domain::IsVoiceLike(ca->channel.type)) {
    if (auto all = deps_.store.ListScheduledEvents(*ca->channel.guild_id)) {
      for (auto& e : *all) {
        if (e.channel_id == channel_id && domain::IsOpen(e.status)) events.push_back(std::move(e));
      }
    }
    if (auto s = deps_.store.GetStageInstance(channel_id)) stage = std::move(*s);
  }
  // The channels following this one lose their follower webhooks with it (by cascade, in other
  // guilds too): each is told its webhooks changed. (A channel converted from an announcement
  // channel may still have followers.)
  std::vector<domain::Webhook> followers;
  if (auto found = deps_.store.ListChannelFollowers(channel_id)) followers = std::move(*found);
  if (auto r = deps_.store.DeleteChannel(channel_id); !r) return r.error();
  for (const auto& w : followers) AnnounceWebhooksUpdate(deps_, w.guild_id, w.channel_id);
  RecordAudit(deps_.audit, *ca->channel.guild_id, user_id, channel_id,
              domain::AuditLogAction::kChannelDelete, AuditDiff(AuditFields(ca->channel), {}),
              reason);
  if (viewers) {
    for (const auto& e : events) {
      PublishTo(deps_.bus, "GUILD_SCHEDULED_EVENT_DELETE", ca->channel.guild_id, *viewers,
                bus::Intent::kGuildScheduledEvents, domain::json::ScheduledEventJson(e));
    }
    if (stage) {
      PublishTo(deps_.bus, "STAGE_INSTANCE_DELETE", ca->channel.guild_id, *viewers,
                bus::Intent::kGuilds, StageInstanceJson(*stage));
    }
    PublishTo(deps_.bus, "CHANNEL_DELETE", ca->channel.guild_id, std::move(*viewers),
              bus::Intent::kGuilds, domain::json::ChannelJson(ca->channel));
  }
  return std::move(ca->channel);
}

Result<void> ChannelService::SetPositions(Snowflake user_id, Snowflake guild_id,
                                          const std::vector<store::ChannelPosition>& positions) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageChannels);
  if (!ga) return ga.error();
  for (const auto& p : positions) {
    if (!p.parent_id || !*p.parent_id) continue;
    auto parent = deps_.store.GetChannel(**p.parent_id);
    if (!parent || parent->guild_id != guild_id || parent->type != ChannelType::kGuildCategory ||
        parent->id == p.id) {
      return InvalidForm("parent_id", "CHANNEL_PARENT_INVALID", "Not a category of this guild.");
    }
  }
  if (auto r = deps_.store.SetChannelPositions(guild_id, positions); !r) return r.error();
  for (const auto& p : positions) {
    auto c = deps_.store.GetChannel(p.id);
    if (c) PublishToViewers(deps_, "CHANNEL_UPDATE", *c, domain::json::ChannelJson(*c));
  }
  return {};
}

void ChannelService::AuditOverwrite(Snowflake user_id, const domain::Channel& channel,
                                    domain::AuditLogAction action,
                                    const domain::PermissionOverwrite* before,
                                    const domain::PermissionOverwrite* after,
                                    const AuditReason& reason) {
  if (!deps_.audit || !channel.guild_id) return;
  const domain::PermissionOverwrite& ow = after ? *after : *before;
  boost::json::object options{{"id", domain::ToString(ow.id)},
                              {"type", ow.type == domain::OverwriteType::kRole ? "0" : "1"}};
  if (ow.type == domain::OverwriteType::kRole) {
    if (auto role = deps_.store.GetRole(*channel.guild_id, ow.id))
      options["role_name"] = role->name;
  }
  auto changes = AuditDiff(before ? AuditFields(*before) : boost::json::object(),
                           after ? AuditFields(*after) : boost::json::object());
  if (changes.empty()) return;
  RecordAudit(deps_.audit, *channel.guild_id, user_id, channel.id, action, std::move(changes),
              reason, std::move(options));
}

Result<void> ChannelService::PutOverwrite(Snowflake user_id, Snowflake channel_id,
                                          const domain::PermissionOverwrite& overwrite,
                                          const AuditReason& reason) {
  auto ca = deps_.access.RequireChannel(user_id, channel_id, perm::kManageRoles);
  if (!ca) return ca.error();
  if (!ca->channel.guild_id) return MissingPermissions();
  if (domain::IsThread(ca->channel.type)) return WrongChannelType();
  const Snowflake guild_id = *ca->channel.guild_id;
  if (!domain::CanGrantPermissions(ca->permissions, overwrite.allow | overwrite.deny)) {
    return MissingPermissions();
  }
  // The target must exist in this guild, or the overwrite would dangle.
  if (overwrite.type == domain::OverwriteType::kRole) {
    auto role = deps_.store.GetRole(guild_id, overwrite.id);
    if (!role) return role.error();
  } else {
    auto member = deps_.store.GetMember(guild_id, overwrite.id);
    if (!member) return member.error();
  }
  auto before = deps_.access.ChannelViewers(ca->channel);
  if (auto r = deps_.store.PutOverwrite(channel_id, overwrite); !r) return r.error();
  const auto& old_overwrites = ca->channel.overwrites;
  auto old = std::find_if(old_overwrites.begin(), old_overwrites.end(),
                          [&](const auto& ow) { return ow.id == overwrite.id; });
  if (old == old_overwrites.end()) {
    AuditOverwrite(user_id, ca->channel, domain::AuditLogAction::kChannelOverwriteCreate, nullptr,
                   &overwrite, reason);
  } else {
    AuditOverwrite(user_id, ca->channel, domain::AuditLogAction::kChannelOverwriteUpdate, &*old,
                   &overwrite, reason);
  }
  auto channel = deps_.store.GetChannel(channel_id);
  if (!channel) return {};
  AnnounceViewerChange(deps_, *channel, before);
  return {};
}

Result<void> ChannelService::DeleteOverwrite(Snowflake user_id, Snowflake channel_id,
                                             Snowflake target_id, const AuditReason& reason) {
  auto ca = deps_.access.RequireChannel(user_id, channel_id, perm::kManageRoles);
  if (!ca) return ca.error();
  if (!ca->channel.guild_id) return MissingPermissions();
  if (domain::IsThread(ca->channel.type)) return WrongChannelType();
  auto before = deps_.access.ChannelViewers(ca->channel);
  if (auto r = deps_.store.DeleteOverwrite(channel_id, target_id); !r) return r.error();
  const auto& old_overwrites = ca->channel.overwrites;
  auto old = std::find_if(old_overwrites.begin(), old_overwrites.end(),
                          [&](const auto& ow) { return ow.id == target_id; });
  if (old != old_overwrites.end()) {
    AuditOverwrite(user_id, ca->channel, domain::AuditLogAction::kChannelOverwriteDelete, &*old,
                   nullptr, reason);
  }
  auto channel = deps_.store.GetChannel(channel_id);
  if (channel) AnnounceViewerChange(deps_, *channel, before);
  return {};
}

}  // namespace chat::service
