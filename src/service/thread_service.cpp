#include "service/thread_service.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/forum_json.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/permissions.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
namespace json = boost::json;
using domain::ChannelType;
using domain::Snowflake;

namespace {

// Where threads start on their own or from a message. Forums hold posts instead, which start
// with their message (StartPost).
bool CanHoldThreads(ChannelType t) {
  return t == ChannelType::kGuildText || t == ChannelType::kGuildAnnouncement;
}

bool IsPrivate(const domain::Channel& c) { return c.type == ChannelType::kPrivateThread; }

json::object ThreadAuditFields(const domain::Channel& c) {
  const auto t = c.thread.value_or(domain::ThreadMetadata{});
  json::object o{{"name", c.name},
                 {"type", static_cast<int>(c.type)},
                 {"archived", t.archived},
                 {"locked", t.locked},
                 {"auto_archive_duration", t.auto_archive_duration},
                 {"rate_limit_per_user", c.rate_limit_per_user}};
  if (IsPrivate(c)) o["invitable"] = t.invitable;
  return o;
}

std::optional<FieldError> CheckDuration(const std::optional<int>& minutes) {
  if (minutes && !domain::IsArchiveDuration(*minutes)) {
    return FieldError{"auto_archive_duration", "BASE_TYPE_CHOICES",
                      "Value must be one of {60, 1440, 4320, 10080}."};
  }
  return std::nullopt;
}

json::object MembersUpdate(const domain::Channel& thread, int member_count) {
  return json::object{{"id", std::to_string(thread.id)},
                      {"guild_id", std::to_string(thread.guild_id.value_or(0))},
                      {"member_count", member_count}};
}

}  // namespace

Result<ChannelAccess> ThreadService::ThreadAccess(Snowflake user_id, Snowflake thread_id) {
  auto access = deps_.access.Channel(user_id, thread_id);
  if (!access) return access.error();
  if (!domain::IsThread(access->channel.type)) return WrongChannelType();
  return access;
}

Result<domain::Channel> ThreadService::Create(Snowflake user_id, const ChannelAccess& parent,
                                              Snowflake id, ChannelType type,
                                              const ThreadInput& input, const AuditReason& reason) {
  std::vector<FieldError> errors;
  std::string name = input.name;
  if (auto bad = NormalizeChannelName(type, name)) errors.push_back(*bad);
  if (auto bad = CheckDuration(input.auto_archive_duration)) errors.push_back(*bad);
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));

  const std::int64_t now = deps_.access.Now();
  domain::Channel thread;
  thread.id = id;
  thread.guild_id = parent.channel.guild_id;
  thread.type = type;
  thread.name = std::move(name);
  thread.parent_id = parent.channel.id;
  thread.rate_limit_per_user = input.rate_limit_per_user.value_or(0);
  thread.applied_tags = input.applied_tags;
  domain::ThreadMetadata meta;
  meta.owner_id = user_id;
  meta.auto_archive_duration = input.auto_archive_duration.value_or(1440);
  meta.archive_timestamp_ms = now;
  meta.create_timestamp_ms = now;
  meta.invitable = input.invitable.value_or(true);
  thread.thread = meta;
  const domain::ThreadMember creator{id, user_id, now, 0};
  if (auto r = deps_.store.CreateThread(thread, {creator}); !r) {
    if (r.error().code == Errc::kConflict) {
      return Error{Errc::kValidation, "A thread has already been created for this message",
                   store::kThreadAlreadyCreated};
    }
    return r.error();
  }
  auto stored = deps_.store.GetChannel(id);
  if (!stored) return stored.error();
  RecordAudit(deps_.audit, *thread.guild_id, user_id, id, domain::AuditLogAction::kThreadCreate,
              AuditDiff({}, ThreadAuditFields(*stored)), reason);
  json::object payload = domain::json::ChannelJson(*stored);
  payload["newly_created"] = true;
  PublishToViewers(deps_, "THREAD_CREATE", *stored, payload);
  return stored;
}

Result<domain::Channel> ThreadService::StartFromMessage(Snowflake user_id, Snowflake channel_id,
                                                        Snowflake message_id, ThreadInput input,
                                                        const AuditReason& reason) {
  auto access = deps_.access.RequireChannel(
      user_id, channel_id,
      perm::kViewChannel | perm::kReadMessageHistory | perm::kCreatePublicThreads);
  if (!access) return access.error();
  if (!CanHoldThreads(access->channel.type)) return WrongChannelType();
  auto message = deps_.store.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  const ChannelType type = access->channel.type == ChannelType::kGuildAnnouncement
                               ? ChannelType::kAnnouncementThread
                               : ChannelType::kPublicThread;
  input.invitable.reset();
  return Create(user_id, *access, message_id, type, input, reason);
}

