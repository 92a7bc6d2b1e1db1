// service/community_common.hpp — what the guild, channel, role and member services share: their
// dependencies, event publishing (payload serialized once, recipients decided at commit time)
// and Discord's field rules for names. Publishing helpers never fail the caller: the change is
// already committed, so a recipient lookup failure is logged and the event dropped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/snowflake.hpp"
#include "service/access_service.hpp"
#include "store/store.hpp"

namespace chat::service {

struct CommunityDeps {
  store::Store& store;
  AccessService& access;
  bus::EventBus& bus;
  domain::SnowflakeGenerator& ids;
};

void PublishTo(bus::EventBus& bus, const char* type, std::optional<domain::Snowflake> guild_id,
               std::vector<domain::Snowflake> recipients, bus::Intent intent,
               const boost::json::value& payload);
// To every current member of the guild.
void PublishToGuild(CommunityDeps& deps, const char* type, domain::Snowflake guild_id,
                    bus::Intent intent, const boost::json::value& payload);
// To the members who can view `channel` (AccessService::ChannelViewers).
void PublishToViewers(CommunityDeps& deps, const char* type, const domain::Channel& channel,
                      const boost::json::value& payload);

// Discord's channel name rules: text and announcement names are lower-cased with runs of
// spaces turned into '-'; every name is 1–100 characters of valid UTF-8. Normalizes in place.
std::optional<FieldError> NormalizeChannelName(domain::ChannelType type, std::string& name);
// Guild names: 2–100 characters, valid UTF-8, not only whitespace.
std::optional<FieldError> ValidateGuildName(const std::string& name);

Error InvalidForm(std::string field, std::string code, std::string message);

}  // namespace chat::service
