// service/invite_service.hpp — invites (create, read without auth, join, list, delete) and bans
// (put, get, list, delete). A join spends one use atomically (store::InviteStore::UseInvite);
// a banned user cannot join by any invite. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/user.hpp"
#include "service/community_common.hpp"
#include "service/guild_service.hpp"
#include "service/message_service.hpp"
#include "store/invite_store.hpp"

namespace chat::service {

struct InviteView {
  store::Invite invite;
  domain::Guild guild;
  domain::Channel channel;
  std::optional<domain::User> inviter;
  std::optional<std::int64_t> member_count;
  std::optional<std::int64_t> presence_count;
};

struct InviteInput {
  int max_age = 86400;  // 0..604800 seconds; 0 = never
  int max_uses = 0;     // 0..100; 0 = unlimited
  bool temporary = false;
  bool unique = false;
};

struct BanView {
  store::Ban ban;
  domain::User user;
};

inline constexpr std::size_t kMaxBulkBan = 200;

class InviteService {
 public:
  InviteService(CommunityDeps deps, GuildService& guilds) : deps_(deps), guilds_(guilds) {}

  // A ban's purge of published messages then reaches the copies in channels following them
  // (app.cpp sets it; without it they keep showing the originals).
  void SetMessages(MessageService* messages) { messages_ = messages; }

  // CREATE_INSTANT_INVITE in the channel. Without `unique`, an existing unspent invite of the
  // same settings by the same user is returned instead of a new one.
  [[nodiscard]] Result<InviteView> Create(domain::Snowflake user_id, domain::Snowflake channel_id,
                                          const InviteInput& input, const AuditReason& reason = {});
  // No authentication: spent and unknown codes are 404 Unknown Invite.
  [[nodiscard]] Result<InviteView> Get(const std::string& code, bool with_counts);
  // 403 when banned; an existing member gets the invite back without spending a use.
  [[nodiscard]] Result<InviteView> Join(domain::Snowflake user_id, const std::string& code);
  // MANAGE_CHANNELS in the channel.
  [[nodiscard]] Result<std::vector<InviteView>> ListChannel(domain::Snowflake user_id,
                                                            domain::Snowflake channel_id);
  // MANAGE_GUILD.
  [[nodiscard]] Result<std::vector<InviteView>> ListGuild(domain::Snowflake user_id,
                                                          domain::Snowflake guild_id);
  // MANAGE_CHANNELS in the invite's channel or MANAGE_GUILD.
  [[nodiscard]] Result<InviteView> Delete(domain::Snowflake user_id, const std::string& code,
                                          const AuditReason& reason = {});

  // BAN_MEMBERS; a member target also needs the hierarchy (CanActOnMember). The target's
  // messages of the last `delete_message_seconds` (0..604800) in the guild are deleted.
  // `reason` is both the ban's reason and the audit log entry's.
  [[nodiscard]] Result<void> Ban(domain::Snowflake user_id, domain::Snowflake guild_id,
                                 domain::Snowflake target_id, std::optional<std::string> reason,
                                 int delete_message_seconds = 0);
  // Discord's bulk ban: up to kMaxBulkBan users, BAN_MEMBERS and MANAGE_GUILD. Each user is
  // banned as by Ban(); one already banned, or one the caller may not ban, lands in `failed`.
  // Error 500000 when nobody was banned.
  struct BulkBanResult {
    std::vector<domain::Snowflake> banned;
    std::vector<domain::Snowflake> failed;
  };
  [[nodiscard]] Result<BulkBanResult> BulkBan(domain::Snowflake user_id, domain::Snowflake guild_id,
                                              std::span<const domain::Snowflake> targets,
                                              std::optional<std::string> reason,
                                              int delete_message_seconds = 0);
  [[nodiscard]] Result<void> Unban(domain::Snowflake user_id, domain::Snowflake guild_id,
                                   domain::Snowflake target_id, const AuditReason& reason = {});
  [[nodiscard]] Result<BanView> GetBan(domain::Snowflake user_id, domain::Snowflake guild_id,
                                       domain::Snowflake target_id);
  [[nodiscard]] Result<std::vector<BanView>> ListBans(domain::Snowflake user_id,
                                                      domain::Snowflake guild_id,
                                                      domain::Snowflake after, int limit);

 private:
  Result<InviteView> View(store::Invite invite, bool with_counts);
  // Deletes the author's messages newer than `since_ms` in every channel of the guild and
  // announces MESSAGE_DELETE_BULK per channel.
  void DeleteRecentMessages(domain::Snowflake guild_id, domain::Snowflake author_id,
                            std::int64_t since_ms);
  CommunityDeps deps_;
  GuildService& guilds_;
  MessageService* messages_ = nullptr;
};

}  // namespace chat::service
