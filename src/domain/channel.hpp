// domain/channel.hpp — guild channels, threads and DMs, with their permission overwrites.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

// Discord's channel type numbers; the seed's 'text'/'voice' map to 0/2.
enum class ChannelType : int {
  kGuildText = 0,
  kDm = 1,
  kGuildVoice = 2,
  kGroupDm = 3,
  kGuildCategory = 4,
  kGuildAnnouncement = 5,
  kAnnouncementThread = 10,
  kPublicThread = 11,
  kPrivateThread = 12,
  kGuildStageVoice = 13,  // a voice channel for talks: its stage instance says what is on
  kGuildForum = 15,       // holds only threads (posts), each started with a message
};

// A group DM holds at most this many users, its owner included (Discord's 10).
inline constexpr std::size_t kMaxGroupDmRecipients = 10;
// A group DM's icon is at most this large (a JSON body carries it as base64).
inline constexpr std::size_t kMaxGroupDmIconBytes = 256 * 1024;

// Channel flags: a forum post pinned in its forum; a forum whose posts need a tag.
inline constexpr int kChannelFlagPinned = 1 << 1;
inline constexpr int kChannelFlagRequireTag = 1 << 4;
inline constexpr std::size_t kMaxForumTags = 20;
inline constexpr std::size_t kMaxAppliedTags = 5;

// Channels one joins to talk: voice and stage channels (CONNECT, bitrate, user_limit).
constexpr bool IsVoiceLike(ChannelType t) {
  return t == ChannelType::kGuildVoice || t == ChannelType::kGuildStageVoice;
}

constexpr bool IsThread(ChannelType t) {
  return t == ChannelType::kAnnouncementThread || t == ChannelType::kPublicThread ||
         t == ChannelType::kPrivateThread;
}

// Discord's auto_archive_duration choices, in minutes.
constexpr bool IsArchiveDuration(int minutes) {
  return minutes == 60 || minutes == 1440 || minutes == 4320 || minutes == 10080;
}

// What a thread has beyond a channel (Discord's thread_metadata, owner and counts). A thread is a
// channel whose parent_id is the text or announcement channel it was started in; it has no
// overwrites of its own: permissions are the parent's.
struct ThreadMetadata {
  Snowflake owner_id = 0;
  bool archived = false;
  bool locked = false;
  int auto_archive_duration = 1440;       // minutes
  std::int64_t archive_timestamp_ms = 0;  // last change of `archived` (creation at first)
  bool invitable = true;                  // private threads: non-moderators may add members
  std::int64_t create_timestamp_ms = 0;
  int message_count = 0;  // messages now in the thread
  int member_count = 0;
};

struct ThreadMember {
  Snowflake thread_id = 0;
  Snowflake user_id = 0;
  std::int64_t join_timestamp_ms = 0;
  int flags = 0;
};

enum class OverwriteType : int { kRole = 0, kMember = 1 };

struct PermissionOverwrite {
  Snowflake id = 0;  // role id or user id
  OverwriteType type = OverwriteType::kRole;
  std::uint64_t allow = 0;
  std::uint64_t deny = 0;
};

struct Channel {
  Snowflake id = 0;
  std::optional<Snowflake> guild_id;  // empty for DMs
  ChannelType type = ChannelType::kGuildText;
  std::string name;
  int position = 0;
  std::optional<Snowflake> parent_id;
  std::optional<std::string> topic;
  bool nsfw = false;
  int rate_limit_per_user = 0;  // slowmode seconds
  int bitrate = 0;
  int user_limit = 0;
  std::optional<Snowflake> last_message_id;
  std::vector<PermissionOverwrite> overwrites;
  std::vector<Snowflake> recipient_ids;  // DMs only
  // Group DMs only: who may remove recipients and hand the group on, and the icon's hash (empty:
  // none). An unnamed group DM has an empty name.
  std::optional<Snowflake> owner_id;
  std::string icon_hash;
  std::optional<ThreadMetadata> thread;  // threads only
  int flags = 0;                         // kChannelFlag*
  // A forum's settings as domain/json/forum_json rebuilt them (available_tags,
  // default_reaction_emoji, default_thread_rate_limit_per_user, default_sort_order,
  // default_forum_layout); forums only.
  std::optional<std::string> forum_json;
  std::vector<Snowflake> applied_tags;  // a forum post's tags (ids of its forum's available_tags)
};

}  // namespace chat::domain
