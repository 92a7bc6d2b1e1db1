// service/access_service.hpp — who may do what where. Every guild and channel route, and every
// published event, asks this service: it loads the guild, the actor's membership, the roles and
// the channel's overwrites, and computes Discord's permissions with domain/permissions.hpp.
// Outsiders learn nothing: a guild one is not in and a channel one cannot view answer 403
// Missing Access (50001); ids that do not exist answer 404. Synchronous (store calls), runs on a
// worker thread; thread-safe.
//
// Built with a ViewerCache, ChannelViewers and GuildMembers answer from it, and on a single node
// so do Channel's guild rows (the channel, the guild, the actor's membership and the roles) when
// the cache holds the guild (service/viewer_cache.hpp, invalidated by the bus events that follow
// each write, before the writer answers). Such an instance is for the message paths only: a service
// that computes recipients or checks permissions after its own commit and before its own publish
// (the guild, channel, role, member and invite services) must use an instance without one, or it
// would see what the cache held before its write.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/user.hpp"
#include "service/viewer_cache.hpp"
#include "store/store.hpp"

namespace chat::service {

struct GuildAccess {
  domain::Guild guild;
  domain::Member member;            // the actor's membership
  std::vector<domain::Role> roles;  // every role of the guild
  std::uint64_t permissions = 0;    // guild-level, timeouts applied
  bool owner = false;
};

struct ChannelAccess {
  domain::Channel channel;
  std::optional<GuildAccess> guild;  // empty for DMs
  std::uint64_t permissions = 0;     // channel-level: overwrites and implicit rules applied
  // The actor's account, read in the same snapshot when asked for (a message's author needs no
  // second read); empty otherwise, or when the account is gone.
  std::optional<domain::User> user;
  // A thread's: the channel it was started in, and whether the actor joined the thread.
  std::optional<domain::Channel> parent;
  bool thread_member = false;
};

// Permissions a participant holds in a DM (there are no roles or overwrites there).
std::uint64_t DmPermissions();

Error MissingAccess();
Error MissingPermissions();
// An action the channel's type does not take (Discord's 50024, answered 400): a thread route on
// a channel, an invite, overwrite or webhook on a thread.
Error WrongChannelType();
// A thread refused because it is archived (Discord's 50083, answered 400).
Error ThreadArchived();
// ThreadArchived when `access` is to an archived thread: changing anything there (editing,
// deleting, pinning, reacting, typing) waits until it is reopened.
Result<void> RefuseArchived(const ChannelAccess& access);

class AccessService {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds
  explicit AccessService(store::Store& store,
                         Clock clock = &domain::SnowflakeGenerator::SystemClockMs)
      : store_(store), clock_(clock) {}
  // Recipients come from `viewers` when it is not null; it must outlive this service.
  AccessService(store::Store& store, ViewerCache* viewers,
                Clock clock = &domain::SnowflakeGenerator::SystemClockMs)
      : store_(store), clock_(clock), viewers_(viewers) {}

  // 404 Unknown Guild when absent; 403 Missing Access when the user is not a member.
  [[nodiscard]] Result<GuildAccess> Guild(domain::Snowflake user_id, domain::Snowflake guild_id);
  // 404 Unknown Channel when absent; 403 Missing Access when not a member/recipient or without
  // VIEW_CHANNEL.
  // `with_user` also fills ChannelAccess::user, in the same read.
  [[nodiscard]] Result<ChannelAccess> Channel(domain::Snowflake user_id,
                                              domain::Snowflake channel_id, bool with_user = false);
  // As Guild(), then 403 Missing Permissions (50013) unless every bit of `required` is held.
  [[nodiscard]] Result<GuildAccess> RequireGuild(domain::Snowflake user_id,
                                                 domain::Snowflake guild_id,
                                                 std::uint64_t required);
  [[nodiscard]] Result<ChannelAccess> RequireChannel(domain::Snowflake user_id,
                                                     domain::Snowflake channel_id,
                                                     std::uint64_t required,
                                                     bool with_user = false);

  // The users who may see an event in `channel` (VIEW_CHANNEL), for Event::recipients.
  // Guild channels: members with VIEW_CHANNEL there; DMs: the recipients. Threads: those who
  // see the parent; for a private thread only its members and MANAGE_THREADS holders among them.
  [[nodiscard]] Result<std::vector<domain::Snowflake>> ChannelViewers(
      const domain::Channel& channel);
  // Every member of a guild (guild-wide events).
  [[nodiscard]] Result<std::vector<domain::Snowflake>> GuildMembers(domain::Snowflake guild_id);

  std::int64_t Now() const { return clock_(); }

 private:
  Result<std::vector<domain::Snowflake>> ThreadViewers(const domain::Channel& thread);
  // From the viewer cache when it can answer, else in one store read.
  Result<store::ChannelAccessRows> ReadChannelRows(domain::Snowflake user_id,
                                                   domain::Snowflake channel_id, bool with_user);

  store::Store& store_;
  const Clock clock_;
  ViewerCache* const viewers_ = nullptr;  // null: every lookup reads the store
};

}  // namespace chat::service
