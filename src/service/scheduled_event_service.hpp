// service/scheduled_event_service.hpp — a guild's scheduled events (Discord's
// /guilds/{id}/scheduled-events) and the members interested in them.
//
// Who sees an event: every member for an EXTERNAL one; for one held in a channel, those who can
// view the channel. Who makes one: CREATE_EVENTS (or MANAGE_EVENTS) holders, who also need, in its
// channel, VIEW_CHANNEL and CONNECT (voice) or MANAGE_CHANNELS, MUTE_MEMBERS and MOVE_MEMBERS
// (stage). Who changes or deletes one: MANAGE_EVENTS holders, or its creator with CREATE_EVENTS,
// with the same channel permissions. Each change is audited (100–102) and announced to those who
// see the event as GUILD_SCHEDULED_EVENT_CREATE/UPDATE/DELETE; interest as
// GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE (intent GUILD_SCHEDULED_EVENTS). AdvanceDue() is Discord's
// status automation, run every few seconds by the app. Synchronous: run on the db pool.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/scheduled_event.hpp"
#include "domain/user.hpp"
#include "service/community_common.hpp"
#include "service/image_data.hpp"

namespace chat::service {

struct ScheduledEventView {
  domain::ScheduledEvent event;
  std::optional<domain::User> creator;
  std::optional<std::int64_t> user_count;  // when asked for (with_user_count)
};

// One interested member, for the users list.
struct ScheduledEventUser {
  domain::User user;
  std::optional<domain::Member> member;  // with_member
};

struct EventUsersQuery {
  std::size_t limit = 100;  // 1–100
  bool with_member = false;
  domain::Snowflake before = 0;  // when set, `after` is ignored (as on Discord)
  domain::Snowflake after = 0;
};

using CoverFile = ImageFile;

class ScheduledEventService {
 public:
  explicit ScheduledEventService(CommunityDeps deps) : deps_(deps) {}

  // The guild's SCHEDULED and ACTIVE events the user can see, ascending by id.
  [[nodiscard]] Result<std::vector<ScheduledEventView>> List(domain::Snowflake user_id,
                                                             domain::Snowflake guild_id,
                                                             bool with_user_count);
  // Any event of the guild the user can see, finished ones too (10070 otherwise).
  [[nodiscard]] Result<ScheduledEventView> Get(domain::Snowflake user_id,
                                               domain::Snowflake guild_id,
                                               domain::Snowflake event_id, bool with_user_count);
  // Both take Discord's `image` (a data URI of a PNG, JPEG, GIF or WebP cover image, at most
  // domain::kMaxEventCoverBytes; null removes it): the event's `image` is then its hash.
  // 30038 when the guild has 100 open events already.
  [[nodiscard]] Result<ScheduledEventView> Create(domain::Snowflake user_id,
                                                  domain::Snowflake guild_id,
                                                  const boost::json::object& body,
                                                  const AuditReason& reason = {});
  // 180000 for a COMPLETED or CANCELED event.
  [[nodiscard]] Result<ScheduledEventView> Modify(domain::Snowflake user_id,
                                                  domain::Snowflake guild_id,
                                                  domain::Snowflake event_id,
                                                  const boost::json::object& body,
                                                  const AuditReason& reason = {});
  // The cover image /guild-events/{event_id}/{hash} names (public, as Discord's CDN): its bytes and
  // type; 404 when the event has no cover of that hash.
  [[nodiscard]] Result<CoverFile> Cover(domain::Snowflake event_id, std::string_view hash);
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake guild_id,
                                    domain::Snowflake event_id, const AuditReason& reason = {});
  [[nodiscard]] Result<std::vector<ScheduledEventUser>> Users(domain::Snowflake user_id,
                                                              domain::Snowflake guild_id,
                                                              domain::Snowflake event_id,
                                                              const EventUsersQuery& query);
  // The user's interest in an open event they can see (Discord's users/@me); announced only when
  // it changed.
  [[nodiscard]] Result<void> SetInterest(domain::Snowflake user_id, domain::Snowflake guild_id,
                                         domain::Snowflake event_id, bool interested);

  // For a stage started for `event_id`: the event must be the guild's STAGE_INSTANCE event of
  // `channel_id`, still SCHEDULED (50035 naming guild_scheduled_event_id otherwise).
  [[nodiscard]] Result<void> CheckStageStart(domain::Snowflake guild_id,
                                             domain::Snowflake channel_id,
                                             domain::Snowflake event_id);
  // The stage of a stage event started (the event becomes ACTIVE) or ended (COMPLETED), and
  // announced. The stage's change is committed already: a failure here is logged.
  void FollowStage(domain::Snowflake event_id, bool started);
  // The other way round: a stage event a moderator made ACTIVE opens its stage (titled after the
  // event, unless the channel has one open), and one made COMPLETED closes the stage it opened.
  void FollowEvent(const domain::ScheduledEvent& event);

  // Moves every event the clock has made due (domain::DueStatus) and announces each move; on
  // several nodes each runs it and the store's status check lets one of them move an event.
  // Returns how many moves were made.
  [[nodiscard]] Result<int> AdvanceDue();

 private:
  // The event when it is the guild's and the user can see it (10070 otherwise), with the user's
  // access to the guild.
  struct Seen {
    GuildAccess guild;
    domain::ScheduledEvent event;
  };
  Result<Seen> Find(domain::Snowflake user_id, domain::Snowflake guild_id,
                    domain::Snowflake event_id);
  // MISSING_PERMISSIONS unless the user may hold an event of `event`'s kind in its channel, and,
  // for an existing event (`creating` false), may manage it.
  Result<void> CheckManage(const GuildAccess& access, domain::Snowflake user_id,
                           const domain::ScheduledEvent& event, bool creating);
  Result<std::vector<ScheduledEventView>> Views(std::vector<domain::ScheduledEvent> events,
                                                bool with_user_count);
  // Who sees the event: every member, or its channel's viewers.
  Result<std::vector<domain::Snowflake>> Viewers(const domain::ScheduledEvent& event);
  void Announce(const char* type, const domain::ScheduledEvent& event,
                const boost::json::value& payload);
  // Reads the event, and moves its status alone to next_of(the event as read) and announces it;
  // false when it is gone, when next_of says to stay, or when another writer moved it first.
  Result<bool> Move(
      domain::Snowflake event_id,
      const std::function<domain::EventStatus(const domain::ScheduledEvent&)>& next_of);
  CommunityDeps deps_;
};

// Discord's guild scheduled event object, with `creator` and `user_count` when the view has them.
boost::json::object ScheduledEventViewJson(const ScheduledEventView& view);

// A GUILD_CREATE's `guild_scheduled_events`: the open events `member` can see.
Result<boost::json::array> VisibleScheduledEventsJson(store::Store& store,
                                                      const domain::Guild& guild,
                                                      const std::vector<domain::Role>& roles,
                                                      const domain::Member& member,
                                                      const std::vector<domain::Channel>& channels,
                                                      std::int64_t now_ms);

}  // namespace chat::service