Result<domain::Channel> ThreadService::Start(Snowflake user_id, Snowflake channel_id,
                                             ThreadInput input, const AuditReason& reason) {
  auto access = deps_.access.Channel(user_id, channel_id);
  if (!access) return access.error();
  if (!CanHoldThreads(access->channel.type)) return WrongChannelType();
  const bool announcement = access->channel.type == ChannelType::kGuildAnnouncement;
  const ChannelType type = input.type.value_or(announcement ? ChannelType::kAnnouncementThread
                                                            : ChannelType::kPrivateThread);
  const bool fits =
      announcement ? type == ChannelType::kAnnouncementThread
                   : (type == ChannelType::kPublicThread || type == ChannelType::kPrivateThread);
  if (!fits) {
    return InvalidForm("type", "BASE_TYPE_CHOICES", "Not a thread type for this channel.");
  }
  const std::uint64_t needed = type == ChannelType::kPrivateThread ? perm::kCreatePrivateThreads
                                                                   : perm::kCreatePublicThreads;
  if (!perm::Has(access->permissions, needed)) return MissingPermissions();
  if (type != ChannelType::kPrivateThread) input.invitable.reset();
  return Create(user_id, *access, deps_.ids.Next(), type, input, reason);
}

Result<domain::Channel> ThreadService::Update(Snowflake user_id, Snowflake thread_id,
                                              const ThreadChange& change,
                                              const AuditReason& reason) {
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  const domain::Channel& before = access->channel;
  const auto meta = before.thread.value_or(domain::ThreadMetadata{});
  const bool moderator = perm::Has(access->permissions, perm::kManageThreads);
  const bool owner = meta.owner_id == user_id;

  store::ThreadUpdate update;
  update.now_ms = deps_.access.Now();
  std::vector<FieldError> errors;
  if (change.name) {
    std::string name = *change.name;
    if (auto bad = NormalizeChannelName(before.type, name)) errors.push_back(*bad);
    update.name = std::move(name);
  }
  if (auto bad = CheckDuration(change.auto_archive_duration)) errors.push_back(*bad);
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  update.auto_archive_duration = change.auto_archive_duration;
  update.rate_limit_per_user = change.rate_limit_per_user;
  update.archived = change.archived;
  if (change.applied_tags) {
    if (!before.parent_id) return store::UnknownChannel();
    auto forum = deps_.store.GetChannel(*before.parent_id);
    if (!forum) return forum.error();
    if (forum->type != ChannelType::kGuildForum) {
      return InvalidForm("applied_tags", "TAG_INVALID", "Only forum posts have tags.");
    }
    auto checked =
        CheckTags(*forum, access->permissions, before.applied_tags, *change.applied_tags);
    if (!checked) return checked.error();
    update.applied_tags = change.applied_tags;
  }
  update.locked = change.locked;
  if (IsPrivate(before)) update.invitable = change.invitable;

  // Discord's rules, most specific first.
  if (!moderator) {
    if (change.locked ||
        (meta.locked && (change.archived || change.name || change.auto_archive_duration ||
                         change.rate_limit_per_user || update.invitable || change.applied_tags))) {
      return MissingPermissions();
    }
    const bool owner_fields = change.name || change.auto_archive_duration ||
                              change.rate_limit_per_user || update.invitable ||
                              change.applied_tags || (change.archived && *change.archived);
    if (owner_fields && !owner) return MissingPermissions();
    if (change.archived && !*change.archived &&
        !perm::Has(access->permissions, perm::kSendMessages)) {
      return MissingPermissions();
    }
  }
  // An archived thread changes only by being reopened (in the same request or before).
  const bool reopens = change.archived && !*change.archived;
  const bool other = change.name || change.auto_archive_duration || change.rate_limit_per_user ||
                     change.applied_tags || change.locked || update.invitable;
  if (meta.archived && !reopens && other) return ThreadArchived();

  auto after = deps_.store.UpdateThread(thread_id, update);
  if (!after) return after.error();
  if (auto changes = AuditDiff(ThreadAuditFields(before), ThreadAuditFields(*after));
      !changes.empty()) {
    RecordAudit(deps_.audit, *after->guild_id, user_id, thread_id,
                domain::AuditLogAction::kThreadUpdate, std::move(changes), reason);
  }
  PublishToViewers(deps_, "THREAD_UPDATE", *after, domain::json::ChannelJson(*after));
  return after;
}

