// store/webhook_store.hpp — webhooks of guild channels. Deleting a guild or channel deletes its
// webhooks, and the channel followers of a deleted announcement channel. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "domain/webhook.hpp"
#include "store/nullable.hpp"

namespace chat::store {

inline constexpr int kUnknownWebhook = 10015;
inline Error UnknownWebhook() { return Error::NotFound("Unknown Webhook", kUnknownWebhook); }

struct WebhookUpdate {
  std::optional<std::string> name;
  Nullable<std::string> avatar;
  std::optional<domain::Snowflake> channel_id;  // another channel of the same guild
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // Stores the webhook unless its channel has `max` already (false, nothing stored): the count
  // and the insert are one transaction, so concurrent creations never pass `max`. NotFound
  // (Unknown Channel / Unknown User) when the channel or the creator does not exist.
  [[nodiscard]] virtual Result<bool> CreateWebhook(const domain::Webhook& webhook,
                                                   std::size_t max) = 0;
  // UnknownWebhook() when absent.
  [[nodiscard]] virtual Result<domain::Webhook> GetWebhook(domain::Snowflake id) = 0;
  // Oldest first.
  [[nodiscard]] virtual Result<std::vector<domain::Webhook>> ListChannelWebhooks(
      domain::Snowflake channel_id) = 0;
  [[nodiscard]] virtual Result<std::vector<domain::Webhook>> ListGuildWebhooks(
      domain::Snowflake guild_id) = 0;
  // The channel followers (type 2) of an announcement channel, in any guild; oldest first.
  [[nodiscard]] virtual Result<std::vector<domain::Webhook>> ListChannelFollowers(
      domain::Snowflake source_channel_id) = 0;
  // The webhook as it is after the update; UnknownWebhook() when absent.
  [[nodiscard]] virtual Result<domain::Webhook> UpdateWebhook(domain::Snowflake id,
                                                              const WebhookUpdate& update) = 0;
  // UnknownWebhook() when absent.
  [[nodiscard]] virtual Result<void> DeleteWebhook(domain::Snowflake id) = 0;
};

}  // namespace chat::store
