// service/viewer_cache.hpp — who is in a guild and who may view each of its channels, kept in
// memory so that an event's recipients (AccessService::ChannelViewers, GuildMembers) cost a
// lookup instead of reading and checking every member in the database for every message.
//
// Per guild it holds one immutable snapshot read from the store (the guild, its roles, its
// channels, its members with their role ids) and, per channel, the sorted list of members holding
// VIEW_CHANNEL there, computed from that snapshot and the channel's overwrites. The overwrites the
// caller passes are compared with the ones a list was computed from, so a channel whose overwrites
// changed is recomputed even before its invalidation arrives. On a single node the same snapshot
// answers the message paths' permission checks (ChannelAccess); their channel then comes from the
// snapshot too, so there the invalidation is what makes a change seen.
//
// Invalidation: Attach(bus) invalidates a guild on every event published for it that may change
// who sees what (member, role, ban, channel and guild events; everything but messages, reactions,
// typing, presence, voice states and pins). Services publish after their store commit and before
// they answer, and a local publish runs its handlers on the publishing thread, so the entry is gone
// before the client hears of the change; other nodes' events (bus/redis) arrive on the subscriber
// thread. A load that raced an invalidation is used by its caller but not kept (a per-guild
// invalidation stamp against an epoch taken before the load). Events a bus could not share (Redis
// down) are covered by max_age: no entry is older than that.
//
// Thread-safety: every public method may be called from any thread at once. One mutex guards the
// map; store reads and viewer computations run outside it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "store/access_store.hpp"
#include "store/store.hpp"

namespace chat::service {

struct ViewerCacheOptions {
  // Bounds on what is kept; past either, the least recently used guilds are dropped. max_ids
  // counts the kept members plus the ids in the kept viewer lists (one list per channel that had
  // an event), over all guilds: about 40 bytes each. A guild with more members than that is never
  // kept: it is read from the store on each call.
  std::size_t max_guilds = 1024;
  std::size_t max_ids = 4'000'000;
  // An entry older than this is read again; zero keeps entries until they are invalidated.
  std::chrono::milliseconds max_age{60'000};
  // Whether ChannelAccess answers permission checks. Right when every write's invalidation
  // reaches this cache before the writer answers, i.e. on a single node (app.cpp turns it off with
  // REDIS_URL: another node's invalidation arrives a moment after its writer answered, and a
  // kicked member could still post in that moment).
  bool answer_permissions = true;
  // Called after a guild was read from the store and before it is kept. Tests use it to
  // interleave a write and its invalidation with a load.
  std::function<void(domain::Snowflake guild_id)> after_load;
};

class ViewerCache {
 public:
  using Ids = std::shared_ptr<const std::vector<domain::Snowflake>>;  // ascending, shared
  using Clock = std::int64_t (*)();                                   // steady milliseconds

  explicit ViewerCache(store::Store& store, ViewerCacheOptions options = {},
                       Clock clock = &SteadyMs);
  ~ViewerCache();  // detaches from the bus
  ViewerCache(const ViewerCache&) = delete;
  ViewerCache& operator=(const ViewerCache&) = delete;

  // Subscribes to `bus` for invalidations (see above). Once; `bus` must outlive this cache.
  void Attach(bus::EventBus& bus);

  // Members holding VIEW_CHANNEL in `channel`, a guild channel (a DM is a Validation error).
  // Errors are the store's: Unknown Guild when the guild is gone.
  [[nodiscard]] Result<Ids> ChannelViewers(const domain::Channel& channel);
  // Members holding VIEW_CHANNEL and MANAGE_THREADS in `channel`, who see each of its private
  // threads whether they joined it or not; kept and invalidated like the viewers. Timeouts are
  // not applied here (nor to the viewers): a timed-out moderator may still be sent a private
  // thread's events until the timeout ends.
  [[nodiscard]] Result<Ids> ThreadModerators(const domain::Channel& channel);
  // Every member of the guild.
  [[nodiscard]] Result<Ids> GuildMembers(domain::Snowflake guild_id);

