#include "service/viewer_cache.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <string_view>

#include "domain/permissions.hpp"

namespace chat::service {

namespace perm = domain::perm;
using domain::Snowflake;

// Viewer lists ignore timeouts (they are computed once for any moment) because a timeout never
// takes VIEW_CHANNEL away. Should that rule change, a viewer list would depend on the clock.
static_assert(perm::Has(perm::kTimeoutAllowed, perm::kViewChannel),
              "viewer lists assume a timed-out member keeps VIEW_CHANNEL");

struct ViewerCache::Snapshot {
  domain::Guild guild;
  std::vector<domain::Role> roles;
  std::vector<domain::Channel> channels;  // ascending id
  std::vector<domain::Member> members;    // ascending user id
  Ids member_ids;
  std::int64_t loaded_ms = 0;  // taken before the first read
};

namespace {

// Events that never change membership, roles, overwrites or ownership. Every other event for a
// guild invalidates it, so that an event type added later is safe by default.
bool MayChangeViewers(std::string_view type) {
  if (type.starts_with("MESSAGE_")) return false;  // messages, bulk deletes and reactions
  // Threads are not kept: theirs are the parent's viewers, or read afresh for private threads.
  if (type.starts_with("THREAD_")) return false;
  for (std::string_view harmless :
       {"TYPING_START", "PRESENCE_UPDATE", "VOICE_STATE_UPDATE", "CHANNEL_PINS_UPDATE"}) {
    if (type == harmless) return false;
  }
  return true;
}

bool SameOverwrites(const std::vector<domain::PermissionOverwrite>& a,
                    const std::vector<domain::PermissionOverwrite>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.id == y.id && x.type == y.type && x.allow == y.allow && x.deny == y.deny;
  });
}

}  // namespace

ViewerCache::ViewerCache(store::Store& store, ViewerCacheOptions options, Clock clock)
    : store_(store), options_(std::move(options)), clock_(clock) {}

ViewerCache::~ViewerCache() {
  if (bus_ != nullptr) bus_->Unsubscribe(subscription_);
}

std::int64_t ViewerCache::SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void ViewerCache::Attach(bus::EventBus& bus) {
  bus_ = &bus;
  subscription_ = bus.Subscribe([this](const bus::EventPtr& event) {
    if (event->guild_id && MayChangeViewers(event->type)) Invalidate(*event->guild_id);
  });
}

Result<ViewerCache::Ids> ViewerCache::ChannelViewers(const domain::Channel& channel) {
  return Holders(channel, perm::kViewChannel, &ChannelEntry::viewers);
}

Result<ViewerCache::Ids> ViewerCache::ThreadModerators(const domain::Channel& channel) {
  return Holders(channel, perm::kViewChannel | perm::kManageThreads, &ChannelEntry::moderators);
}

Result<ViewerCache::Ids> ViewerCache::Holders(const domain::Channel& channel, std::uint64_t bits,
                                              Ids ChannelEntry::*list) {
  if (!channel.guild_id) return Error::Validation("A DM has recipients, not viewers.");
  const Snowflake guild_id = *channel.guild_id;
  auto snapshot = Acquire(guild_id);
  if (!snapshot) return snapshot.error();
  {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(guild_id);
    if (it != slots_.end() && it->second.snapshot == *snapshot) {
      auto c = it->second.channels.find(channel.id);
      if (c != it->second.channels.end() && c->second.*list &&
          SameOverwrites(c->second.overwrites, channel.overwrites)) {
        return c->second.*list;
      }
    }
  }
  // Computed outside the lock: 10,000 members take a few milliseconds.
  const auto& s = **snapshot;
  auto holders = std::make_shared<std::vector<Snowflake>>();
  holders->reserve(s.members.size());
  constexpr std::int64_t kAnyTime = std::numeric_limits<std::int64_t>::max();
  for (const auto& m : s.members) {
    if (perm::Has(domain::ComputePermissions(s.guild, s.roles, m, channel, kAnyTime), bits)) {
      holders->push_back(m.user_id);
    }
  }
  Ids shared = std::move(holders);
  std::lock_guard lock(mutex_);
  ++stats_.viewer_builds;
  auto it = slots_.find(guild_id);
  // Kept only beside the snapshot it was computed from: an invalidation meanwhile dropped that.
  if (it != slots_.end() && it->second.snapshot == *snapshot) {
    Slot& slot = it->second;
    ChannelEntry& entry = slot.channels[channel.id];
    if (!SameOverwrites(entry.overwrites, channel.overwrites)) {
      // Lists computed from other overwrites are stale: drop them all.
      const std::size_t dropped = (entry.viewers ? entry.viewers->size() : 0) +
                                  (entry.moderators ? entry.moderators->size() : 0);
      slot.viewer_ids -= dropped;
      stats_.viewer_ids -= dropped;
      entry = ChannelEntry{channel.overwrites, nullptr, nullptr};
    }
    const std::size_t old_size = entry.*list ? (entry.*list)->size() : 0;
    slot.viewer_ids = slot.viewer_ids - old_size + shared->size();
    stats_.viewer_ids = stats_.viewer_ids - old_size + shared->size();
    entry.*list = shared;
    EvictLocked();
  }
  return shared;
}

