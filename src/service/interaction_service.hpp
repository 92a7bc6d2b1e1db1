// service/interaction_service.hpp — a user invoking an application's command (Discord's
// interaction type 2; 4 while they type an option that autocompletes), using a component of its
// message (3: a button, a select menu) or submitting a modal it showed (5), and the application
// answering. Each checks what the user did against what the application defined (command options,
// the message's components, the modal's fields) and the user's right to do it there, and sends
// INTERACTION_CREATE to the application's bot with a token. With the token the application answers
// once (POST /interactions/{id}/ {token}/callback: a message, "deferred", for a component the
// update of its message or a deferred one, or a modal), then reads, edits and deletes its original
// response and sends followups (/webhooks/{application_id}/{token}…) for 15 minutes. Answers are
// messages of the bot (type 20 or 23 for commands, 0 for components and modals); an EPHEMERAL one
// (flags 64) is shown only to the user, and kept (not in the channel) while its interaction is, so
// that its components work and the application can read and edit it. Synchronous: run on the db
// pool. Thread-safe.
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
  // An autocomplete request (interaction type 4): the options typed so far, one focused.
  bool autocomplete = false;
};

// A user's use of a message component: the message, and data {custom_id, component_type,
// values}.
struct ComponentUse {
  std::optional<domain::Snowflake> application_id;  // checked against the message's when given
  std::optional<domain::Snowflake> guild_id;
  domain::Snowflake channel_id = 0;
  domain::Snowflake message_id = 0;
  std::string custom_id;
  int component_type = 0;
  boost::json::value values;  // a select's picks; null for a button
};

// A user's submission of a modal an application showed them (the modal's id is the id of the
// interaction it answered).
struct ModalSubmit {
  domain::Snowflake application_id = 0;
  domain::Snowflake channel_id = 0;
  domain::Snowflake modal_id = 0;
  std::string custom_id;
  boost::json::value components;  // rows of {type: 4, custom_id, value}
};

// How the application answers (the callback's `type`).
enum class ResponseType : int {
  kChannelMessage = 4,
  kDeferredChannelMessage = 5,
  kDeferredUpdateMessage = 6,  // components: the message stays; @original is that message
  kUpdateMessage = 7,          // components: edits the message the component is on
  kAutocompleteResult = 8,     // autocomplete requests only: the choices offered
  kModal = 9,                  // commands and components: shows the user a modal
};

// The callback's data, read as the type needs it.
struct Answer {
  ResponseType type = ResponseType::kChannelMessage;
  MessageInput message;                      // 4
  MessageEdit edit;                          // 7
  std::optional<boost::json::object> modal;  // 9, checked
  boost::json::array choices;                // 8, checked
};

class InteractionService {
 public:
  InteractionService(CommunityDeps deps, MessageService& messages)
      : deps_(deps), messages_(messages) {}

  // 403 50001 unless the channel is a guild channel the user sees and the application's bot is a
  // member there, or the user's DM with the bot (global commands with dm_permission only: Discord's
  // context BOT_DM; the interaction then carries `user`, not `member`); 403 50013 without
  // USE_APPLICATION_COMMANDS or the command's permissions (guilds); 404 10063 for an unknown
  // command, 400 for a stale name or invalid options. Returns the new interaction's id.
  [[nodiscard]] Result<domain::Snowflake> Invoke(domain::Snowflake user_id,
                                                 const Invocation& invocation);
  // The message must be one the user can read (or an ephemeral one shown to them) with an
  // enabled component of that custom_id and type; 400 for unknown components or invalid values.
  [[nodiscard]] Result<domain::Snowflake> UseComponent(domain::Snowflake user_id,
                                                       const ComponentUse& use);
  // 404 10062 unless the modal was shown to this user within the token's lifetime; 400 for
  // fields that do not fit it.
  [[nodiscard]] Result<domain::Snowflake> SubmitModal(domain::Snowflake user_id,
                                                      const ModalSubmit& submit);
  // The interaction these are the id and token of: 404 10062 when unknown or expired, 401 50027
  // for a wrong token. `application_id` is checked when given (the webhook routes carry it).
  [[nodiscard]] Result<store::Interaction> ByToken(std::optional<domain::Snowflake> application_id,
                                                   std::optional<domain::Snowflake> id,
                                                   const std::string& token);
  // 400 40060 when already answered; 400 for a type this interaction cannot take (an update
  // without a component's message, a modal for a submitted modal).
  [[nodiscard]] Result<void> Respond(const store::Interaction& interaction, const Answer& answer);
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
  // Where an interaction happens: the user's access to the channel, and the application's bot,
  // which must be a member there (or, in a DM, the other participant).
  struct Place {
    ChannelAccess access;
    domain::Snowflake bot = 0;
    std::uint64_t app_permissions = 0;
  };
  Result<Place> Enter(domain::Snowflake user_id, domain::Snowflake channel_id,
                      std::optional<domain::Snowflake> guild_id, domain::Snowflake application_id);
  // Stores the interaction `row` describes and sends it to the bot with its token.
  Result<domain::Snowflake> Start(store::Interaction row, const Place& place,
                                  boost::json::object data,
                                  std::optional<boost::json::object> message);
  // A component's message as the user sees it, with the application that answers for it.
  struct Target {
    boost::json::object json;
    domain::Snowflake application_id = 0;
    bool ephemeral = false;
  };
  Result<Target> TargetOf(domain::Snowflake user_id, domain::Snowflake channel_id,
                          domain::Snowflake message_id);
  // The interaction_metadata its answers carry.
  Result<std::string> Metadata(const store::Interaction& interaction);
  // Posts the bot's answer, or shows an ephemeral one (flags 64) to the user only.
  Result<MessageView> Post(const store::Interaction& interaction, const MessageInput& input);
  // A new ephemeral answer: kept, and sent to its user's gateway sessions.
  Result<MessageView> Show(const store::Interaction& interaction, domain::Snowflake id,
                           const MessageInput& input);
  // The response a token names: `message_id` (a followup), else the original (404 10008 while
  // there is none); with the kept message when it is an ephemeral one of this interaction (its
  // answer, a followup, or the message its component is on).
  struct Response {
    domain::Snowflake id = 0;
    std::optional<store::EphemeralMessage> ephemeral;
  };
  Result<Response> FindResponse(const store::Interaction& interaction,
                                std::optional<domain::Snowflake> message_id);
  // The bot's own message `id` in the interaction's channel (10008 for anyone else's).
  Result<MessageView> BotMessage(const store::Interaction& interaction, domain::Snowflake id);
  Result<MessageView> EditEphemeral(const store::Interaction& interaction,
                                    store::EphemeralMessage message, const MessageEdit& edit);
  // Shows the modal to the user (INTERACTION_MODAL_CREATE).
  Result<void> ShowModal(const store::Interaction& interaction, const boost::json::object& modal);
  // A deferred answer's first edit or followup: its original response, ephemeral if it was.
  Result<MessageView> TakeOverDeferred(const store::Interaction& interaction, MessageInput input);
  Result<domain::Snowflake> BotOf(domain::Snowflake application_id);

  CommunityDeps deps_;
  MessageService& messages_;
};

}  // namespace chat::service