Result<domain::Channel> ThreadService::Delete(Snowflake user_id, Snowflake thread_id,
                                              const AuditReason& reason) {
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  if (!perm::Has(access->permissions, perm::kManageThreads)) return MissingPermissions();
  auto viewers = deps_.access.ChannelViewers(access->channel);
  if (auto r = deps_.store.DeleteChannel(thread_id); !r) return r.error();
  RecordAudit(deps_.audit, *access->channel.guild_id, user_id, thread_id,
              domain::AuditLogAction::kThreadDelete,
              AuditDiff(ThreadAuditFields(access->channel), {}), reason);
  AnnounceDeleted(access->channel, std::move(viewers));
  return std::move(access->channel);
}

void ThreadService::AnnounceDeleted(const domain::Channel& c,
                                    Result<std::vector<Snowflake>> viewers) {
  if (!viewers) return;
  json::object payload{{"id", std::to_string(c.id)},
                       {"guild_id", std::to_string(c.guild_id.value_or(0))},
                       {"parent_id", std::to_string(c.parent_id.value_or(0))},
                       {"type", static_cast<int>(c.type)}};
  PublishTo(deps_.bus, "THREAD_DELETE", c.guild_id, std::move(*viewers), bus::Intent::kGuilds,
            payload);
}

Result<void> ThreadService::Discard(const domain::Channel& thread) {
  auto viewers = deps_.access.ChannelViewers(thread);
  if (auto r = deps_.store.DeleteChannel(thread.id); !r) return r.error();
  AnnounceDeleted(thread, std::move(viewers));
  return {};
}

Result<domain::Channel> ThreadService::StartPost(Snowflake user_id, const ChannelAccess& forum,
                                                 ThreadInput input, const AuditReason& reason) {
  if (forum.channel.type != ChannelType::kGuildForum) return WrongChannelType();
  if (!perm::Has(forum.permissions, perm::kViewChannel | perm::kSendMessages)) {
    return MissingPermissions();
  }
  if (auto r = CheckTags(forum.channel, forum.permissions, {}, input.applied_tags); !r) {
    return r.error();
  }
  if (!input.rate_limit_per_user) {
    input.rate_limit_per_user = domain::json::DefaultThreadRateLimit(forum.channel.forum_json);
  }
  input.invitable.reset();
  return Create(user_id, forum, deps_.ids.Next(), ChannelType::kPublicThread, input, reason);
}