Result<ViewerCache::Ids> ViewerCache::GuildMembers(Snowflake guild_id) {
  auto snapshot = Acquire(guild_id);
  if (!snapshot) return snapshot.error();
  return (*snapshot)->member_ids;
}

std::optional<store::ChannelAccessRows> ViewerCache::ChannelAccess(Snowflake channel_id,
                                                                   Snowflake user_id) {
  if (!options_.answer_permissions) return std::nullopt;
  std::shared_ptr<const Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    auto guild = channel_guilds_.find(channel_id);
    if (guild == channel_guilds_.end()) return std::nullopt;
    // Only a snapshot already kept: loading a whole guild to answer one check would cost more
    // than the store's read, and after an invalidation every request in flight would load it.
    auto slot = slots_.find(guild->second);
    if (slot == slots_.end() || !slot->second.snapshot ||
        !Fresh(*slot->second.snapshot, clock_())) {
      return std::nullopt;
    }
    slot->second.last_used = ++ticks_;
    snapshot = slot->second.snapshot;
  }
  const Snapshot& s = *snapshot;
  auto channel = std::lower_bound(s.channels.begin(), s.channels.end(), channel_id,
                                  [](const auto& c, Snowflake id) { return c.id < id; });
  if (channel == s.channels.end() || channel->id != channel_id) return std::nullopt;
  store::ChannelAccessRows rows{*channel, store::GuildAccessRows{s.guild, std::nullopt, {}},
                                std::nullopt};
  auto member = std::lower_bound(s.members.begin(), s.members.end(), user_id,
                                 [](const auto& m, Snowflake id) { return m.user_id < id; });
  if (member != s.members.end() && member->user_id == user_id) {
    rows.guild->member = *member;
    rows.guild->roles = s.roles;  // an outsider's check needs none, as in the store's read
  }
  return rows;
}

bool ViewerCache::Fresh(const Snapshot& snapshot, std::int64_t now) const {
  return options_.max_age.count() == 0 || now - snapshot.loaded_ms < options_.max_age.count();
}

void ViewerCache::NoteChannel(Snowflake channel_id, Snowflake guild_id) {
  std::lock_guard lock(mutex_);
  NoteChannelLocked(channel_id, guild_id);
}

void ViewerCache::NoteChannelLocked(Snowflake channel_id, Snowflake guild_id) {
  // ~40 bytes an entry: a million is a bound no real deployment reaches, and clearing costs only
  // one store read per channel.
  constexpr std::size_t kMaxChannelGuilds = 1 << 20;
  if (channel_guilds_.size() >= kMaxChannelGuilds) channel_guilds_.clear();
  channel_guilds_[channel_id] = guild_id;
}

