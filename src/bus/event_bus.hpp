// bus/event_bus.hpp — how a committed change reaches the gateway. Services publish one Event
// after the store commits; every node's gateway subscribes and delivers it to the local
// sessions allowed to see it. The payload is serialized once by the publisher; the same bytes go
// to every recipient. In-process (bus/local) on one node; Redis pub/sub (bus/redis) across
// several. Publish and Subscribe are thread-safe; handlers run on the publishing thread or on the
// Redis subscriber thread, possibly at the same time, and must not block (the gateway only
// queues the event for its sessions, serialized by its own mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::bus {

// Discord gateway intents (bit numbers as Discord's), used to filter what a session receives.
enum class Intent : int {
  kNone = -1,
  kGuilds = 0,
  kGuildMembers = 1,
  kGuildModeration = 2,
  kGuildExpressions = 3,
  kGuildWebhooks = 5,
  kGuildInvites = 6,
  kGuildVoiceStates = 7,
  kGuildPresences = 8,
  kGuildMessages = 9,
  kGuildMessageReactions = 10,
  kGuildMessageTyping = 11,
  kDirectMessages = 12,
  kDirectMessageReactions = 13,
  kDirectMessageTyping = 14,
  kGuildScheduledEvents = 16,
  kAutoModerationConfiguration = 20,
  kAutoModerationExecution = 21,
  kGuildMessagePolls = 24,
  kDirectMessagePolls = 25,
};

struct Event {
  std::string type;  // dispatch name: "MESSAGE_CREATE", "GUILD_MEMBER_ADD", …
  std::optional<domain::Snowflake> guild_id;
  // Who may receive it, decided by the publisher at commit time from membership and
  // permissions (VIEW_CHANNEL for channel events). Sessions of other users never see it.
  std::vector<domain::Snowflake> recipients;
  Intent intent = Intent::kNone;
  std::string payload;  // the dispatch's "d", serialized JSON
  // MESSAGE_* only: the author (content is kept for the author and in DMs) and a copy of the
  // payload with content, embeds and attachments emptied for bots without MESSAGE_CONTENT (guild
  // messages only), except for the users it mentions, who read it whole, as on Discord.
  std::optional<domain::Snowflake> author_id;
  std::optional<std::string> payload_without_content;
  std::vector<domain::Snowflake> mentioned;
  // Set by a bus shared between nodes (bus/redis): the publishing node and its count of events
  // published so far. A node's events reach every node in that order, so (origin, origin_seq)
  // says exactly which of them a node has delivered — what a session moving between nodes needs
  // to get nothing twice and miss nothing. Empty and 0 on the in-process bus.
  std::string origin;
  std::uint64_t origin_seq = 0;
};

using EventPtr = std::shared_ptr<const Event>;
using Handler = std::function<void(const EventPtr&)>;

class EventBus {
 public:
  virtual ~EventBus() = default;
  virtual void Publish(Event event) = 0;
  // Returns an id for Unsubscribe. Handlers are called for every event published afterwards.
  virtual std::uint64_t Subscribe(Handler handler) = 0;
  virtual void Unsubscribe(std::uint64_t id) = 0;
};

}  // namespace chat::bus
