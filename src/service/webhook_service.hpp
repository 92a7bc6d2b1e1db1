// service/webhook_service.hpp — webhooks (Discord's /channels/{id}/webhooks,
// /guilds/{id}/webhooks, /webhooks/{id}[/{token}]): made, listed, changed and deleted by members
// with MANAGE_WEBHOOKS, or by anyone holding an incoming webhook's token; executing one posts a
// message through MessageService. Following an announcement channel (/channels/{id}/followers)
// makes a channel follower webhook, through which MessageService::Crosspost posts its copies.
// Changes are audited (50–52) and announced as WEBHOOKS_UPDATE to the channel's viewers.
// Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/user.hpp"
#include "domain/webhook.hpp"
#include "service/community_common.hpp"
#include "service/message_service.hpp"
#include "store/webhook_store.hpp"

namespace chat::service {

struct WebhookView {
  domain::Webhook webhook;
  std::optional<domain::User> creator;  // Discord's `user`; absent on token routes
  // A channel follower's source_guild and source_channel; absent once that channel is gone.
  std::optional<domain::WebhookSource> source;
};

struct WebhookInput {
  std::optional<std::string> name;
  store::Nullable<std::string> avatar;
  std::optional<domain::Snowflake> channel_id;  // modify only; not on token routes
};

// An execution's overrides of the name and avatar it posts under.
struct WebhookPost {
  std::optional<std::string> username;
  std::optional<std::string> avatar_url;
  std::optional<domain::Snowflake> thread_id;  // a thread of the webhook's channel
};

class WebhookService {
 public:
  WebhookService(CommunityDeps deps, MessageService& messages) : deps_(deps), messages_(messages) {}

  // VIEW_CHANNEL + MANAGE_WEBHOOKS in a text channel; a name is required; at most
  // domain::kMaxWebhooksPerChannel per channel (30007).
  [[nodiscard]] Result<WebhookView> Create(domain::Snowflake user_id, domain::Snowflake channel_id,
                                           const WebhookInput& input,
                                           const AuditReason& reason = {});
  // Makes `target_channel_id` follow the announcement channel `source_channel_id`: VIEW_CHANNEL
  // there (50024 for another type), VIEW_CHANNEL + MANAGE_WEBHOOKS in the target, a text channel.
  // The follower is a webhook of type 2 named "<guild> #<channel>" with the guild's icon; it
  // counts towards the target's webhooks (30007). Following the same channel again returns the
  // follower it has.
  [[nodiscard]] Result<domain::Webhook> Follow(domain::Snowflake user_id,
                                               domain::Snowflake source_channel_id,
                                               domain::Snowflake target_channel_id,
                                               const AuditReason& reason = {});
  [[nodiscard]] Result<std::vector<WebhookView>> ListChannel(domain::Snowflake user_id,
                                                             domain::Snowflake channel_id);
  [[nodiscard]] Result<std::vector<WebhookView>> ListGuild(domain::Snowflake user_id,
                                                           domain::Snowflake guild_id);
  // With a user: MANAGE_WEBHOOKS in the webhook's channel (and in a new one when it moves). With
  // a token instead (`user_id` empty): the webhook's token, and no channel change.
  [[nodiscard]] Result<WebhookView> Get(std::optional<domain::Snowflake> user_id,
                                        domain::Snowflake id,
                                        std::optional<std::string> token = {});
  [[nodiscard]] Result<WebhookView> Modify(std::optional<domain::Snowflake> user_id,
                                           domain::Snowflake id, const WebhookInput& input,
                                           std::optional<std::string> token = {},
                                           const AuditReason& reason = {});
  [[nodiscard]] Result<void> Delete(std::optional<domain::Snowflake> user_id, domain::Snowflake id,
                                    std::optional<std::string> token = {},
                                    const AuditReason& reason = {});

  // The incoming webhook whose id and token these are: 404 Unknown Webhook, 401 Invalid Webhook
  // Token (50027; also for a channel follower, which has no token to hold).
  [[nodiscard]] Result<domain::Webhook> ByToken(domain::Snowflake id, const std::string& token);
  // Posts as the webhook (MessageService::CreateAsWebhook).
  [[nodiscard]] Result<MessageView> Execute(const domain::Webhook& webhook, const WebhookPost& post,
                                            const MessageInput& input);

 private:
  // The webhook and the acting user's right to manage it (or the token's).
  Result<domain::Webhook> Authorize(std::optional<domain::Snowflake> user_id, domain::Snowflake id,
                                    const std::optional<std::string>& token);
  // The follower of `source_channel_id` in `channel_id`, if it has one.
  Result<std::optional<domain::Webhook>> FollowerOf(domain::Snowflake channel_id,
                                                    domain::Snowflake source_channel_id);
  Result<std::vector<WebhookView>> WithCreators(Result<std::vector<domain::Webhook>> webhooks);
  void Announce(const domain::Webhook& webhook);

  CommunityDeps deps_;
  MessageService& messages_;
};

}  // namespace chat::service