Result<void> ThreadService::CheckTags(const domain::Channel& forum, std::uint64_t permissions,
                                      const std::vector<Snowflake>& before,
                                      const std::vector<Snowflake>& after) {
  if (after.size() > domain::kMaxAppliedTags) {
    return InvalidForm("applied_tags", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
  }
  if (after.empty() && (forum.flags & domain::kChannelFlagRequireTag)) {
    return InvalidForm("applied_tags", "REQUIRED_TAGS_MISSING", "This forum requires a tag.");
  }
  const auto tags = domain::json::ForumTags(forum.forum_json);
  const auto has = [](const std::vector<Snowflake>& ids, Snowflake id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  for (std::size_t i = 0; i < after.size(); ++i) {
    auto tag =
        std::find_if(tags.begin(), tags.end(), [&](const auto& t) { return t.id == after[i]; });
    if (tag == tags.end() ||
        std::find(after.begin(), after.begin() + static_cast<std::ptrdiff_t>(i), after[i]) !=
            after.begin() + static_cast<std::ptrdiff_t>(i)) {
      return InvalidForm("applied_tags", "TAG_INVALID", "Not a tag of this forum.");
    }
  }
  // Moderated tags are put on and taken off by moderators only.
  const bool moderator = perm::Has(permissions, perm::kManageThreads);
  for (const auto& tag : tags) {
    if (tag.moderated && has(before, tag.id) != has(after, tag.id) && !moderator) {
      return MissingPermissions();
    }
  }
  return {};
}

void ThreadService::AnnounceMembers(const domain::Channel& thread, Snowflake user_id,
                                    const domain::ThreadMember* added) {
  auto current = deps_.store.GetChannel(thread.id);
  if (!current) {
    log::Warn("communities", "event dropped",
              {{"type", "THREAD_MEMBERS_UPDATE"}, {"error", current.error().message}});
    return;
  }
  const int count = current->thread ? current->thread->member_count : 0;
  json::object payload = MembersUpdate(*current, count);
  if (added) {
    payload["added_members"] = json::array{domain::json::ThreadMemberJson(*added)};
    if (IsPrivate(*current)) {
      json::object created = domain::json::ChannelJson(*current);
      created["member"] = domain::json::ThreadMemberJson(*added);
      PublishTo(deps_.bus, "THREAD_CREATE", current->guild_id, {user_id}, bus::Intent::kGuilds,
                created);
    }
  } else {
    payload["removed_member_ids"] = json::array{json::value(std::to_string(user_id))};
  }
  // The user themself hears of it whatever their intents; others only with GUILD_MEMBERS.
  PublishTo(deps_.bus, "THREAD_MEMBERS_UPDATE", current->guild_id, {user_id}, bus::Intent::kGuilds,
            payload);
  auto viewers = deps_.access.ChannelViewers(*current);
  if (!viewers) return;
  std::erase(*viewers, user_id);
  PublishTo(deps_.bus, "THREAD_MEMBERS_UPDATE", current->guild_id, std::move(*viewers),
            bus::Intent::kGuildMembers, payload);
}

Result<void> ThreadService::Join(Snowflake user_id, Snowflake thread_id) {
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  if (access->channel.thread && access->channel.thread->archived) return ThreadArchived();
  const domain::ThreadMember member{thread_id, user_id, deps_.access.Now(), 0};
  auto added = deps_.store.AddThreadMember(member);
  if (!added) return added.error();
  if (*added) AnnounceMembers(access->channel, user_id, &member);
  return {};
}

Result<void> ThreadService::Leave(Snowflake user_id, Snowflake thread_id) {
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  if (access->channel.thread && access->channel.thread->archived) return ThreadArchived();
  auto removed = deps_.store.RemoveThreadMember(thread_id, user_id);
  if (!removed) return removed.error();
  if (*removed) AnnounceMembers(access->channel, user_id, nullptr);
  return {};
}

Result<void> ThreadService::AddMember(Snowflake user_id, Snowflake thread_id, Snowflake target_id) {
  if (target_id == user_id) return Join(user_id, thread_id);
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  const auto& thread = access->channel;
  if (thread.thread && thread.thread->archived) return ThreadArchived();
  const bool moderator = perm::Has(access->permissions, perm::kManageThreads);
  if (!perm::Has(access->permissions, perm::kSendMessages)) return MissingPermissions();
  if (IsPrivate(thread) && thread.thread && !thread.thread->invitable && !moderator) {
    return MissingPermissions();
  }
  auto target = deps_.store.GetMember(*thread.guild_id, target_id);
  if (!target) return target.error();
  // Nobody is put in a thread of a channel they cannot see: not even its name reaches them.
  if (!thread.parent_id) return store::UnknownChannel();
  auto sees = deps_.access.Channel(target_id, *thread.parent_id);
  if (!sees) return sees.error();
  const domain::ThreadMember member{thread_id, target_id, deps_.access.Now(), 0};
  auto added = deps_.store.AddThreadMember(member);
  if (!added) return added.error();
  if (*added) AnnounceMembers(thread, target_id, &member);
  return {};
}

Result<void> ThreadService::RemoveMember(Snowflake user_id, Snowflake thread_id,
                                         Snowflake target_id) {
  if (target_id == user_id) return Leave(user_id, thread_id);
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  const auto& thread = access->channel;
  if (thread.thread && thread.thread->archived) return ThreadArchived();
  const bool owner = thread.thread && thread.thread->owner_id == user_id;
  if (!perm::Has(access->permissions, perm::kManageThreads) && !(IsPrivate(thread) && owner)) {
    return MissingPermissions();
  }
  auto removed = deps_.store.RemoveThreadMember(thread_id, target_id);
  if (!removed) return removed.error();
  if (!*removed) return store::UnknownMember();
  AnnounceMembers(thread, target_id, nullptr);
  return {};
}

Result<domain::ThreadMember> ThreadService::GetMember(Snowflake user_id, Snowflake thread_id,
                                                      Snowflake target_id) {
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  auto member = deps_.store.GetThreadMember(thread_id, target_id);
  if (!member) return member.error();
  if (!*member) return store::UnknownMember();
  return **member;
}

Result<std::vector<domain::ThreadMember>> ThreadService::ListMembers(Snowflake user_id,
                                                                     Snowflake thread_id) {
  auto access = ThreadAccess(user_id, thread_id);
  if (!access) return access.error();
  return deps_.store.ListThreadMembers(thread_id);
}

Result<int> ThreadService::ArchiveIdle() {
  constexpr int kBatch = 100;
  int archived = 0;
  for (;;) {
    auto batch = deps_.store.ArchiveIdleThreads(deps_.access.Now(), kBatch);
    if (!batch) return batch.error();
    for (const auto& thread : *batch) {
      PublishToViewers(deps_, "THREAD_UPDATE", thread, domain::json::ChannelJson(thread));
    }
    archived += static_cast<int>(batch->size());
    if (batch->size() < static_cast<std::size_t>(kBatch)) return archived;
  }
}

Result<ThreadList> ThreadService::Active(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.Guild(user_id, guild_id);
  if (!ga) return ga.error();
  auto channels = deps_.store.ListChannels(guild_id);
  if (!channels) return channels.error();
  return VisibleActiveThreads(deps_.store, ga->guild, ga->roles, ga->member, *channels,
                              deps_.access.Now());
}

Result<ThreadList> ThreadService::Archived(Snowflake user_id, Snowflake channel_id,
                                           ArchivedKind kind, std::optional<std::int64_t> before_ms,
                                           std::optional<Snowflake> before_id, int limit) {
  std::uint64_t needed = perm::kViewChannel | perm::kReadMessageHistory;
  if (kind == ArchivedKind::kPrivate) needed |= perm::kManageThreads;
  auto access = deps_.access.RequireChannel(user_id, channel_id, needed);
  if (!access) return access.error();
  if (!CanHoldThreads(access->channel.type) && access->channel.type != ChannelType::kGuildForum) {
    return WrongChannelType();
  }
  store::ArchivedThreadQuery q;
  q.parent_id = channel_id;
  q.private_threads = kind != ArchivedKind::kPublic;
  if (kind == ArchivedKind::kJoinedPrivate) {
    q.member_id = user_id;
    q.before_id = before_id;
  } else {
    q.before_ms = before_ms;
  }
  q.limit = limit + 1;
  auto threads = deps_.store.ListArchivedThreads(q);
  if (!threads) return threads.error();
  ThreadList out;
  out.has_more = static_cast<int>(threads->size()) > limit;
  if (out.has_more) threads->resize(static_cast<std::size_t>(limit));
  for (const auto& t : *threads) {
    auto mine = deps_.store.GetThreadMember(t.id, user_id);
    if (!mine) return mine.error();
    if (*mine) out.members.push_back(**mine);
  }
  out.threads = std::move(*threads);
  return out;
}

Result<ThreadList> VisibleActiveThreads(store::Store& store, const domain::Guild& guild,
                                        const std::vector<domain::Role>& roles,
                                        const domain::Member& member,
                                        const std::vector<domain::Channel>& channels,
                                        std::int64_t now_ms) {
  auto threads = store.ListActiveThreads(guild.id);
  if (!threads) return threads.error();
  ThreadList out;
  if (threads->empty()) return out;
  auto joined = store.ListJoinedActiveThreads(guild.id, member.user_id);
  if (!joined) return joined.error();
  for (auto& t : *threads) {
    auto parent = std::find_if(channels.begin(), channels.end(),
                               [&](const domain::Channel& c) { return t.parent_id == c.id; });
    if (parent == channels.end()) continue;
    auto mine = std::find_if(joined->begin(), joined->end(),
                             [&](const domain::ThreadMember& m) { return m.thread_id == t.id; });
    const bool is_member = mine != joined->end();
    const auto p =
        domain::ComputeThreadPermissions(guild, roles, member, *parent, t, is_member, now_ms);
    if (!perm::Has(p, perm::kViewChannel)) continue;
    if (is_member) out.members.push_back(*mine);
    out.threads.push_back(std::move(t));
  }
  return out;
}

Result<json::array> VisibleActiveThreadsJson(store::Store& store, const domain::Guild& guild,
                                             const std::vector<domain::Role>& roles,
                                             const domain::Member& member,
                                             const std::vector<domain::Channel>& channels,
                                             std::int64_t now_ms) {
  auto visible = VisibleActiveThreads(store, guild, roles, member, channels, now_ms);
  if (!visible) return visible.error();
  json::array out;
  for (const auto& t : visible->threads) {
    json::object o = domain::json::ChannelJson(t);
    auto mine = std::find_if(visible->members.begin(), visible->members.end(),
                             [&](const domain::ThreadMember& m) { return m.thread_id == t.id; });
    if (mine != visible->members.end()) o["member"] = domain::json::ThreadMemberJson(*mine);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace chat::service
