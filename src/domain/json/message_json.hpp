// domain/json/message_json.hpp — Discord v10 message objects, shared by the REST routes and the
// gateway (MESSAGE_CREATE/UPDATE). Every field Discord documents as always present is written
// (edited_timestamp null until an edit); optional ones are omitted, never null — discord.js
// crashes on `thread: null`, discord.py on a missing `pinned`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/message.hpp"
#include "domain/poll.hpp"
#include "domain/user.hpp"

namespace chat::domain::json {

inline constexpr int kMessageTypeDefault = 0;
// A group DM's own notices: a user added or removed (mentions: that user), renamed (content: the
// new name), a new icon.
inline constexpr int kMessageTypeRecipientAdd = 1;
inline constexpr int kMessageTypeRecipientRemove = 2;
inline constexpr int kMessageTypeChannelNameChange = 4;
inline constexpr int kMessageTypeChannelIconChange = 5;
inline constexpr int kMessageTypeChannelFollowAdd = 12;  // content: the followed channel's name
inline constexpr int kMessageTypeReply = 19;
inline constexpr int kMessageTypeChatInputCommand = 20;
inline constexpr int kMessageTypeContextMenuCommand = 23;
inline constexpr int kMessageTypeAutoModerationAction = 24;  // an auto moderation alert
inline constexpr int kMessageReferenceForward = 1;           // message_reference.type
inline constexpr std::int64_t kFlagHasSnapshot = 1 << 14;    // a forward carries message_snapshots
// Channel following: a published message (CROSSPOSTED), a follower's copy of one (IS_CROSSPOST),
// and a copy whose original was deleted (SOURCE_MESSAGE_DELETED).
inline constexpr std::int64_t kFlagCrossposted = 1 << 0;
inline constexpr std::int64_t kFlagIsCrosspost = 1 << 1;
inline constexpr std::int64_t kFlagSourceMessageDeleted = 1 << 3;

// One emoji's reactions on a message, as the viewer sees them.
struct ReactionCount {
  std::string emoji_name;             // unicode emoji, or a custom emoji's name
  std::optional<Snowflake> emoji_id;  // custom emoji only
  std::int64_t count = 0;
  bool me = false;
};

// A message with what its object shows besides the stored row.
struct MessageData {
  Message message;
  User author;
  std::vector<User> mentions;
  std::optional<Snowflake> guild_id;  // guild messages; written into message_reference
  // Replies (type 19): the quoted message; null when it has been deleted.
  std::shared_ptr<const MessageData> referenced;
  std::vector<ReactionCount> reactions;  // "reactions" is omitted when empty, as Discord does
  std::vector<Attachment> attachments;   // in position order, url filled
  std::optional<PollTally> poll;         // messages with a poll (message.poll_json)
};

// Discord's attachment object; proxy_url repeats url (there is no media proxy).
boost::json::object AttachmentJson(const Attachment& attachment);

boost::json::object MessageJson(const MessageData& data);

// The stored form of a forward (domain::Message::forward_json) of `source`, given as MessageJson
// wrote it: the reference (type 1: its message, channel and guild) and the snapshot Discord shows
// (type, content, embeds, attachments, timestamp, edited_timestamp, flags, mentions,
// mention_roles, components). A forward of a forward carries the original's.
std::string ForwardJson(const boost::json::object& source, Snowflake channel_id,
                        std::optional<Snowflake> guild_id);

// The same object with content, embeds, attachments and components emptied and the poll left out:
// what a bot without the MESSAGE_CONTENT intent receives.
boost::json::object WithoutContent(boost::json::object message);

}  // namespace chat::domain::json
