// store/access_store.hpp — the rows a permission check needs, read together. A channel route
// needs the channel, its guild, the actor's membership and the guild's roles; reading them with
// one call leases one connection instead of four, and on SQLite reads them in one transaction:
// after each commit a reader rereads the pages it touches once per transaction, not per
// statement. Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"

namespace chat::store {

struct GuildAccessRows {
  domain::Guild guild;
  std::optional<domain::Member> member;  // absent: the user is not a member
  std::vector<domain::Role> roles;       // every role of the guild
};

struct ChannelAccessRows {
  domain::Channel channel;
  std::optional<GuildAccessRows> guild;  // a guild channel's; absent for DMs
  std::optional<domain::User> user;      // the actor, when asked for and the account exists
  // A thread's: the channel it was started in (whose overwrites apply) and whether the actor
  // joined it.
  std::optional<domain::Channel> parent;
  bool thread_member = false;
};

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // NotFound 10004 when the guild is absent.
  [[nodiscard]] virtual Result<GuildAccessRows> ReadGuildAccess(domain::Snowflake guild_id,
                                                                domain::Snowflake user_id) = 0;
  // NotFound 10003 when the channel is absent, 10004 when its guild is. `with_user` also reads
  // the actor's account (a message's author); other routes do not need it.
  [[nodiscard]] virtual Result<ChannelAccessRows> ReadChannelAccess(domain::Snowflake channel_id,
                                                                    domain::Snowflake user_id,
                                                                    bool with_user) = 0;
};

}  // namespace chat::store
