// domain/webhook.hpp — a webhook: a name that posts messages into one guild channel without an
// account. An incoming webhook (type 1) posts what the holder of its secret token sends; a channel
// follower (type 2) posts the messages published in the announcement channel it follows. Messages
// it posts are authored by the webhook itself (its id as the author id, its name and avatar as
// they were when the message was sent).
#pragma once

#include <optional>
#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

inline constexpr std::size_t kMaxWebhooksPerChannel = 15;  // Discord's limit
inline constexpr std::size_t kWebhookNameMax = 80;
inline constexpr int kWebhookIncoming = 1;
inline constexpr int kWebhookChannelFollower = 2;

struct Webhook {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  Snowflake channel_id = 0;
  Snowflake creator_id = 0;  // the user who made it (Discord's `user`)
  std::string name;
  std::optional<std::string> avatar;
  // Shown to those who may manage the webhook, as Discord does, so stored as given (like the
  // database itself, it is a secret of the deployment).
  std::string token;
  int type = kWebhookIncoming;
  // A channel follower's: the announcement channel it follows (its token is never shown or
  // accepted).
  std::optional<Snowflake> source_channel_id;
};

// What a channel follower's object shows of the channel it follows (Discord's source_guild and
// source_channel), read when shown.
struct WebhookSource {
  Snowflake guild_id = 0;
  std::string guild_name;
  std::optional<std::string> guild_icon;
  Snowflake channel_id = 0;
  std::string channel_name;
};

}  // namespace chat::domain
