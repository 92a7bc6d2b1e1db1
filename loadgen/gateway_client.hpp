// loadgen/gateway_client.hpp — one Discord gateway session over WebSocket (JSON encoding, no
// compression): connect from a loopback source address, HELLO, IDENTIFY, heartbeats, READY, then
// dispatches to a listener. Lean on purpose (a few KiB per idle session: the read buffer shrinks
// after big frames). Beast stays in gateway_client.cpp.
// Threads: a session lives on the io_context it was started on, and its listener is called from
// that io_context's thread. Send() and Close() may be called from any thread; see each accessor.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "loadgen/gateway_frame.hpp"

namespace boost::asio {
class io_context;
}

namespace chat::loadgen {

struct Target;
class GatewayClient;

// Callbacks of a session; shared so that it outlives every session using it. Called on the
// session's io_context thread: a listener shared by sessions on several io_contexts must be
// thread-safe.
class GatewayListener {
 public:
  virtual ~GatewayListener() = default;
  // READY arrived; `latency_us` = TCP connect start .. READY received.
  virtual void OnReady(GatewayClient& client, std::int64_t latency_us) = 0;
  // Every dispatch after READY (op 0), with the time it was read. `type` and `frame` live only
  // during the call (the frame is reused for the next one): copy out what must outlive it.
  virtual void OnDispatch(GatewayClient& client, std::string_view type, const GatewayFrame& frame,
                          std::int64_t received_us) = 0;
  // The session ended; `error` is empty when Close() ended it, else what went wrong.
  virtual void OnClosed(GatewayClient& client, const std::string& error) = 0;
};

struct GatewaySpec {
  std::string path;  // e.g. "/?v=10&encoding=json" or "/ws?token=..."
  std::string token;
  std::uint64_t intents = 0;
  bool minimal_identify = false;  // the seed's {op:2,d:{token}} right after the upgrade
  std::optional<boost::asio::ip::address_v4> source;
  int timeout_s = 30;  // connect + upgrade
};

// The last reference may be dropped on the session's own thread, or on another one only while
// its io_context runs on no thread (stopped and joined): the destructor closes the socket, which
// belongs to that io_context.
class GatewayClient {
 public:
  virtual ~GatewayClient() = default;
  // Queues a text frame (e.g. an op 0 MESSAGE_CREATE); ignored once closing. Any thread: runs at
  // once on the session's own thread, else is posted to it.
  virtual void Send(std::string frame) = 0;
  // Starts the close handshake (or aborts a connect in progress); OnClosed follows. Any thread,
  // as Send(). Once its io_context has stopped running, a posted Close() never runs.
  virtual void Close() = 0;
  virtual bool ready() const = 0;  // any thread
  // From READY: written once, before OnReady. Read it on the session's thread, or on another one
  // after OnReady with a synchronisation in between (a mutex the listener took, a post).
  virtual const std::string& user_id() const = 0;
  std::uint32_t tag = 0;  // the owner's index for this session; set before the session starts
};

// Starts a session on `io` (any thread may call this; the session runs on io's thread). It keeps
// itself alive until OnClosed has been called.
std::shared_ptr<GatewayClient> StartGateway(boost::asio::io_context& io, const Target& target,
                                            GatewaySpec spec,
                                            std::shared_ptr<GatewayListener> listener,
                                            std::uint32_t tag);

}  // namespace chat::loadgen
