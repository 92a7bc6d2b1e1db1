// http/upgrade.hpp — the hand-off from the HTTP server to the WebSocket gateway. When a request
// on `/`, `/ws` or `/gateway` asks to upgrade, the HTTP session stops tracking the connection and
// spawns Handle() with the socket and the request and ends; the handler owns the connection from
// then on. (A client sends nothing before the 101, so no bytes read past the request are lost.)
// Beast types appear here, so only transport code includes this file.
#pragma once

#include <cstddef>

#include "common/net.hpp"

namespace chat::http {

using UpgradeRequest = bhttp::request<bhttp::string_body>;

class UpgradeHandler {
 public:
  virtual ~UpgradeHandler() = default;
  // Runs on the connection's io_context (one thread) for the connection's whole life.
  virtual net::awaitable<void> Handle(tcp::socket socket, UpgradeRequest request) = 0;
  // Shutdown began: ask every connection to leave (Discord's op 7 RECONNECT) and close.
  virtual void Shutdown() = 0;
  // Connections still open; the server waits for zero (or its deadline) before stopping.
  virtual std::size_t Active() const = 0;
};

}  // namespace chat::http
