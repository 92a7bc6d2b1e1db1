// service/channel_service.hpp — guild channels: list (only what the user can view), create,
// read, modify, delete, reorder and permission overwrites, each change announced as a
// CHANNEL_* event to the members who can view the channel. Synchronous: run on the db pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "service/community_common.hpp"
#include "service/thread_service.hpp"
#include "store/channel_store.hpp"

namespace chat::service {

struct ChannelInput {
  std::string name;
  domain::ChannelType type = domain::ChannelType::kGuildText;
  std::optional<int> position;
  std::optional<domain::Snowflake> parent_id;
  std::optional<std::string> topic;
  bool nsfw = false;
  int rate_limit_per_user = 0;
  std::optional<int> bitrate;
  std::optional<int> user_limit;
  std::vector<domain::PermissionOverwrite> overwrites;
  // A forum's: the request body, whose settings keys domain/json/forum_json reads, and flags
  // (REQUIRE_TAG only).
  const boost::json::object* forum_body = nullptr;
  int flags = 0;
};

class GroupDmService;

class ChannelService {
 public:
  // Threads are channels too: updating or deleting one goes to `threads`.
  ChannelService(CommunityDeps deps, ThreadService& threads) : deps_(deps), threads_(threads) {}
  // Updating or deleting (leaving) a group DM goes to `group_dms` (set once at startup; without
  // it a group DM is refused as a DM is).
  void SetGroupDms(GroupDmService* group_dms) { group_dms_ = group_dms; }

  [[nodiscard]] Result<std::vector<domain::Channel>> List(domain::Snowflake user_id,
                                                          domain::Snowflake guild_id);
  // MANAGE_CHANNELS; overwrites need MANAGE_ROLES and only grantable bits.
  [[nodiscard]] Result<domain::Channel> Create(domain::Snowflake user_id,
                                               domain::Snowflake guild_id, ChannelInput input,
                                               const AuditReason& reason = {});
  [[nodiscard]] Result<domain::Channel> Get(domain::Snowflake user_id,
                                            domain::Snowflake channel_id);
  // `thread_change` carries the fields only a thread has (its name and slowmode come from
  // `update`); a guild channel ignores it. A forum takes its settings from `forum_body` (see
  // ChannelInput); other channels ignore them, and flags. `update.overwrites` replaces the
  // channel's permission overwrites (see CheckOverwrites).
  [[nodiscard]] Result<domain::Channel> Update(domain::Snowflake user_id,
                                               domain::Snowflake channel_id,
                                               store::ChannelUpdate update,
                                               const AuditReason& reason = {},
                                               ThreadChange thread_change = {},
                                               const boost::json::object* forum_body = nullptr);
  // Returns the deleted channel (Discord answers with it).
  [[nodiscard]] Result<domain::Channel> Delete(domain::Snowflake user_id,
                                               domain::Snowflake channel_id,
                                               const AuditReason& reason = {});
  [[nodiscard]] Result<void> SetPositions(domain::Snowflake user_id, domain::Snowflake guild_id,
                                          const std::vector<store::ChannelPosition>& positions);
  // MANAGE_ROLES in the channel; only bits the actor holds there.
  [[nodiscard]] Result<void> PutOverwrite(domain::Snowflake user_id, domain::Snowflake channel_id,
                                          const domain::PermissionOverwrite& overwrite,
                                          const AuditReason& reason = {});
  [[nodiscard]] Result<void> DeleteOverwrite(domain::Snowflake user_id,
                                             domain::Snowflake channel_id,
                                             domain::Snowflake target_id,
                                             const AuditReason& reason = {});

 private:
  // Field checks shared by create and update, for a channel of `type`.
  Result<void> CheckFields(domain::Snowflake guild_id, domain::ChannelType type,
                           std::optional<std::string>* name,
                           const store::Nullable<std::string>& topic,
                           const std::optional<int>& rate_limit, const std::optional<int>& bitrate,
                           const std::optional<int>& user_limit,
                           const store::Nullable<domain::Snowflake>& parent_id,
                           domain::Snowflake self_id);
  // A PATCH's permission_overwrites: MANAGE_ROLES, only bits the actor holds for those it
  // changes, and targets of the guild.
  Result<void> CheckOverwrites(const ChannelAccess& access,
                               const std::vector<domain::PermissionOverwrite>& overwrites);
  // CHANNEL_OVERWRITE_* with Discord's options {id, type, role_name}.
  void AuditOverwrite(domain::Snowflake user_id, const domain::Channel& channel,
                      domain::AuditLogAction action, const domain::PermissionOverwrite* before,
                      const domain::PermissionOverwrite* after, const AuditReason& reason);
  CommunityDeps deps_;
  ThreadService& threads_;
  GroupDmService* group_dms_ = nullptr;
};

}  // namespace chat::service
