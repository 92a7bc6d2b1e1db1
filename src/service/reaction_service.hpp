// service/reaction_service.hpp — reactions on messages: add and remove one's own, remove
// another's or all (MANAGE_MESSAGES), list who reacted. Emoji are unicode emoji or custom
// "name:id". Publishes MESSAGE_REACTION_ADD/REMOVE/REMOVE_ALL/REMOVE_EMOJI to the channel's
// viewers. Synchronous, runs on a worker thread; thread-safe (no state of its own).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"
#include "service/access_service.hpp"
#include "store/store.hpp"

namespace chat::service {

// An emoji as a route names it: "👍" or "name:id" (also "name:id" with a leading "a:").
struct Emoji {
  std::string name;
  std::optional<domain::Snowflake> id;
  std::string Key() const;  // what the store keeps: the unicode emoji, or "name:id"
};

// 400 Unknown Emoji (10014) unless `text` is a unicode emoji or a well-formed custom emoji.
[[nodiscard]] Result<Emoji> ParseEmoji(std::string_view text);

class ReactionService {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds

  ReactionService(store::Store& store, AccessService& access, bus::EventBus& bus,
                  Clock clock = &domain::SnowflakeGenerator::SystemClockMs)
      : store_(store), access_(access), bus_(bus), clock_(clock) {}

  // READ_MESSAGE_HISTORY, and ADD_REACTIONS when the emoji is new on the message.
  [[nodiscard]] Result<void> Add(domain::Snowflake user_id, domain::Snowflake channel_id,
                                 domain::Snowflake message_id, const Emoji& emoji);
  // Removing one's own needs VIEW_CHANNEL; another user's needs MANAGE_MESSAGES.
  [[nodiscard]] Result<void> Remove(domain::Snowflake actor_id, domain::Snowflake channel_id,
                                    domain::Snowflake message_id, const Emoji& emoji,
                                    domain::Snowflake user_id);
  // Every reaction, or every reaction with `emoji`; MANAGE_MESSAGES.
  [[nodiscard]] Result<void> RemoveAll(domain::Snowflake actor_id, domain::Snowflake channel_id,
                                       domain::Snowflake message_id,
                                       const std::optional<Emoji>& emoji);
  // Users who reacted with `emoji`, ascending by id.
  [[nodiscard]] Result<std::vector<domain::User>> Users(domain::Snowflake user_id,
                                                        domain::Snowflake channel_id,
                                                        domain::Snowflake message_id,
                                                        const Emoji& emoji, domain::Snowflake after,
                                                        int limit);

 private:
  // A custom emoji under its stored name (the name a client sends with an id is not trusted).
  Emoji Canonical(const Emoji& emoji);
  void Publish(const char* type, const ChannelAccess& access, boost::json::object payload);

  store::Store& store_;
  AccessService& access_;
  bus::EventBus& bus_;
  const Clock clock_;
};

}  // namespace chat::service
