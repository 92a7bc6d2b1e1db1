// service/interaction_service.hpp — a user invoking an application's command, and the
// application answering (Discord's interactions, for commands: type 2). Invoking (POST
// /interactions) checks the command, the user's right to use it there (VIEW_CHANNEL,
// USE_APPLICATION_COMMANDS, the command's default_member_permissions) and its options, and
// sends INTERACTION_CREATE to the application's bot with a token. With the token the application
// answers once (POST /interactions/{id}/{token}/callback: a message, or "deferred"), then reads,
// edits and deletes its original response and sends followups (/webhooks/{application_id}/
// {token}…) for 15 minutes. User and message commands run on a target (data.target_id), given
// back resolved. Answers are messages of the bot (type 20 or 23); an EPHEMERAL one
// (flags 64) is shown only to the user who invoked the command and is not stored.
// Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "service/community_common.hpp"
#include "service/message_service.hpp"
#include "store/interaction_store.hpp"

namespace chat::service {

// Discord's interaction tokens start with base64("interaction:"); the webhook routes tell them
// from webhook tokens by it.
inline constexpr std::string_view kInteractionTokenPrefix = "aW50ZXJhY3Rpb246";
// How long an application may use an interaction's token.
inline constexpr std::int64_t kInteractionTokenLifetimeMs = 15 * 60 * 1000;

struct Invocation {
  domain::Snowflake application_id = 0;
  std::optional<domain::Snowflake> guild_id;  // as the request gave it; must be the channel's
  domain::Snowflake channel_id = 0;
  domain::Snowflake command_id = 0;
  std::string command_name;
  boost::json::value options;                  // data.options as sent (null when absent)
  std::optional<domain::Snowflake> target_id;  // a user or message command's user or message
};

// How the application answers (the callback's `type`).
enum class ResponseType : int { kChannelMessage = 4, kDeferredChannelMessage = 5 };

class InteractionService {
 public:
  InteractionService(CommunityDeps deps, MessageService& messages)
      : deps_(deps), messages_(messages) {}

  // 403 50001 unless the channel is a guild channel the user sees and the application's bot is a
  // member there; 403 50013 without USE_APPLICATION_COMMANDS or the command's permissions; 404
  // 10063 for an unknown command, 400 for a stale name or invalid options. Returns the new
  // interaction's id.
  [[nodiscard]] Result<domain::Snowflake> Invoke(domain::Snowflake user_id,
                                                 const Invocation& invocation);
  // The interaction these are the id and token of: 404 10062 when unknown or expired, 401 50027
  // for a wrong token. `application_id` is checked when given (the webhook routes carry it).
  [[nodiscard]] Result<store::Interaction> ByToken(std::optional<domain::Snowflake> application_id,
                                                   std::optional<domain::Snowflake> id,
                                                   const std::string& token);
  // 400 40060 when already answered.
  [[nodiscard]] Result<void> Respond(const store::Interaction& interaction, ResponseType type,
                                     const MessageInput& input);
  // The original response (404 10008 while there is none), or a followup by id.
  [[nodiscard]] Result<MessageView> GetResponse(const store::Interaction& interaction,
                                                std::optional<domain::Snowflake> message_id);
  // Editing the original response of a deferred answer that has none yet posts it (`as_new`).
  [[nodiscard]] Result<MessageView> EditResponse(const store::Interaction& interaction,
                                                 std::optional<domain::Snowflake> message_id,
                                                 const MessageEdit& edit,
                                                 const MessageInput& as_new);
  [[nodiscard]] Result<void> DeleteResponse(const store::Interaction& interaction,
                                            std::optional<domain::Snowflake> message_id);
  // A followup needs the interaction answered first (10062 otherwise). The first stored
  // followup of a deferred answer becomes its original response.
  [[nodiscard]] Result<MessageView> Followup(const store::Interaction& interaction,
                                             const MessageInput& input);

 private:
  // Posts the bot's answer, or shows an ephemeral one (flags 64) to the user only, unstored.
  Result<MessageView> Post(const store::Interaction& interaction, const MessageInput& input);
  // An ephemeral answer as its user's gateway sessions receive it (MESSAGE_CREATE or _UPDATE).
  Result<MessageView> Show(const store::Interaction& interaction, domain::Snowflake id,
                           const MessageInput& input, const char* event);
  // A deferred answer's first edit or followup: its original response, ephemeral if it was.
  Result<MessageView> TakeOverDeferred(const store::Interaction& interaction, MessageInput input);
  static bool EphemeralOriginal(const store::Interaction& interaction,
                                std::optional<domain::Snowflake> message_id);
  Result<domain::Snowflake> BotOf(domain::Snowflake application_id);
  Result<domain::Snowflake> ResponseId(const store::Interaction& interaction,
                                       std::optional<domain::Snowflake> message_id);

  CommunityDeps deps_;
  MessageService& messages_;
};

}  // namespace chat::service
