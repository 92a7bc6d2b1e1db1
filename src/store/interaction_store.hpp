// store/interaction_store.hpp — commands users invoked and components they used, until their
// application has answered them and for as long as its token may follow up (Discord's 15
// minutes), with the ephemeral messages shown meanwhile. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kUnknownInteraction = 10062;
inline Error UnknownInteraction() {
  return Error::NotFound("Unknown interaction", kUnknownInteraction);
}

struct Interaction {
  domain::Snowflake id = 0;
  domain::Snowflake application_id = 0;
  std::string token_hash;  // hex SHA-256 of the token
  domain::Snowflake user_id = 0;
  std::optional<domain::Snowflake> guild_id;
  domain::Snowflake channel_id = 0;
  std::string command_name;  // a component's custom_id, a modal's for a submission
  std::int64_t created_at_ms = 0;
  bool acknowledged = false;
  std::optional<domain::Snowflake> response_message_id;  // the original response, once stored
  int command_type = 1;             // the command's: 1 slash, 2 user, 3 message
  bool response_ephemeral = false;  // the original response is (or, deferred, will be) ephemeral
  int type = 2;                     // 2 a command, 3 a message component, 5 a modal submission
  // The message whose component started it (for a submission: its modal's opener's, if any).
  std::optional<domain::Snowflake> message_id;
  std::optional<std::string> modal_json;  // the modal it was answered with
};

// A message shown to one user only (flags 64), as they received it; it goes with its interaction.
struct EphemeralMessage {
  domain::Snowflake id = 0;
  domain::Snowflake interaction_id = 0;
  domain::Snowflake user_id = 0;
  std::string json;
};

class InteractionStore {
 public:
  virtual ~InteractionStore() = default;

  // Also forgets interactions created before `forget_before_ms` (their tokens have expired).
  [[nodiscard]] virtual Result<void> CreateInteraction(const Interaction& interaction,
                                                       std::int64_t forget_before_ms) = 0;
  // NotFound 10062 when absent.
  [[nodiscard]] virtual Result<Interaction> GetInteraction(domain::Snowflake id) = 0;
  // Claims the interaction's one answer, saying whether it is ephemeral. False (nothing changed)
  // when it was answered already: an interaction is answered once.
  [[nodiscard]] virtual Result<bool> AcknowledgeInteraction(domain::Snowflake id,
                                                            bool ephemeral) = 0;
  // Gives a claimed answer back, when posting it failed.
  [[nodiscard]] virtual Result<void> ReleaseInteraction(domain::Snowflake id) = 0;
  // Records the original response's message unless it has one: false when it had (a deferred
  // answer's first edit and first followup raced). NotFound 10062.
  [[nodiscard]] virtual Result<bool> SetInteractionResponse(domain::Snowflake id,
                                                            domain::Snowflake message_id) = 0;
  // Records the modal a claimed interaction was answered with. NotFound 10062.
  [[nodiscard]] virtual Result<void> SetInteractionModal(domain::Snowflake id,
                                                         const std::string& modal_json) = 0;

  // Inserts or replaces (an edit) an ephemeral message.
  [[nodiscard]] virtual Result<void> PutEphemeralMessage(const EphemeralMessage& message) = 0;
  // NotFound 10008 unless `user_id` was shown it.
  [[nodiscard]] virtual Result<EphemeralMessage> GetEphemeralMessage(domain::Snowflake id,
                                                                     domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<void> DeleteEphemeralMessage(domain::Snowflake id) = 0;
};

}  // namespace chat::store
