// domain/webhook.hpp — an incoming webhook: a name and a secret token that post messages into one
// guild channel without an account. Messages it posts are authored by the webhook itself (its id
// as the author id, its name and avatar as they were when the message was sent).
#pragma once

#include <optional>
#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

inline constexpr std::size_t kMaxWebhooksPerChannel = 15;  // Discord's limit
inline constexpr std::size_t kWebhookNameMax = 80;

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
};

}  // namespace chat::domain
