// service/community_common.hpp — what the guild, channel, role and member services share: their
// dependencies, event publishing (payload serialized once, recipients decided at commit time)
// and Discord's field rules for names. Publishing helpers never fail the caller: the change is
// already committed, so a recipient lookup failure is logged and the event dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/snowflake.hpp"
#include "service/access_service.hpp"
#include "service/audit_log_service.hpp"
#include "store/store.hpp"

namespace chat::service {

struct CommunityDeps {
  store::Store& store;
  AccessService& access;
  bus::EventBus& bus;
  domain::SnowflakeGenerator& ids;
  AuditLogService* audit = nullptr;  // null: nothing is recorded
  // How many of the users are online on the gateway (of any node), for approximate_presence_count;
  // empty: no gateway, nobody counts as online.
  std::function<std::int64_t(std::span<const domain::Snowflake>)> count_online;
};

// The guild's members whose guild-wide permissions include `bits` (timeouts ignored), read page
// by page: who receives an event meant for a guild's moderators. Empty when a read fails.
std::vector<domain::Snowflake> MembersHolding(store::Store& store, domain::Snowflake guild_id,
                                              std::uint64_t bits);

// How many of the guild's members are online (0 without `deps.count_online`).
Result<std::int64_t> CountOnline(CommunityDeps& deps, domain::Snowflake guild_id);

void PublishTo(bus::EventBus& bus, const char* type, std::optional<domain::Snowflake> guild_id,
               std::vector<domain::Snowflake> recipients, bus::Intent intent,
               const boost::json::value& payload);
// To every current member of the guild.
void PublishToGuild(CommunityDeps& deps, const char* type, domain::Snowflake guild_id,
                    bus::Intent intent, const boost::json::value& payload);
// To the members who can view `channel` (AccessService::ChannelViewers).
void PublishToViewers(CommunityDeps& deps, const char* type, const domain::Channel& channel,
                      const boost::json::value& payload);

// WEBHOOKS_UPDATE for the channel `channel_id` of `guild_id`, to those who can view it (nothing
// when the channel is gone: nobody is left to tell).
void AnnounceWebhooksUpdate(CommunityDeps& deps, domain::Snowflake guild_id,
                            domain::Snowflake channel_id);

// Whether `member` can view the channel `channel_id`, one of the guild's `channels` (false when
// it is not among them): for what is shown only to a channel's viewers (events, stages).
bool ViewsChannel(const domain::Guild& guild, const std::vector<domain::Role>& roles,
                  const domain::Member& member, const std::vector<domain::Channel>& channels,
                  domain::Snowflake channel_id, std::int64_t now_ms);

// Which channels of a guild each member can view (VIEW_CHANNEL), taken before and after a change
// of roles or role permissions so that each member whose view changed is told: CHANNEL_CREATE
// for what appeared, CHANNEL_DELETE for what vanished, sent to just them.
struct ChannelVisibility {
  bool complete = false;  // false: a lookup failed; nothing is announced from it
  std::vector<domain::Channel> channels;
  std::map<domain::Snowflake, std::set<domain::Snowflake>> visible;  // user → channel ids
};
// `user_id`: that member only; nullopt: every member of the guild.
ChannelVisibility SnapshotVisibility(CommunityDeps& deps, domain::Snowflake guild_id,
                                     std::optional<domain::Snowflake> user_id);
// Members in both snapshots whose visible set changed get the difference.
void AnnounceVisibilityChanges(CommunityDeps& deps, domain::Snowflake guild_id,
                               const ChannelVisibility& before, const ChannelVisibility& after);

// Discord's channel name rules: text and announcement names are lower-cased with runs of
// spaces turned into '-'; every name is 1–100 characters of valid UTF-8. Normalizes in place.
std::optional<FieldError> NormalizeChannelName(domain::ChannelType type, std::string& name);
// Guild names: 2–100 characters, valid UTF-8, not only whitespace.
std::optional<FieldError> ValidateGuildName(const std::string& name);

Error InvalidForm(std::string field, std::string code, std::string message);

}  // namespace chat::service
