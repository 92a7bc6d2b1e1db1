#include "service/scheduled_event_service.hpp"

#include <algorithm>
#include <iterator>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/json/scheduled_event_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "service/image_data.hpp"
#include "service/stage_instance_service.hpp"
#include "store/errors.hpp"
#include "store/scheduled_event_store.hpp"

namespace chat::service {
namespace perm = domain::perm;
namespace json = boost::json;
using domain::EventEntityType;
using domain::ScheduledEvent;
using domain::Snowflake;

namespace {

constexpr std::string_view kEventsLog = "scheduled_events";
// Moves per AdvanceDue() call at most: a backlog (a server that was down) drains over several.
constexpr std::size_t kDueBatch = 200;

json::object AuditFields(const ScheduledEvent& e) {
  json::object o{{"name", e.name},
                 {"status", static_cast<int>(e.status)},
                 {"entity_type", static_cast<int>(e.entity_type)},
                 {"privacy_level", domain::kEventPrivacyGuildOnly},
                 {"scheduled_start_time", domain::json::IsoTimestamp(e.start_ms)}};
  if (!e.description.empty()) o["description"] = e.description;
  if (e.channel_id != 0) o["channel_id"] = domain::ToString(e.channel_id);
  if (e.end_ms != 0) o["scheduled_end_time"] = domain::json::IsoTimestamp(e.end_ms);
  if (!e.location.empty()) o["location"] = e.location;
  if (!e.image_hash.empty()) o["image_hash"] = e.image_hash;
  return o;
}

using CoverChange = ImageChange;
Result<CoverChange> ReadCover(const json::object& body) {
  return ReadImageField(body, "image", domain::kMaxEventCoverBytes);
}

Error TooManyEvents() {
  return Error{Errc::kValidation,
               "Maximum number of uncompleted guild scheduled events reached (100)", 30038};
}

Error FinishedEvent() { return Error{Errc::kValidation, "Cannot update a finished event", 180000}; }

}  // namespace

json::object ScheduledEventViewJson(const ScheduledEventView& v) {
  json::object o = domain::json::ScheduledEventJson(v.event);
  if (v.creator) o["creator"] = domain::json::UserJson(*v.creator);
  if (v.user_count) o["user_count"] = *v.user_count;
  return o;
}

Result<json::array> VisibleScheduledEventsJson(store::Store& store, const domain::Guild& guild,
                                               const std::vector<domain::Role>& roles,
                                               const domain::Member& member,
                                               const std::vector<domain::Channel>& channels,
                                               std::int64_t now_ms) {
  auto events = store.ListScheduledEvents(guild.id);
  if (!events) return events.error();
  json::array out;
  for (const auto& e : *events) {
    if (!domain::IsOpen(e.status)) continue;
    // Those who see the event's channel see the event (every member one outside the guild).
    if (e.channel_id == 0 || ViewsChannel(guild, roles, member, channels, e.channel_id, now_ms)) {
      out.push_back(domain::json::ScheduledEventJson(e));
    }
  }
  return out;
}

Result<std::vector<ScheduledEventView>> ScheduledEventService::Views(
    std::vector<ScheduledEvent> events, bool with_user_count) {
  std::vector<Snowflake> ids;
  for (const auto& e : events) ids.push_back(e.creator_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto users = deps_.store.ListUsers(ids);
  if (!users) return users.error();
  std::vector<std::int64_t> counts;
  if (with_user_count) {
    std::vector<Snowflake> event_ids;
    for (const auto& e : events) event_ids.push_back(e.id);
    auto read = deps_.store.CountScheduledEventUsers(event_ids);
    if (!read) return read.error();
    counts = std::move(*read);
  }
  std::vector<ScheduledEventView> out;
  out.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    ScheduledEventView v{std::move(events[i]), std::nullopt, std::nullopt};
    auto u = std::find_if(users->begin(), users->end(),
                          [&](const domain::User& x) { return x.id == v.event.creator_id; });
    if (u != users->end()) v.creator = *u;
    if (i < counts.size()) v.user_count = counts[i];
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<Snowflake>> ScheduledEventService::Viewers(const ScheduledEvent& e) {
  if (e.channel_id == 0) return deps_.access.GuildMembers(e.guild_id);
  auto channel = deps_.store.GetChannel(e.channel_id);
  if (!channel) return channel.error();
  return deps_.access.ChannelViewers(*channel);
}

void ScheduledEventService::Announce(const char* type, const ScheduledEvent& e,
                                     const json::value& payload) {
  auto recipients = Viewers(e);
  if (!recipients) {
    log::Warn(kEventsLog, "event dropped", {{"type", type}, {"error", recipients.error().message}});
    return;
  }
  PublishTo(deps_.bus, type, e.guild_id, std::move(*recipients), bus::Intent::kGuildScheduledEvents,
            payload);
}

Result<ScheduledEventService::Seen> ScheduledEventService::Find(Snowflake user_id,
                                                                Snowflake guild_id,
                                                                Snowflake event_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto e = deps_.store.GetScheduledEvent(event_id);
  if (!e) return e.error();
  if (e->guild_id != guild_id) return store::UnknownScheduledEvent();
  if (e->channel_id != 0) {
    auto channel = deps_.store.GetChannel(e->channel_id);
    if (!channel && channel.error().code != Errc::kNotFound) return channel.error();
    if (!channel || !perm::Has(domain::ComputePermissions(ga->guild, ga->roles, ga->member,
                                                          *channel, deps_.access.Now()),
                               perm::kViewChannel)) {
      return store::UnknownScheduledEvent();
    }
  }
  return Seen{std::move(*ga), std::move(*e)};
}

Result<void> ScheduledEventService::CheckManage(const GuildAccess& access, Snowflake user_id,
                                                const ScheduledEvent& e, bool creating) {
  // In a channel, its overwrites decide the event bits too (as Discord computes them).
  std::optional<domain::Channel> channel;
  std::uint64_t perms = access.permissions;
  if (e.channel_id != 0) {
    auto read = deps_.store.GetChannel(e.channel_id);
    if (!read) return read.error();
    if (read->guild_id != access.guild.id) return store::UnknownChannel();
    perms = domain::ComputePermissions(access.guild, access.roles, access.member, *read,
                                       deps_.access.Now());
    channel = std::move(*read);
  }
  if (creating) {
    if (!(perms & (perm::kCreateEvents | perm::kManageEvents))) return MissingPermissions();
  } else {
    const bool manager = perm::Has(perms, perm::kManageEvents);
    const bool own = e.creator_id == user_id && perm::Has(perms, perm::kCreateEvents);
    if (!manager && !own) return MissingPermissions();
  }
  if (!channel) return {};
  const bool voice = e.entity_type == EventEntityType::kVoice;
  if (channel->type !=
      (voice ? domain::ChannelType::kGuildVoice : domain::ChannelType::kGuildStageVoice)) {
    return InvalidForm("channel_id", "GUILD_SCHEDULED_EVENT_INVALID_CHANNEL_TYPE",
                       voice ? "A VOICE event is held in a voice channel."
                             : "A STAGE_INSTANCE event is held in a stage channel.");
  }
  const std::uint64_t needed =
      voice ? perm::kViewChannel | perm::kConnect
            : perm::kViewChannel | perm::kManageChannels | perm::kMuteMembers | perm::kMoveMembers;
  if ((perms & needed) != needed) return MissingPermissions();
  return {};
}

Result<std::vector<ScheduledEventView>> ScheduledEventService::List(Snowflake user_id,
                                                                    Snowflake guild_id,
                                                                    bool with_user_count) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto events = deps_.store.ListScheduledEvents(guild_id);
  if (!events) return events.error();
  std::vector<domain::Channel> channels;
  if (std::any_of(events->begin(), events->end(),
                  [](const ScheduledEvent& e) { return e.channel_id != 0; })) {
    auto read = deps_.store.ListChannels(guild_id);
    if (!read) return read.error();
    channels = std::move(*read);
  }
  const auto now = deps_.access.Now();
  std::erase_if(*events, [&](const ScheduledEvent& e) {
    if (!domain::IsOpen(e.status)) return true;
    return e.channel_id != 0 &&
           !ViewsChannel(ga->guild, ga->roles, ga->member, channels, e.channel_id, now);
  });
  return Views(std::move(*events), with_user_count);
}

Result<ScheduledEventView> ScheduledEventService::Get(Snowflake user_id, Snowflake guild_id,
                                                      Snowflake event_id, bool with_user_count) {
  auto seen = Find(user_id, guild_id, event_id);
  if (!seen) return seen.error();
  auto views = Views({std::move(seen->event)}, with_user_count);
  if (!views) return views.error();
  return std::move(views->front());
}

Result<ScheduledEventView> ScheduledEventService::Create(Snowflake user_id, Snowflake guild_id,
                                                         const json::object& body,
                                                         const AuditReason& reason) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto e = domain::json::ParseScheduledEvent(body, nullptr, deps_.access.Now());
  if (!e) return e.error();
  e->id = deps_.ids.Next();
  e->guild_id = guild_id;
  e->creator_id = user_id;
  if (auto ok = CheckManage(*ga, user_id, *e, true); !ok) return ok.error();
  auto cover = ReadCover(body);
  if (!cover) return cover.error();
  auto stored = deps_.store.CreateScheduledEvent(*e, domain::kMaxOpenScheduledEvents,
                                                 *cover ? &**cover : nullptr);
  if (!stored) return stored.error();
  if (!*stored) return TooManyEvents();
  if (*cover && **cover) e->image_hash = (**cover)->hash;
  RecordAudit(deps_.audit, guild_id, user_id, e->id, domain::AuditLogAction::kScheduledEventCreate,
              AuditDiff({}, AuditFields(*e)), reason);
  auto views = Views({*e}, false);
  if (!views) return views.error();
  Announce("GUILD_SCHEDULED_EVENT_CREATE", *e, ScheduledEventViewJson(views->front()));
  return std::move(views->front());
}

Result<ScheduledEventView> ScheduledEventService::Modify(Snowflake user_id, Snowflake guild_id,
                                                         Snowflake event_id,
                                                         const json::object& body,
                                                         const AuditReason& reason) {
  // Read once, after the first access check (a stranger's image is not decoded).
  std::optional<Result<CoverChange>> cover;
  // The store writes only over the status it was read with; a move in between (the automation,
  // another moderator) is read again and the request applied to it.
  for (int attempt = 0;; ++attempt) {
    auto seen = Find(user_id, guild_id, event_id);
    if (!seen) return seen.error();
    const ScheduledEvent& before = seen->event;
    if (!domain::IsOpen(before.status)) return FinishedEvent();
    if (auto ok = CheckManage(seen->guild, user_id, before, false); !ok) return ok.error();
    auto after = domain::json::ParseScheduledEvent(body, &before, deps_.access.Now());
    if (!after) return after.error();
    if (after->channel_id != before.channel_id || after->entity_type != before.entity_type) {
      if (auto ok = CheckManage(seen->guild, user_id, *after, false); !ok) return ok.error();
    }
    if (!cover) cover = ReadCover(body);
    if (!*cover) return cover->error();
    const CoverChange& change = **cover;
    auto written =
        deps_.store.UpdateScheduledEvent(*after, before.status, change ? &*change : nullptr);
    if (!written) return written.error();
    if (!*written) {
      if (attempt < 3) continue;
      return Error::Conflict("The event changed while it was being modified; try again.");
    }
    if (change) after->image_hash = *change ? (*change)->hash : std::string();
    if (auto changes = AuditDiff(AuditFields(before), AuditFields(*after)); !changes.empty()) {
      RecordAudit(deps_.audit, guild_id, user_id, event_id,
                  domain::AuditLogAction::kScheduledEventUpdate, std::move(changes), reason);
    }
    auto views = Views({*after}, false);
    if (!views) return views.error();
    const json::object payload = ScheduledEventViewJson(views->front());
    if (after->channel_id != before.channel_id) {
      // Moved to another channel (or out of one): those who see it still get an UPDATE, those who
      // see it only now a CREATE, those who no longer see it a DELETE.
      auto old_viewers = Viewers(before);
      auto new_viewers = Viewers(*after);
      if (!old_viewers || !new_viewers) {
        log::Warn(kEventsLog, "event dropped", {{"type", "GUILD_SCHEDULED_EVENT_UPDATE"}});
      } else {
        std::sort(old_viewers->begin(), old_viewers->end());
        std::sort(new_viewers->begin(), new_viewers->end());
        std::vector<Snowflake> kept, gone, came;
        std::set_intersection(old_viewers->begin(), old_viewers->end(), new_viewers->begin(),
                              new_viewers->end(), std::back_inserter(kept));
        std::set_difference(old_viewers->begin(), old_viewers->end(), new_viewers->begin(),
                            new_viewers->end(), std::back_inserter(gone));
        std::set_difference(new_viewers->begin(), new_viewers->end(), old_viewers->begin(),
                            old_viewers->end(), std::back_inserter(came));
        const auto intent = bus::Intent::kGuildScheduledEvents;
        if (!gone.empty()) {
          PublishTo(deps_.bus, "GUILD_SCHEDULED_EVENT_DELETE", guild_id, std::move(gone), intent,
                    ScheduledEventViewJson({before, views->front().creator, {}}));
        }
        if (!came.empty()) {
          PublishTo(deps_.bus, "GUILD_SCHEDULED_EVENT_CREATE", guild_id, std::move(came), intent,
                    payload);
        }
        if (!kept.empty()) {
          PublishTo(deps_.bus, "GUILD_SCHEDULED_EVENT_UPDATE", guild_id, std::move(kept), intent,
                    payload);
        }
      }
    } else {
      Announce("GUILD_SCHEDULED_EVENT_UPDATE", *after, payload);
    }
    if (after->entity_type == EventEntityType::kStageInstance && after->status != before.status) {
      FollowEvent(*after);
    }
    return std::move(views->front());
  }
}

Result<void> ScheduledEventService::Delete(Snowflake user_id, Snowflake guild_id,
                                           Snowflake event_id, const AuditReason& reason) {
  auto seen = Find(user_id, guild_id, event_id);
  if (!seen) return seen.error();
  if (auto ok = CheckManage(seen->guild, user_id, seen->event, false); !ok) return ok.error();
  // Recipients are read while the event and its channel still exist.
  auto views = Views({seen->event}, false);
  if (!views) return views.error();
  if (auto r = deps_.store.DeleteScheduledEvent(event_id); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, event_id,
              domain::AuditLogAction::kScheduledEventDelete,
              AuditDiff(AuditFields(seen->event), {}), reason);
  Announce("GUILD_SCHEDULED_EVENT_DELETE", seen->event, ScheduledEventViewJson(views->front()));
  return {};
}

Result<std::vector<ScheduledEventUser>> ScheduledEventService::Users(Snowflake user_id,
                                                                     Snowflake guild_id,
                                                                     Snowflake event_id,
                                                                     const EventUsersQuery& q) {
  auto seen = Find(user_id, guild_id, event_id);
  if (!seen) return seen.error();
  auto ids = deps_.store.ListScheduledEventUsers(event_id, q.before, q.after, q.limit);
  if (!ids) return ids.error();
  auto users = deps_.store.ListUsers(*ids);
  if (!users) return users.error();
  std::vector<ScheduledEventUser> out;
  out.reserve(ids->size());
  for (auto id : *ids) {
    auto u = std::find_if(users->begin(), users->end(),
                          [&](const domain::User& x) { return x.id == id; });
    if (u == users->end()) continue;
    ScheduledEventUser entry{*u, std::nullopt};
    if (q.with_member) {
      auto m = deps_.store.GetMember(guild_id, id);
      if (m) {
        entry.member = std::move(*m);
      } else if (m.error().code != Errc::kNotFound) {
        return m.error();
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Result<void> ScheduledEventService::SetInterest(Snowflake user_id, Snowflake guild_id,
                                                Snowflake event_id, bool interested) {
  auto seen = Find(user_id, guild_id, event_id);
  if (!seen) return seen.error();
  if (interested && !domain::IsOpen(seen->event.status)) return FinishedEvent();
  auto changed = interested ? deps_.store.AddScheduledEventUser(event_id, user_id)
                            : deps_.store.RemoveScheduledEventUser(event_id, user_id);
  if (!changed) return changed.error();
  if (*changed) {
    Announce(interested ? "GUILD_SCHEDULED_EVENT_USER_ADD" : "GUILD_SCHEDULED_EVENT_USER_REMOVE",
             seen->event,
             json::object{{"guild_scheduled_event_id", domain::ToString(event_id)},
                          {"user_id", domain::ToString(user_id)},
                          {"guild_id", domain::ToString(guild_id)}});
  }
  return {};
}

Result<bool> ScheduledEventService::Move(
    Snowflake event_id, const std::function<domain::EventStatus(const ScheduledEvent&)>& next_of) {
  // Read afresh and move the status alone: a moderator's edit since the caller looked is kept,
  // and decides (a start moved later is no longer due).
  auto e = deps_.store.GetScheduledEvent(event_id);
  if (!e) return e.error().code == Errc::kNotFound ? Result<bool>(false) : e.error();
  const auto next = next_of(*e);
  if (next == e->status) return false;
  auto written = deps_.store.SetScheduledEventStatus(event_id, e->status, next);
  if (!written || !*written) return written;
  e->status = next;
  auto views = Views({*e}, false);
  if (!views) {
    log::Warn(kEventsLog, "status change not announced", {{"error", views.error().message}});
    return true;
  }
  Announce("GUILD_SCHEDULED_EVENT_UPDATE", *e, ScheduledEventViewJson(views->front()));
  return true;
}

void ScheduledEventService::FollowEvent(const ScheduledEvent& e) {
  auto channel = deps_.store.GetChannel(e.channel_id);
  if (!channel) return;
  if (e.status == domain::EventStatus::kActive) {
    // As on Discord, starting a stage event opens its stage, titled after it (unless one is
    // open already).
    domain::StageInstance stage;
    stage.id = deps_.ids.Next();
    stage.guild_id = e.guild_id;
    stage.channel_id = e.channel_id;
    stage.topic = e.name;
    stage.scheduled_event_id = e.id;
    if (deps_.store.CreateStageInstance(stage)) {
      PublishToViewers(deps_, "STAGE_INSTANCE_CREATE", *channel, StageInstanceJson(stage));
    }
    return;
  }
  if (e.status == domain::EventStatus::kCompleted) {
    // Ending it closes the stage it opened (not one opened for something else).
    auto stage = deps_.store.GetStageInstance(e.channel_id);
    if (!stage || stage->scheduled_event_id != e.id) return;
    if (auto gone = deps_.store.DeleteStageInstance(e.channel_id)) {
      PublishToViewers(deps_, "STAGE_INSTANCE_DELETE", *channel, StageInstanceJson(*gone));
    }
  }
}

Result<void> ScheduledEventService::CheckStageStart(Snowflake guild_id, Snowflake channel_id,
                                                    Snowflake event_id) {
  auto e = deps_.store.GetScheduledEvent(event_id);
  if (!e && e.error().code != Errc::kNotFound) return e.error();
  if (!e || e->guild_id != guild_id || e->channel_id != channel_id ||
      e->entity_type != EventEntityType::kStageInstance ||
      e->status != domain::EventStatus::kScheduled) {
    return InvalidForm("guild_scheduled_event_id", "GUILD_SCHEDULED_EVENT_INVALID",
                       "Must be a scheduled STAGE_INSTANCE event of this stage channel.");
  }
  return {};
}

void ScheduledEventService::FollowStage(Snowflake event_id, bool started) {
  const auto from = started ? domain::EventStatus::kScheduled : domain::EventStatus::kActive;
  const auto to = started ? domain::EventStatus::kActive : domain::EventStatus::kCompleted;
  auto moved =
      Move(event_id, [&](const ScheduledEvent& e) { return e.status == from ? to : e.status; });
  if (!moved) {
    log::Warn(kEventsLog, "stage event not moved", {{"error", moved.error().message}});
  }
}

Result<int> ScheduledEventService::AdvanceDue() {
  const auto now = deps_.access.Now();
  auto due = deps_.store.ListScheduledEventsDue(now, kDueBatch);
  if (!due) return due.error();
  int moved = 0;
  for (const auto& e : *due) {
    // An external event past both its times starts and completes in the same sweep (one
    // transition per move). Nothing to move, or a race lost to another node or a moderator, ends
    // it: what is still due then is the next sweep's.
    for (int step = 0; step < 2; ++step) {
      auto written =
          Move(e.id, [&](const ScheduledEvent& fresh) { return domain::DueStatus(fresh, now); });
      if (!written) return written.error();
      if (!*written) break;
      ++moved;
    }
  }
  return moved;
}

Result<CoverFile> ScheduledEventService::Cover(Snowflake event_id, std::string_view hash) {
  auto cover = deps_.store.GetScheduledEventCover(event_id);
  if (!cover) return cover.error();
  return ImageBytes(std::move(*cover), hash, store::UnknownScheduledEvent());
}

}  // namespace chat::service
