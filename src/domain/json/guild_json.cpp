#include "domain/json/guild_json.hpp"

#include <string>

#include <boost/json.hpp>

#include "domain/json/forum_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"

namespace chat::domain::json {
namespace {

boost::json::value OptionalId(const std::optional<Snowflake>& id) {
  if (!id) return nullptr;
  return boost::json::value(ToString(*id));
}

boost::json::value OptionalString(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}

// What a group DM shows beyond a DM: name and icon (null when none) and its owner.
void AddGroupDmFields(boost::json::object& o, const Channel& channel) {
  o["name"] = channel.name.empty() ? boost::json::value(nullptr) : boost::json::value(channel.name);
  o["icon"] = channel.icon_hash.empty() ? boost::json::value(nullptr)
                                        : boost::json::value(channel.icon_hash);
  o["owner_id"] = OptionalId(channel.owner_id);
}

}  // namespace

boost::json::object RoleJson(const Role& role) {
  boost::json::object o;
  o["id"] = ToString(role.id);
  o["name"] = role.name;
  const std::uint32_t color = role.color.value_or(0);
  o["color"] = color;
  o["colors"] = boost::json::object{
      {"primary_color", color}, {"secondary_color", nullptr}, {"tertiary_color", nullptr}};
  o["hoist"] = role.hoist;
  o["icon"] = nullptr;
  o["unicode_emoji"] = nullptr;
  o["position"] = role.position;
  o["permissions"] = std::to_string(role.permissions);
  o["managed"] = false;
  o["mentionable"] = role.mentionable;
  o["flags"] = 0;
  return o;
}

boost::json::object ChannelJson(const Channel& channel) {
  boost::json::object o;
  o["id"] = ToString(channel.id);
  o["type"] = static_cast<int>(channel.type);
  o["last_message_id"] = OptionalId(channel.last_message_id);
  if (channel.type == ChannelType::kDm || channel.type == ChannelType::kGroupDm) {
    boost::json::array ids;
    for (Snowflake id : channel.recipient_ids) ids.emplace_back(ToString(id));
    o["recipient_ids"] = std::move(ids);
    o["flags"] = 0;
    if (channel.type == ChannelType::kGroupDm) AddGroupDmFields(o, channel);
    return o;
  }
  if (channel.guild_id) o["guild_id"] = ToString(*channel.guild_id);
  o["name"] = channel.name;
  if (IsThread(channel.type)) {
    const ThreadMetadata t = channel.thread.value_or(ThreadMetadata{});
    o["parent_id"] = OptionalId(channel.parent_id);
    o["owner_id"] = ToString(t.owner_id);
    o["rate_limit_per_user"] = channel.rate_limit_per_user;
    o["message_count"] = t.message_count;
    o["member_count"] = t.member_count;
    o["total_message_sent"] = t.message_count;
    o["flags"] = channel.flags;
    boost::json::array tags;
    for (Snowflake id : channel.applied_tags) tags.emplace_back(ToString(id));
    o["applied_tags"] = std::move(tags);
    boost::json::object meta{{"archived", t.archived},
                             {"auto_archive_duration", t.auto_archive_duration},
                             {"archive_timestamp", IsoTimestamp(t.archive_timestamp_ms)},
                             {"locked", t.locked},
                             {"create_timestamp", IsoTimestamp(t.create_timestamp_ms)}};
    if (channel.type == ChannelType::kPrivateThread) meta["invitable"] = t.invitable;
    o["thread_metadata"] = std::move(meta);
    return o;
  }
  o["position"] = channel.position;
  boost::json::array overwrites;
  for (const PermissionOverwrite& ow : channel.overwrites) {
    overwrites.push_back(boost::json::object{{"id", ToString(ow.id)},
                                             {"type", static_cast<int>(ow.type)},
                                             {"allow", std::to_string(ow.allow)},
                                             {"deny", std::to_string(ow.deny)}});
  }
  o["permission_overwrites"] = std::move(overwrites);
  o["parent_id"] = OptionalId(channel.parent_id);
  o["nsfw"] = channel.nsfw;
  o["flags"] = channel.flags;
  if (IsVoiceLike(channel.type)) {
    o["bitrate"] = channel.bitrate;
    o["user_limit"] = channel.user_limit;
    o["rtc_region"] = nullptr;
    o["rate_limit_per_user"] = channel.rate_limit_per_user;
  } else if (channel.type != ChannelType::kGuildCategory) {
    o["topic"] = OptionalString(channel.topic);
    o["rate_limit_per_user"] = channel.rate_limit_per_user;
  }
  if (channel.type == ChannelType::kGuildForum) {
    WriteForumFields(channel.forum_json, o);
  }
  return o;
}

boost::json::object ThreadMemberJson(const ThreadMember& member) {
  return boost::json::object{{"id", ToString(member.thread_id)},
                             {"user_id", ToString(member.user_id)},
                             {"join_timestamp", IsoTimestamp(member.join_timestamp_ms)},
                             {"flags", member.flags}};
}

boost::json::object DmChannelJson(const Channel& channel, const std::vector<User>& recipients) {
  boost::json::object o;
  o["id"] = ToString(channel.id);
  o["type"] = static_cast<int>(channel.type);
  o["last_message_id"] = OptionalId(channel.last_message_id);
  o["flags"] = 0;
  boost::json::array users;
  for (const User& u : recipients) users.push_back(UserJson(u));
  o["recipients"] = std::move(users);
  if (channel.type == ChannelType::kGroupDm) AddGroupDmFields(o, channel);
  return o;
}

boost::json::object MemberJson(const Member& member, const User& user) {
  boost::json::object o;
  o["user"] = UserJson(user);
  o["nick"] = OptionalString(member.nickname);
  o["avatar"] = nullptr;
  o["banner"] = nullptr;
  boost::json::array roles;
  for (Snowflake id : member.role_ids) roles.emplace_back(ToString(id));
  o["roles"] = std::move(roles);
  o["joined_at"] = IsoTimestamp(member.joined_at_ms);
  o["premium_since"] = nullptr;
  o["deaf"] = false;
  o["mute"] = false;
  o["flags"] = 0;
  o["pending"] = false;
  if (member.communication_disabled_until_ms) {
    o["communication_disabled_until"] = IsoTimestamp(*member.communication_disabled_until_ms);
  } else {
    o["communication_disabled_until"] = nullptr;
  }
  return o;
}

boost::json::object GuildJson(const Guild& guild, const std::vector<Role>& roles) {
  boost::json::object o;
  o["id"] = ToString(guild.id);
  o["name"] = guild.name;
  o["icon"] = OptionalString(guild.icon);
  o["icon_hash"] = OptionalString(guild.icon);
  o["description"] = OptionalString(guild.description);
  o["splash"] = nullptr;
  o["discovery_splash"] = nullptr;
  o["banner"] = nullptr;
  o["owner_id"] = ToString(guild.owner_id);
  o["region"] = "deprecated";
  o["afk_channel_id"] = OptionalId(guild.afk_channel_id);
  o["afk_timeout"] = guild.afk_timeout;
  o["widget_enabled"] = false;
  o["verification_level"] = guild.verification_level;
  o["default_message_notifications"] = guild.default_message_notifications;
  o["explicit_content_filter"] = guild.explicit_content_filter;
  boost::json::array role_array;
  for (const Role& r : roles) role_array.push_back(RoleJson(r));
  o["roles"] = std::move(role_array);
  o["emojis"] = boost::json::array();
  o["features"] = boost::json::array();
  o["mfa_level"] = 0;
  o["application_id"] = nullptr;
  o["system_channel_id"] = OptionalId(guild.system_channel_id);
  o["system_channel_flags"] = 0;
  o["rules_channel_id"] = nullptr;
  o["max_members"] = 500000;
  o["vanity_url_code"] = nullptr;
  o["premium_tier"] = 0;
  o["premium_subscription_count"] = 0;
  o["preferred_locale"] = guild.preferred_locale;
  o["public_updates_channel_id"] = nullptr;
  o["nsfw_level"] = 0;
  o["nsfw"] = false;
  o["stickers"] = boost::json::array();
  o["premium_progress_bar_enabled"] = false;
  o["safety_alerts_channel_id"] = nullptr;
  return o;
}

}  // namespace chat::domain::json
