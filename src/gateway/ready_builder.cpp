#include "gateway/ready_builder.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "gateway/session.hpp"
#include "service/emoji_service.hpp"
#include "service/scheduled_event_service.hpp"
#include "service/stage_instance_service.hpp"
#include "service/sticker_service.hpp"
#include "service/thread_service.hpp"

namespace chat::gateway {
namespace {

namespace bj = boost::json;
using domain::Snowflake;

Result<bj::object> GuildCreate(store::Store& store, const domain::Guild& guild, Snowflake user_id,
                               int large_threshold, bool presences_intent,
                               const PresenceTracker* tracker, const VoiceStates* voice,
                               std::int64_t now_ms) {
  auto roles = store.ListRoles(guild.id);
  if (!roles) return roles.error();
  auto me = store.GetMember(guild.id, user_id);
  if (!me) return me.error();
  auto channels = store.ListChannels(guild.id);
  if (!channels) return channels.error();
  auto count = store.CountMembers(guild.id);
  if (!count) return count.error();
  std::vector<VoiceState> in_voice;
  if (voice) in_voice = voice->InGuild(guild.id);
  Result<std::vector<domain::Member>> members = std::vector<domain::Member>();
  if (presences_intent) {
    members = store.ListMembers(guild.id, 0, large_threshold);
  } else {
    for (const auto& v : in_voice) {
      const bool listed = v.user_id == user_id || std::any_of(members->begin(), members->end(),
                                                              [&](const domain::Member& m) {
                                                                return m.user_id == v.user_id;
                                                              });
      if (listed) continue;
      auto m = store.GetMember(guild.id, v.user_id);
      if (m) members->push_back(std::move(*m));
    }
  }
  if (!members) return members.error();
  if (std::none_of(members->begin(), members->end(),
                   [&](const domain::Member& m) { return m.user_id == user_id; })) {
    members->push_back(*me);
  }
  std::vector<Snowflake> ids;
  ids.reserve(members->size());
  for (const auto& m : *members) ids.push_back(m.user_id);
  auto users = store.ListUsers(ids);
  if (!users) return users.error();

  auto threads = service::VisibleActiveThreadsJson(store, guild, *roles, *me, *channels, now_ms);
  if (!threads) return threads.error();

  auto emojis = store.ListEmojis(guild.id);
  if (!emojis) return emojis.error();
  auto stickers = store.ListStickers(guild.id);
  if (!stickers) return stickers.error();
  auto events = service::VisibleScheduledEventsJson(store, guild, *roles, *me, *channels, now_ms);
  if (!events) return events.error();
  auto stages = service::VisibleStagesJson(store, guild, *roles, *me, *channels, now_ms);
  if (!stages) return stages.error();

  bj::object o = domain::json::GuildJson(guild, *roles);
  o["emojis"] = service::EmojisJson(*emojis);
  o["stickers"] = service::StickersJson(*stickers);
  bj::array channel_list;
  for (const auto& c : *channels) {
    // Channels the user cannot view are left out entirely: not even their names leak.
    const auto perms = domain::ComputePermissions(guild, *roles, *me, c, now_ms);
    if (perms & domain::perm::kViewChannel) channel_list.push_back(domain::json::ChannelJson(c));
  }
  bj::array member_list;
  bj::array presences;
  if (tracker && presences_intent) {
    std::erase(ids, user_id);
    const auto shown = tracker->Visible(ids);  // one call: several nodes ask the directory
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (shown[i]) presences.push_back(PresenceJson(ids[i], guild.id, *shown[i]));
    }
  }
  for (const auto& m : *members) {
    auto u = std::find_if(users->begin(), users->end(),
                          [&](const domain::User& x) { return x.id == m.user_id; });
    if (u != users->end()) member_list.push_back(domain::json::MemberJson(m, *u));
  }
  o["joined_at"] = domain::json::IsoTimestamp(me->joined_at_ms);
  o["large"] = *count > large_threshold;
  o["unavailable"] = false;
  o["member_count"] = *count;
  o["channels"] = std::move(channel_list);
  o["members"] = std::move(member_list);
  o["threads"] = std::move(*threads);
  o["presences"] = std::move(presences);
  bj::array voice_states;
  for (const auto& v : in_voice) voice_states.push_back(VoiceStateJson(v));
  o["voice_states"] = std::move(voice_states);
  o["stage_instances"] = std::move(*stages);
  o["guild_scheduled_events"] = std::move(*events);
  o["soundboard_sounds"] = bj::array();
  return o;
}

}  // namespace

bus::EventPtr LocalDispatch(std::string type, std::string payload) {
  auto e = std::make_shared<bus::Event>();
  e->type = std::move(type);
  e->payload = std::move(payload);
  return e;
}

Result<std::vector<bus::EventPtr>> BuildReady(store::Store& store, const ReadyInput& input,
                                              std::int64_t now_ms) {
  auto user = store.GetUser(input.user_id);
  if (!user) return user.error();
  auto guilds = store.ListUserGuilds(input.user_id);
  if (!guilds) return guilds.error();
  if (input.shard) {
    std::erase_if(*guilds, [&](const domain::Guild& g) {
      return !InShard(g.id, input.shard->first, input.shard->second);
    });
  }
  auto dms = store.ListDmChannels(input.user_id);
  if (!dms) return dms.error();

  bj::object ready;
  ready["v"] = input.version;
  ready["user"] = domain::json::UserJson(*user, /*self=*/true);
  bj::array stubs;
  for (const auto& g : *guilds) {
    stubs.push_back(bj::object{{"id", domain::ToString(g.id)}, {"unavailable", true}});
  }
  ready["guilds"] = std::move(stubs);
  ready["session_id"] = input.session_id;
  ready["session_type"] = "normal";
  ready["resume_gateway_url"] = input.resume_gateway_url;
  if (input.shard) ready["shard"] = bj::array{input.shard->first, input.shard->second};
  bj::object application{{"id", domain::ToString(input.user_id)}, {"flags", 0}};
  if (user->bot) {
    if (auto app = store.GetApplicationByBotUser(input.user_id)) {
      application = bj::object{{"id", domain::ToString(app->id)}, {"flags", app->flags}};
    }
  }
  ready["application"] = std::move(application);
  bj::array private_channels;
  for (const auto& c : *dms) {
    std::vector<Snowflake> others;
    for (auto r : c.recipient_ids) {
      if (r != input.user_id) others.push_back(r);
    }
    auto recipients = store.ListUsers(others);
    if (!recipients) return recipients.error();
    private_channels.push_back(domain::json::DmChannelJson(c, *recipients));
  }
  ready["private_channels"] = std::move(private_channels);
  ready["read_state"] = bj::object{{"entries", bj::array()}, {"partial", false}, {"version", 0}};
  ready["user_settings"] = bj::object();
  ready["relationships"] = bj::array();
  ready["presences"] = bj::array();

  std::vector<bus::EventPtr> out;
  out.reserve(guilds->size() + 1);
  out.push_back(LocalDispatch("READY", bj::serialize(ready)));
  for (const auto& g : *guilds) {
    auto gc = GuildCreate(store, g, input.user_id, input.large_threshold, input.presences_intent,
                          input.presences, input.voice, now_ms);
    if (!gc) return gc.error();
    auto e = std::make_shared<bus::Event>();
    e->type = "GUILD_CREATE";
    e->guild_id = g.id;
    e->payload = bj::serialize(*gc);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace chat::gateway