  // The rows of a permission check on a guild channel (store::AccessStore's, without the actor's
  // account), from the kept snapshot of the channel's guild. nullopt when the cache cannot
  // answer: answer_permissions off, a channel whose guild it has not been told (NoteChannel) or
  // that the snapshot lacks (new, or deleted), or no fresh snapshot kept (it never loads one for
  // this); the caller reads the store.
  [[nodiscard]] std::optional<store::ChannelAccessRows> ChannelAccess(domain::Snowflake channel_id,
                                                                      domain::Snowflake user_id);
  // Which guild a channel belongs to, as read from the store. Channels never move between guilds,
  // so this needs no invalidation; snapshots note their guild's channels themselves.
  void NoteChannel(domain::Snowflake channel_id, domain::Snowflake guild_id);

  // Drops what is kept for the guild; a load in flight for it will not be kept either.
  void Invalidate(domain::Snowflake guild_id);
  void InvalidateAll();

  struct Stats {
    std::uint64_t loads = 0;          // guild snapshots read from the store
    std::uint64_t joined_loads = 0;   // misses that waited for another caller's load instead
    std::uint64_t viewer_builds = 0;  // channel viewer lists computed
    std::size_t guilds = 0;           // guilds kept now
    std::size_t members = 0;          // members kept now, over all guilds
    std::size_t viewer_ids = 0;       // ids in the viewer lists kept now, over all guilds
  };
  Stats GetStats();

  static std::int64_t SteadyMs();

 private:
  struct Snapshot;
  struct ChannelEntry {
    std::vector<domain::PermissionOverwrite> overwrites;  // what the lists were computed from
    Ids viewers;                                          // null until asked for
    Ids moderators;                                       // null until asked for
  };
  // A load in flight that callers missing the same guild wait for, rather than each reading it.
  struct Flight {
    std::uint64_t epoch = 0;  // epoch_ when it began: joined only while no invalidation followed
    bool done = false;
    std::optional<Result<std::shared_ptr<const Snapshot>>> result;  // set when done
  };
  struct Slot {
    std::shared_ptr<const Snapshot> snapshot;  // null while only a load is in flight
    std::shared_ptr<Flight> flight;            // the load others may join; null when none
    std::unordered_map<domain::Snowflake, ChannelEntry> channels;  // computed from `snapshot`
    std::uint64_t invalidated_at = 0;  // epoch_ of the last invalidation
    int loading = 0;                   // loads in flight; the slot stays while > 0
    std::uint64_t last_used = 0;       // for LRU eviction
    std::size_t viewer_ids = 0;        // sum of the sizes of `channels`' lists
  };

  // The members holding every bit of `bits` in `channel`, kept in ChannelEntry::*list.
  Result<Ids> Holders(const domain::Channel& channel, std::uint64_t bits, Ids ChannelEntry::*list);
  Result<std::shared_ptr<const Snapshot>> Acquire(domain::Snowflake guild_id);
  Result<std::shared_ptr<const Snapshot>> Load(domain::Snowflake guild_id);
  void DropLocked(Slot& slot);
  void NoteChannelLocked(domain::Snowflake channel_id, domain::Snowflake guild_id);
  bool Fresh(const Snapshot& snapshot, std::int64_t now) const;  // within max_age
  void EvictLocked();

  store::Store& store_;
  const ViewerCacheOptions options_;
  const Clock clock_;
  bus::EventBus* bus_ = nullptr;
  std::uint64_t subscription_ = 0;

  std::mutex mutex_;
  std::condition_variable landed_;                     // a Flight is done
  std::unordered_map<domain::Snowflake, Slot> slots_;  // guarded by mutex_
  // channel id → guild id; cleared when it reaches kMaxChannelGuilds. Guarded by mutex_.
  std::unordered_map<domain::Snowflake, domain::Snowflake> channel_guilds_;
  std::uint64_t epoch_ = 0;  // guarded by mutex_
  std::uint64_t ticks_ = 0;  // guarded by mutex_
  Stats stats_;              // guarded by mutex_
};

}  // namespace chat::service
