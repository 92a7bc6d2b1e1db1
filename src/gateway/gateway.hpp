// gateway/gateway.hpp — the WebSocket gateway of one node: it takes the connections the HTTP
// server upgrades on `/`, `/ws` and `/gateway`, speaks Discord's gateway protocol on them
// (HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE, RESUME, close codes, the seed's op 0
// MESSAGE_CREATE) and delivers the event bus's events to the sessions of their recipients.
// Beast stays in gateway.cpp: this header is light so app.cpp can own a Gateway.
// Thread-safe: each connection runs on its io_context's one thread; bus events arrive on
// publisher threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gateway/outbox.hpp"
#include "gateway/presence.hpp"
#include "gateway/replay_buffer.hpp"

namespace chat {
class BlockingPool;
}
namespace chat::bus {
class EventBus;
class HandoffStore;
}  // namespace chat::bus
namespace chat::store {
class Store;
}
namespace chat::service {
class AuthService;
class MessageService;
class ViewerCache;
}  // namespace chat::service
namespace chat::http {
class UpgradeHandler;
}

namespace chat::gateway {

struct GatewayOptions {
  std::chrono::milliseconds heartbeat_interval{41'250};
  // A connection that sends no heartbeat for interval × this is closed with 4009.
  double heartbeat_grace = 1.5;
  // How long a session whose connection dropped stays resumable.
  std::chrono::milliseconds resume_window{3 * 60 * 1000};
  ReplayLimits replay;
  OutboxLimits outbox;
  int max_commands = 120;
  std::chrono::milliseconds command_window{60'000};
  // With a hand-off store: how many recently delivered events this node keeps (at most for
  // resume_window) so that sessions another node hands over can be caught up.
  std::size_t handoff_log_max = 100'000;
  std::size_t handoff_log_max_bytes = 64 << 20;
  // With a presence directory shared by the nodes: how often this node tells the others it lives
  // (and finds the dead ones). Zero: never.
  std::chrono::milliseconds presence_beat{0};
  // READY's resume_gateway_url; called per IDENTIFY (the port is known only once listening).
  std::function<std::string()> resume_url;
};

struct GatewayDeps {
  service::AuthService& auth;
  store::Store& store;
  bus::EventBus& bus;
  BlockingPool& db;           // store and bot-token calls
  PresenceTracker& presence;  // owned by the caller: REST counts who is online from it too
  service::MessageService* messages = nullptr;  // the seed's op 0 MESSAGE_CREATE; null: refused
  // Shared by the nodes (Redis): on shutdown the sessions go there, and a RESUME of a session
  // this node does not know looks there. Null on a single node.
  bus::HandoffStore* handoff = nullptr;
  // Who is in a guild, for presence and voice state recipients, from memory instead of a member
  // listing per event (the REST message path shares it). Null: every lookup reads the store.
  service::ViewerCache* viewers = nullptr;
};

class Gateway {
 public:
  // Subscribes to the bus at once; unsubscribes on destruction. Must outlive the HTTP server's
  // io_context (sessions' coroutines refer to it).
  Gateway(GatewayDeps deps, GatewayOptions options);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // What the HTTP server hands upgrades to.
  http::UpgradeHandler* handler();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::gateway

namespace chat {

// The same gateway behind the UpgradeHandler interface, for app.cpp. The handler owns the
// Gateway. `heartbeat_interval` 0 keeps Discord's 41250 ms; `presence_beat` 0: no shared presence.
std::shared_ptr<http::UpgradeHandler> MakeGateway(gateway::GatewayDeps deps,
                                                  std::chrono::milliseconds heartbeat_interval,
                                                  std::chrono::milliseconds presence_beat,
                                                  std::function<std::string()> resume_url);

}  // namespace chat
