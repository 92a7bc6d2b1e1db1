#include "service/group_dm_service.hpp"

#include <algorithm>

#include <boost/json/object.hpp>

#include "common/log.hpp"
#include "domain/json/field_checker.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/validation.hpp"
#include "store/errors.hpp"
#include "store/group_dm_rules.hpp"

namespace chat::service {

namespace {

using domain::Snowflake;
namespace mj = domain::json;

constexpr const char* kLog = "chat_server::group_dms";

Result<void> RequireGroupDm(const domain::Channel& channel) {
  if (channel.type != domain::ChannelType::kGroupDm) return WrongChannelType();
  return {};
}

}  // namespace

Result<DmView> GroupDmService::View(domain::Channel channel, Snowflake viewer) {
  DmView view{std::move(channel), {}};
  for (Snowflake id : view.channel.recipient_ids) {
    if (id == viewer) continue;
    auto user = deps_.store.GetUser(id);
    if (!user && user.error().code != Errc::kNotFound) return user.error();
    view.recipients.push_back(user ? std::move(*user) : DeletedUser(id));
  }
  return view;
}

void GroupDmService::PublishChannel(const char* type, const domain::Channel& channel,
                                    const std::vector<Snowflake>& users) {
  for (Snowflake user : users) {
    auto view = View(channel, user);
    if (!view) {
      log::Warn(kLog, "event dropped", {{"type", type}, {"error", view.error().message}});
      continue;
    }
    PublishTo(deps_.bus, type, std::nullopt, {user}, bus::Intent::kNone,
              mj::DmChannelJson(view->channel, view->recipients));
  }
}

void GroupDmService::PublishRecipient(const char* type, const domain::Channel& channel,
                                      Snowflake user) {
  auto found = deps_.store.GetUser(user);
  if (!found) {
    log::Warn(kLog, "event dropped", {{"type", type}, {"error", found.error().message}});
    return;
  }
  std::vector<Snowflake> others;
  for (Snowflake id : channel.recipient_ids) {
    if (id != user) others.push_back(id);
  }
  PublishTo(deps_.bus, type, std::nullopt, std::move(others), bus::Intent::kNone,
            boost::json::object{{"channel_id", domain::ToString(channel.id)},
                                {"user", mj::UserJson(*found)}});
}

void GroupDmService::PostNotice(const domain::Channel& channel, Snowflake author_id, int type,
                                std::string content, std::optional<Snowflake> mentioned) {
  domain::Message m;
  m.id = deps_.ids.Next();
  m.channel_id = channel.id;
  m.author_id = author_id;
  m.type = type;
  m.content = std::move(content);  // shown, never parsed: a new name mentions no one
  if (mentioned) m.mention_user_ids = {*mentioned};
  m.created_at_ms = domain::SnowflakeUnixMs(m.id);
  messages_.PostDmNotice(m, channel);
}

Result<DmView> GroupDmService::Create(Snowflake user_id, const std::vector<Snowflake>& recipients) {
  std::vector<Snowflake> ids = recipients;
  ids.push_back(user_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.size() > domain::kMaxGroupDmRecipients) return store::MaxRecipients();
  domain::Channel channel;
  channel.id = deps_.ids.Next();
  channel.type = domain::ChannelType::kGroupDm;
  channel.owner_id = user_id;
  channel.recipient_ids = std::move(ids);
  if (auto r = deps_.store.CreateChannel(channel); !r) return r.error();
  PublishChannel("CHANNEL_CREATE", channel, channel.recipient_ids);
  return View(std::move(channel), user_id);
}

Result<void> GroupDmService::AddRecipient(Snowflake user_id, Snowflake channel_id,
                                          Snowflake target) {
  auto access = deps_.access.Channel(user_id, channel_id);
  if (!access) return access.error();
  if (auto r = RequireGroupDm(access->channel); !r) return r;
  // The store checks again in its transaction; refusing here first keeps a refusal from rolling
  // back the SQLite writes batched with it.
  if (!store::IsRecipientOf(access->channel, target) &&
      access->channel.recipient_ids.size() >= domain::kMaxGroupDmRecipients) {
    return store::MaxRecipients();
  }
  auto added = deps_.store.AddRecipient(channel_id, target, user_id, domain::kMaxGroupDmRecipients);
  if (!added) return added.error();
  if (!*added) return {};
  auto after = deps_.store.GetChannel(channel_id);
  if (!after) return {};  // added; the channel went since (its last recipients left)
  PublishRecipient("CHANNEL_RECIPIENT_ADD", *after, target);
  PublishChannel("CHANNEL_CREATE", *after, {target});
  PostNotice(*after, user_id, mj::kMessageTypeRecipientAdd, "", target);
  return {};
}

Result<void> GroupDmService::Remove(Snowflake by, Snowflake channel_id, Snowflake user_id) {
  auto removal = deps_.store.RemoveRecipient(channel_id, user_id, by);
  if (!removal) return removal.error();
  const domain::Channel& before = removal->before;
  PublishChannel("CHANNEL_DELETE", before, {user_id});
  if (!removal->after) return {};  // the last one left: the channel is gone
  const domain::Channel& now = *removal->after;
  PublishRecipient("CHANNEL_RECIPIENT_REMOVE", now, user_id);
  PostNotice(now, by, mj::kMessageTypeRecipientRemove, "", user_id);
  if (now.owner_id != before.owner_id) PublishChannel("CHANNEL_UPDATE", now, now.recipient_ids);
  return {};
}

Result<void> GroupDmService::RemoveRecipient(Snowflake user_id, Snowflake channel_id,
                                             Snowflake target) {
  auto access = deps_.access.Channel(user_id, channel_id);
  if (!access) return access.error();
  if (auto r = RequireGroupDm(access->channel); !r) return r;
  if (auto r = store::CheckRemoval(access->channel, target, user_id); !r) return r;  // see above
  return Remove(user_id, channel_id, target);
}

Result<domain::Channel> GroupDmService::Leave(Snowflake user_id, domain::Channel channel) {
  if (auto r = RequireGroupDm(channel); !r) return r.error();
  if (auto r = Remove(user_id, channel.id, user_id); !r) return r.error();
  return channel;
}

Result<domain::Channel> GroupDmService::Update(Snowflake user_id, domain::Channel channel,
                                               const boost::json::object& body) {
  if (auto r = RequireGroupDm(channel); !r) return r.error();
  store::GroupDmUpdate update;
  update.actor = user_id;
  mj::FieldChecker fields;
  if (body.contains("name")) {
    update.name = fields.String(body, "name", "name", 0, 100);
    if (update.name) {
      if (auto bad = domain::ValidateText("name", *update.name)) {
        fields.Add("name", bad->code, bad->message);
      }
    }
  }
  if (const auto* owner = body.if_contains("owner")) {
    update.owner_id = mj::IdOf(*owner);
    if (!update.owner_id) fields.Add("owner", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
  }
  if (!fields.ok()) return fields.Fail();
  auto icon = ReadImageField(body, "icon", domain::kMaxGroupDmIconBytes);
  if (!icon) return icon.error();
  update.icon = std::move(*icon);
  if (!update.name && !update.icon && !update.owner_id) return channel;
  if (update.owner_id) {
    if (auto r = store::CheckNewOwner(channel, *update.owner_id, user_id); !r) return r.error();
  }
  // The store checks who acts against the channel as it is then: a member removed, or an owner
  // who handed the group on, since `channel` was read changes nothing.
  auto after = deps_.store.UpdateGroupDm(channel.id, update);
  if (!after) return after.error();
  PublishChannel("CHANNEL_UPDATE", *after, after->recipient_ids);
  // Only what this request changed is told as its author's: a rename racing an icon change is
  // the other request's to tell.
  if (update.name && after->name != channel.name) {
    PostNotice(*after, user_id, mj::kMessageTypeChannelNameChange, after->name, std::nullopt);
  }
  if (update.icon && after->icon_hash != channel.icon_hash) {
    PostNotice(*after, user_id, mj::kMessageTypeChannelIconChange, "", std::nullopt);
  }
  return after;
}

Result<ImageFile> GroupDmService::Icon(Snowflake channel_id, std::string_view hash) {
  auto icon = deps_.store.GetChannelIcon(channel_id);
  if (!icon) return icon.error();
  return ImageBytes(std::move(*icon), hash, store::UnknownChannel());
}

}  // namespace chat::service
