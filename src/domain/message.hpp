// domain/message.hpp — a stored message and its attachments. Content is at most 2000 characters
// (the seed's limit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

inline constexpr std::size_t kMaxMessageLength = 2000;
inline constexpr int kDefaultPageSize = 50;

// The message a crossposted copy was made from (a message published in an announcement channel,
// copied into a channel following it): Discord's message_reference of the copy.
struct CrosspostSource {
  Snowflake message_id = 0;
  Snowflake channel_id = 0;
  Snowflake guild_id = 0;
};

struct Message {
  Snowflake id = 0;
  Snowflake channel_id = 0;
  Snowflake author_id = 0;
  std::string content;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> edited_at_ms;
  int type = 0;
  std::int64_t flags = 0;
  bool tts = false;
  bool pinned = false;
  bool mention_everyone = false;
  std::optional<std::string> nonce;
  std::optional<Snowflake> referenced_message_id;
  std::vector<Snowflake> mention_user_ids;
  std::vector<Snowflake> mention_role_ids;
  std::string embeds_json = "[]";      // stored as the client sent it, validated on the way in
  std::string components_json = "[]";  // as domain/json/component_json rebuilt them
  // An application's answer: the interaction it answers ({id, type, name, user,
  // authorizing_integration_owners, interacted_message_id?}), shown as Discord's
  // interaction_metadata and (deprecated, still read by libraries) interaction.
  std::optional<std::string> interaction_json;
  // Sent by a webhook: its id (the author Discord shows), and the name and avatar it posted
  // under. author_id is then the webhook's creator, who owns the row but is not its author.
  std::optional<Snowflake> webhook_id;
  std::string webhook_name;
  std::optional<std::string> webhook_avatar;
  // A poll's question and answers (domain/json/poll_json's stored form); what changes while it
  // runs is the PollStore's. poll_expires_at_ms is written with a new poll only, never read back.
  std::optional<std::string> poll_json;
  std::int64_t poll_expires_at_ms = 0;
  // A forward (message_reference type 1): {"message_reference", "snapshot"}, the forwarded
  // message as it was when forwarded (domain/json/message_json's ForwardJson).
  std::optional<std::string> forward_json;
  // A copy a channel follower posted (flag IS_CROSSPOST): the published message it copies.
  std::optional<CrosspostSource> crosspost;
  // The stickers it was sent with, as Discord's sticker_items ([{id, name, format_type}]) were
  // when it was sent.
  std::optional<std::string> stickers_json;
};

// Who a message shows as its author: the webhook that sent it, or the user.
inline Snowflake AuthorOf(const Message& m) { return m.webhook_id ? *m.webhook_id : m.author_id; }

inline constexpr std::size_t kMaxAttachments = 10;

// An uploaded file of a message. The bytes live on disk (service/attachment_service.hpp); the
// row holds what the attachment object shows and the random key that makes its URL unguessable.
struct Attachment {
  Snowflake id = 0;
  Snowflake message_id = 0;
  Snowflake channel_id = 0;
  int position = 0;      // order within the message
  std::string filename;  // sanitized: safe as a path segment and in a URL
  std::optional<std::string> description;
  std::string content_type;
  std::int64_t size = 0;
  std::optional<int> width;  // images whose header gave their size
  std::optional<int> height;
  std::string url_key;  // base64url of 16 random bytes
  std::string url;      // not stored: the service fills it from the public base URL
};

inline std::vector<Snowflake> IdsOf(const std::vector<Attachment>& attachments) {
  std::vector<Snowflake> ids;
  ids.reserve(attachments.size());
  for (const auto& a : attachments) ids.push_back(a.id);
  return ids;
}

}  // namespace chat::domain
