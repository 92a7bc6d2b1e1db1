#include "service/community_common.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"

namespace chat::service {
namespace {
constexpr std::string_view kTarget = "communities";

std::size_t CodePoints(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

Error InvalidForm(std::string field, std::string code, std::string message) {
  return Error::Validation("Invalid Form Body",
                           {{std::move(field), std::move(code), std::move(message)}});
}

std::vector<Snowflake> MembersHolding(store::Store& store, Snowflake guild_id, std::uint64_t bits) {
  std::vector<Snowflake> out;
  auto guild = store.GetGuild(guild_id);
  auto roles = store.ListRoles(guild_id);
  if (!guild || !roles) return out;
  Snowflake after = 0;
  while (true) {
    auto members = store.ListMembers(guild_id, after, store::kMaxMemberPage);
    if (!members) return {};
    for (const auto& m : *members) {
      if (domain::perm::Has(domain::ComputeBasePermissions(*guild, *roles, m), bits)) {
        out.push_back(m.user_id);
      }
      after = m.user_id;
    }
    if (members->size() < static_cast<std::size_t>(store::kMaxMemberPage)) return out;
  }
}

void PublishTo(bus::EventBus& bus, const char* type, std::optional<domain::Snowflake> guild_id,
               std::vector<domain::Snowflake> recipients, bus::Intent intent,
               const boost::json::value& payload) {
  if (recipients.empty()) return;
  bus::Event event;
  event.type = type;
  event.guild_id = guild_id;
  event.recipients = std::move(recipients);
  event.intent = intent;
  event.payload = boost::json::serialize(payload);
  bus.Publish(std::move(event));
}

void PublishToGuild(CommunityDeps& deps, const char* type, domain::Snowflake guild_id,
                    bus::Intent intent, const boost::json::value& payload) {
  auto members = deps.access.GuildMembers(guild_id);
  if (!members) {
    log::Warn(kTarget, "event dropped", {{"type", type}, {"error", members.error().message}});
    return;
  }
  PublishTo(deps.bus, type, guild_id, std::move(*members), intent, payload);
}

void PublishToViewers(CommunityDeps& deps, const char* type, const domain::Channel& channel,
                      const boost::json::value& payload) {
  auto viewers = deps.access.ChannelViewers(channel);
  if (!viewers) {
    log::Warn(kTarget, "event dropped", {{"type", type}, {"error", viewers.error().message}});
    return;
  }
  PublishTo(deps.bus, type, channel.guild_id, std::move(*viewers), bus::Intent::kGuilds, payload);
}

void AnnounceWebhooksUpdate(CommunityDeps& deps, domain::Snowflake guild_id,
                            domain::Snowflake channel_id) {
  auto channel = deps.store.GetChannel(channel_id);
  if (!channel) return;
  auto viewers = deps.access.ChannelViewers(*channel);
  if (!viewers) return;
  PublishTo(deps.bus, "WEBHOOKS_UPDATE", guild_id, std::move(*viewers), bus::Intent::kGuildWebhooks,
            boost::json::object{{"guild_id", domain::ToString(guild_id)},
                                {"channel_id", domain::ToString(channel_id)}});
}

bool ViewsChannel(const domain::Guild& guild, const std::vector<domain::Role>& roles,
                  const domain::Member& member, const std::vector<domain::Channel>& channels,
                  domain::Snowflake channel_id, std::int64_t now_ms) {
  auto c = std::find_if(channels.begin(), channels.end(),
                        [&](const domain::Channel& x) { return x.id == channel_id; });
  return c != channels.end() &&
         domain::perm::Has(domain::ComputePermissions(guild, roles, member, *c, now_ms),
                           domain::perm::kViewChannel);
}

ChannelVisibility SnapshotVisibility(CommunityDeps& deps, domain::Snowflake guild_id,
                                     std::optional<domain::Snowflake> user_id) {
  ChannelVisibility v;
  auto guild = deps.store.GetGuild(guild_id);
  auto roles = deps.store.ListRoles(guild_id);
  auto channels = deps.store.ListChannels(guild_id);
  if (!guild || !roles || !channels) return v;
  std::vector<domain::Member> members;
  if (user_id) {
    auto member = deps.store.GetMember(guild_id, *user_id);
    if (!member) return v;
    members.push_back(std::move(*member));
  } else {
    domain::Snowflake after = 0;
    while (true) {
      auto page = deps.store.ListMembers(guild_id, after, store::kMaxMemberPage);
      if (!page) return v;
      for (auto& m : *page) {
        after = m.user_id;
        members.push_back(std::move(m));
      }
      if (page->size() < static_cast<std::size_t>(store::kMaxMemberPage)) break;
    }
  }
  const std::int64_t now = deps.access.Now();
  for (const auto& m : members) {
    auto& seen = v.visible[m.user_id];
    for (const auto& c : *channels) {
      const auto p = domain::ComputePermissions(*guild, *roles, m, c, now);
      if (domain::perm::Has(p, domain::perm::kViewChannel)) seen.insert(c.id);
    }
  }
  v.channels = std::move(*channels);
  v.complete = true;
  return v;
}

void AnnounceVisibilityChanges(CommunityDeps& deps, domain::Snowflake guild_id,
                               const ChannelVisibility& before, const ChannelVisibility& after) {
  if (!before.complete || !after.complete) return;
  auto announce =
      [&](const char* type, domain::Snowflake user_id, const std::vector<domain::Channel>& channels,
          const std::set<domain::Snowflake>& ids, const std::set<domain::Snowflake>& not_in) {
        for (const auto& c : channels) {
          if (ids.count(c.id) && !not_in.count(c.id)) {
            PublishTo(deps.bus, type, guild_id, {user_id}, bus::Intent::kGuilds,
                      domain::json::ChannelJson(c));
          }
        }
      };
  for (const auto& [user_id, now_visible] : after.visible) {
    auto was = before.visible.find(user_id);
    if (was == before.visible.end() || was->second == now_visible) continue;
    announce("CHANNEL_DELETE", user_id, before.channels, was->second, now_visible);
    announce("CHANNEL_CREATE", user_id, after.channels, now_visible, was->second);
  }
}

std::optional<FieldError> NormalizeChannelName(domain::ChannelType type, std::string& name) {
  if (auto bad = domain::ValidateText("name", name)) return bad;
  if (type == domain::ChannelType::kGuildText || type == domain::ChannelType::kGuildAnnouncement ||
      type == domain::ChannelType::kGuildForum) {
    std::string out;
    bool pending_dash = false;
    for (char c : name) {
      if (std::isspace(static_cast<unsigned char>(c))) {
        pending_dash = !out.empty();
        continue;
      }
      if (pending_dash) out.push_back('-');
      pending_dash = false;
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    name = std::move(out);
  }
  const std::size_t n = CodePoints(name);
  if (n < 1 || n > 100 || IsBlank(name)) {
    return FieldError{"name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."};
  }
  return std::nullopt;
}

std::optional<FieldError> ValidateGuildName(const std::string& name) {
  if (auto bad = domain::ValidateText("name", name)) return bad;
  const std::size_t n = CodePoints(name);
  if (n < 2 || n > 100 || IsBlank(name)) {
    return FieldError{"name", "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."};
  }
  return std::nullopt;
}

Result<std::int64_t> CountOnline(CommunityDeps& deps, domain::Snowflake guild_id) {
  if (!deps.count_online) return std::int64_t{0};
  auto members = deps.access.GuildMembers(guild_id);
  if (!members) return members.error();
  return deps.count_online(*members);
}

}  // namespace chat::service
