// store/channel_store.hpp — guild channels, DMs, group DMs and permission overwrites. A channel
// always comes with its overwrites, DM recipients and last_message_id (the newest existing
// message). Channel lists come ordered by (position, id). Deleting a category leaves its children
// without a parent; deleting a channel removes its messages. Thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/image.hpp"
#include "domain/snowflake.hpp"
#include "store/nullable.hpp"

namespace chat::store {

struct ChannelUpdate {
  std::optional<std::string> name;
  std::optional<domain::ChannelType> type;
  std::optional<int> position;
  Nullable<domain::Snowflake> parent_id;
  Nullable<std::string> topic;
  std::optional<bool> nsfw;
  std::optional<int> rate_limit_per_user;
  std::optional<int> bitrate;
  std::optional<int> user_limit;
  std::optional<std::string> forum_json;  // a forum's settings, whole
  std::optional<int> flags;
  // Replaces the channel's permission overwrites, in the same transaction.
  std::optional<std::vector<domain::PermissionOverwrite>> overwrites;
};

// A group DM's own fields; absent ones stay as they are. Made by `actor`, who must be a recipient;
// only the owner hands the group on.
struct GroupDmUpdate {
  domain::Snowflake actor = 0;
  std::optional<std::string> name;                         // empty: unnamed
  std::optional<std::optional<domain::StoredImage>> icon;  // nullopt inside: removed
  std::optional<domain::Snowflake> owner_id;               // must be a recipient
};

// A group DM before and after a recipient left it.
struct RecipientRemoval {
  domain::Channel before;
  std::optional<domain::Channel> after;  // nullopt: the last one left, and the channel is gone
};

struct ChannelPosition {
  domain::Snowflake id = 0;
  int position = 0;
  Nullable<domain::Snowflake> parent_id;  // absent: parent unchanged
};

class ChannelStore {
 public:
  virtual ~ChannelStore() = default;

  // Stores the channel with its overwrites and (for DMs, guild_id empty) recipients.
  // NotFound 10004 for an unknown guild, 10013 for an unknown recipient; Conflict on the id.
  [[nodiscard]] virtual Result<void> CreateChannel(const domain::Channel& channel) = 0;
  // NotFound 10003 when absent (Get, Update, Delete, overwrites).
  [[nodiscard]] virtual Result<domain::Channel> GetChannel(domain::Snowflake id) = 0;
  [[nodiscard]] virtual Result<std::vector<domain::Channel>> ListChannels(
      domain::Snowflake guild_id) = 0;
  // Returns the channel after the update.
  [[nodiscard]] virtual Result<domain::Channel> UpdateChannel(domain::Snowflake id,
                                                              const ChannelUpdate& update) = 0;
  // All or nothing: NotFound 10003 (and no change) if any id is not a channel of the guild.
  [[nodiscard]] virtual Result<void> SetChannelPositions(
      domain::Snowflake guild_id, std::span<const ChannelPosition> positions) = 0;
  [[nodiscard]] virtual Result<void> DeleteChannel(domain::Snowflake id) = 0;
  // Insert or replace the overwrite for (channel, overwrite.id).
  [[nodiscard]] virtual Result<void> PutOverwrite(domain::Snowflake channel_id,
                                                  const domain::PermissionOverwrite& overwrite) = 0;
  // Deleting an overwrite that does not exist succeeds (Discord answers 204 either way).
  [[nodiscard]] virtual Result<void> DeleteOverwrite(domain::Snowflake channel_id,
                                                     domain::Snowflake target_id) = 0;
  // The 1:1 DM channel between two users, if one exists.
  [[nodiscard]] virtual Result<std::optional<domain::Channel>> FindDmChannel(
      domain::Snowflake user_a, domain::Snowflake user_b) = 0;
  // DM and group DM channels `user_id` is a recipient of, ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::Channel>> ListDmChannels(
      domain::Snowflake user_id) = 0;

  // Group DMs (type 3; CreateChannel stores one with its owner). Each call is one transaction,
  // serialized per channel, and checks who acts inside it: `actor` must be a recipient (403 50001
  // otherwise), so a user removed meanwhile changes nothing, and racing additions never pass the
  // limit. NotFound 10003 when the channel is not a group DM.
  // Adds `user_id` unless already a recipient; returns whether it was added. NotFound 10013; 400
  // 30004 when `max` recipients are there already.
  [[nodiscard]] virtual Result<bool> AddRecipient(domain::Snowflake channel_id,
                                                  domain::Snowflake user_id,
                                                  domain::Snowflake actor, std::size_t max) = 0;
  // Removes `user_id`: `actor` themselves, or anyone when `actor` owns the group (403 50013
  // otherwise); NotFound 10013 when not a recipient. When the owner goes, the remaining recipient
  // with the lowest id becomes the owner; when the last goes, so does the channel.
  [[nodiscard]] virtual Result<RecipientRemoval> RemoveRecipient(domain::Snowflake channel_id,
                                                                 domain::Snowflake user_id,
                                                                 domain::Snowflake actor) = 0;
  // 403 50013 when someone other than the owner hands the group on; NotFound 10013 when the new
  // owner is not a recipient. Answers the channel after.
  [[nodiscard]] virtual Result<domain::Channel> UpdateGroupDm(domain::Snowflake channel_id,
                                                              const GroupDmUpdate& update) = 0;
  // NotFound 10003 when the channel has no icon.
  [[nodiscard]] virtual Result<domain::StoredImage> GetChannelIcon(
      domain::Snowflake channel_id) = 0;
};

}  // namespace chat::store
