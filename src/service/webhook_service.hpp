// service/webhook_service.hpp — incoming webhooks (Discord's /channels/{id}/webhooks,
// /guilds/{id}/webhooks, /webhooks/{id}[/{token}]): made, listed, changed and deleted by members
// with MANAGE_WEBHOOKS, or by anyone holding the webhook's token; executing one posts a message
// through MessageService. Changes are audited (50–52) and announced as WEBHOOKS_UPDATE to the
// channel's viewers. Synchronous: run on the db pool. Thread-safe.
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

  // The webhook whose id and token these are: 404 Unknown Webhook, 401 Invalid Webhook Token
  // (50027).
  [[nodiscard]] Result<domain::Webhook> ByToken(domain::Snowflake id, const std::string& token);
  // Posts as the webhook (MessageService::CreateAsWebhook).
  [[nodiscard]] Result<MessageView> Execute(const domain::Webhook& webhook, const WebhookPost& post,
                                            const MessageInput& input);

 private:
  // The webhook and the acting user's right to manage it (or the token's).
  Result<domain::Webhook> Authorize(std::optional<domain::Snowflake> user_id, domain::Snowflake id,
                                    const std::optional<std::string>& token);
  Result<std::vector<WebhookView>> WithCreators(Result<std::vector<domain::Webhook>> webhooks);
  void Announce(const domain::Webhook& webhook);

  CommunityDeps deps_;
  MessageService& messages_;
};

}  // namespace chat::service
