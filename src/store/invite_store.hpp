// store/invite_store.hpp — guild invites and bans. An invite's use count only grows through
// UseInvite, one atomic conditional UPDATE, so concurrent joins never overspend max_uses.
// Deleting a guild or channel deletes its invites; deleting a guild deletes its bans.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kUnknownInvite = 10006;
inline constexpr int kUnknownBan = 10026;

inline Error UnknownInvite() { return Error::NotFound("Unknown Invite", kUnknownInvite); }
inline Error UnknownBan() { return Error::NotFound("Unknown Ban", kUnknownBan); }

struct Invite {
  std::string code;
  domain::Snowflake guild_id = 0;
  domain::Snowflake channel_id = 0;
  std::optional<domain::Snowflake> inviter_id;
  int max_age = 86400;  // seconds; 0 = never expires
  int max_uses = 0;     // 0 = unlimited
  int uses = 0;
  bool temporary = false;
  std::int64_t created_at_ms = 0;

  // Expired or used up at `now_ms`.
  bool Spent(std::int64_t now_ms) const {
    return (max_age > 0 && now_ms >= created_at_ms + std::int64_t{max_age} * 1000) ||
           (max_uses > 0 && uses >= max_uses);
  }
};

struct Ban {
  domain::Snowflake guild_id = 0;
  domain::Snowflake user_id = 0;
  std::optional<std::string> reason;
  std::int64_t created_at_ms = 0;
};

class InviteStore {
 public:
  virtual ~InviteStore() = default;

  // Conflict when the code exists; NotFound 10003 for an unknown channel (or one of another
  // guild).
  [[nodiscard]] virtual Result<void> CreateInvite(const Invite& invite) = 0;
  // NotFound 10006 when absent (spent invites are still returned: the caller decides).
  [[nodiscard]] virtual Result<Invite> GetInvite(std::string_view code) = 0;
  // Newest first.
  [[nodiscard]] virtual Result<std::vector<Invite>> ListChannelInvites(
      domain::Snowflake channel_id) = 0;
  [[nodiscard]] virtual Result<std::vector<Invite>> ListGuildInvites(
      domain::Snowflake guild_id) = 0;
  [[nodiscard]] virtual Result<void> DeleteInvite(std::string_view code) = 0;
  // Spends one use if the invite exists and is not spent at `now_ms`; returns it after the
  // increment. NotFound 10006 otherwise.
  [[nodiscard]] virtual Result<Invite> UseInvite(std::string_view code, std::int64_t now_ms) = 0;

  // Inserts or replaces the ban and removes the membership, in one transaction. NotFound
  // 10004 / 10013 for an unknown guild / user.
  [[nodiscard]] virtual Result<void> PutBan(const Ban& ban) = 0;
  // NotFound 10026 when absent.
  [[nodiscard]] virtual Result<Ban> GetBan(domain::Snowflake guild_id,
                                           domain::Snowflake user_id) = 0;
  // Ascending by user id, after `after`, at most `limit` (clamped to 1..1000).
  [[nodiscard]] virtual Result<std::vector<Ban>> ListBans(domain::Snowflake guild_id,
                                                          domain::Snowflake after, int limit) = 0;
  [[nodiscard]] virtual Result<void> DeleteBan(domain::Snowflake guild_id,
                                               domain::Snowflake user_id) = 0;
};

}  // namespace chat::store