Result<std::shared_ptr<const ViewerCache::Snapshot>> ViewerCache::Acquire(Snowflake guild_id) {
  const std::int64_t now = clock_();
  std::uint64_t epoch = 0;
  std::shared_ptr<Flight> flight;
  {
    std::unique_lock lock(mutex_);
    auto it = slots_.find(guild_id);
    if (it != slots_.end() && it->second.snapshot && Fresh(*it->second.snapshot, now)) {
      it->second.last_used = ++ticks_;
      return it->second.snapshot;
    }
    Slot& slot = slots_[guild_id];
    // One load per guild at a time: the burst of misses after an invalidation (every message's
    // recipients) reads a 10,000-member guild once, not once per request in flight. A load that
    // began before the guild's last invalidation may not have seen that write: not joined.
    if (slot.flight && slot.invalidated_at <= slot.flight->epoch) {
      auto joined = slot.flight;
      ++stats_.joined_loads;
      landed_.wait(lock, [&] { return joined->done; });
      return *joined->result;
    }
    ++slot.loading;
    epoch = epoch_;
    flight = std::make_shared<Flight>();
    flight->epoch = epoch;
    slot.flight = flight;
    ++stats_.loads;
  }
  auto loaded = Load(guild_id);
  if (options_.after_load) options_.after_load(guild_id);

  std::lock_guard lock(mutex_);
  auto it = slots_.find(guild_id);  // present: `loading` keeps it
  Slot& slot = it->second;
  --slot.loading;
  flight->result = loaded;
  flight->done = true;
  if (slot.flight == flight) slot.flight.reset();
  landed_.notify_all();
  // An invalidation after `epoch` was taken may describe a write this load did not see: the
  // caller still gets what was read (as fresh as an uncached read), but it is not kept.
  if (loaded && slot.invalidated_at <= epoch && (*loaded)->members.size() <= options_.max_ids) {
    if (slot.snapshot) {
      stats_.members -= slot.snapshot->members.size();
    } else {
      ++stats_.guilds;
    }
    slot.snapshot = *loaded;
    for (const auto& c : slot.snapshot->channels) NoteChannelLocked(c.id, guild_id);
    stats_.viewer_ids -= slot.viewer_ids;
    slot.viewer_ids = 0;
    slot.channels.clear();
    slot.last_used = ++ticks_;
    stats_.members += slot.snapshot->members.size();
    EvictLocked();
  } else if (!slot.snapshot && slot.loading == 0) {
    slots_.erase(it);
  }
  return loaded;
}

Result<std::shared_ptr<const ViewerCache::Snapshot>> ViewerCache::Load(Snowflake guild_id) {
  auto s = std::make_shared<Snapshot>();
  s->loaded_ms = clock_();
  auto guild = store_.GetGuild(guild_id);
  if (!guild) return guild.error();
  s->guild = std::move(*guild);
  auto roles = store_.ListRoles(guild_id);
  if (!roles) return roles.error();
  s->roles = std::move(*roles);
  auto channels = store_.ListChannels(guild_id);
  if (!channels) return channels.error();
  s->channels = std::move(*channels);
  std::sort(s->channels.begin(), s->channels.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  auto ids = std::make_shared<std::vector<Snowflake>>();
  Snowflake after = 0;
  for (;;) {
    auto page = store_.ListMembers(guild_id, after, store::kMaxMemberPage);
    if (!page) return page.error();
    for (auto& m : *page) {
      after = m.user_id;
      ids->push_back(m.user_id);
      s->members.push_back(std::move(m));
    }
    if (page->size() < static_cast<std::size_t>(store::kMaxMemberPage)) break;
  }
  s->member_ids = std::move(ids);
  return std::shared_ptr<const Snapshot>(std::move(s));
}

void ViewerCache::Invalidate(Snowflake guild_id) {
  std::lock_guard lock(mutex_);
  ++epoch_;
  auto it = slots_.find(guild_id);
  // No slot: nothing kept and no load in flight, so nothing can outlive this write.
  if (it == slots_.end()) return;
  it->second.invalidated_at = epoch_;
  DropLocked(it->second);
  if (it->second.loading == 0) slots_.erase(it);
}

void ViewerCache::InvalidateAll() {
  std::lock_guard lock(mutex_);
  ++epoch_;
  for (auto it = slots_.begin(); it != slots_.end();) {
    it->second.invalidated_at = epoch_;
    DropLocked(it->second);
    it = it->second.loading == 0 ? slots_.erase(it) : std::next(it);
  }
}

void ViewerCache::DropLocked(Slot& slot) {
  if (slot.snapshot) {
    stats_.members -= slot.snapshot->members.size();
    --stats_.guilds;
    slot.snapshot.reset();
  }
  stats_.viewer_ids -= slot.viewer_ids;
  slot.viewer_ids = 0;
  slot.channels.clear();
}

void ViewerCache::EvictLocked() {
  while (stats_.guilds > options_.max_guilds ||
         stats_.members + stats_.viewer_ids > options_.max_ids) {
    auto victim = slots_.end();
    for (auto it = slots_.begin(); it != slots_.end(); ++it) {
      if (it->second.snapshot &&
          (victim == slots_.end() || it->second.last_used < victim->second.last_used)) {
        victim = it;
      }
    }
    if (victim == slots_.end()) return;
    // Eviction is no invalidation: what was kept is still right, so a load in flight may keep
    // its result.
    DropLocked(victim->second);
    if (victim->second.loading == 0) slots_.erase(victim);
  }
}

ViewerCache::Stats ViewerCache::GetStats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace chat::service
