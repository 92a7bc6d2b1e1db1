// gateway/coalescing_stream.hpp — the layer under a gateway WebSocket that coalesces writes:
// every frame is appended to a buffer and one socket write at a time carries whatever has
// accumulated, so a session that gets ten dispatches in a burst costs one send(2), not ten; an
// idle session holds no buffer. The gateway's writer frames its own messages (AppendFrame): a
// batch of dispatches is appended in one pass, with no Beast write operation, allocation or
// completion per frame. Beast's own writes (the accept answer, pongs, the close frame) come
// through async_write_some and are appended the same way. Beast has buffered *read* streams but
// no write-side equivalent, hence this file; it follows Beast's rules for a user-defined next
// layer (AsyncStream + teardown overloads found by ADL). Thread-confined: every call and
// completion runs on the connection's executor, one thread. Transport code only (Beast types).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/any_completion_handler.hpp>

#include "common/net.hpp"

namespace chat::gateway {

class CoalescingStream {
 public:
  using executor_type = tcp::socket::executor_type;
  using WriteHandler = net::any_completion_handler<void(boost::system::error_code, std::size_t)>;
  using DrainHandler = net::any_completion_handler<void(boost::system::error_code)>;

  // Bytes buffered beyond which a write waits for the socket (backpressure instead of growth).
  static constexpr std::size_t kMaxPending = 256 * 1024;

  explicit CoalescingStream(tcp::socket&& socket);
  ~CoalescingStream();
  CoalescingStream(CoalescingStream&&) = delete;

  executor_type get_executor() { return next_.get_executor(); }
  tcp::socket& next_layer() { return next_; }
  const tcp::socket& next_layer() const { return next_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return next_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return net::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          std::size_t n = 0;
          for (auto it = net::buffer_sequence_begin(b); it != net::buffer_sequence_end(b); ++it) {
            const net::const_buffer part(*it);
            if (n == 0 && part.size() > 0) NoteBeastFrame(part);
            Append(part);
            n += part.size();
          }
          Accepted(WriteHandler(std::move(handler)), n);
        },
        token, buffers);
  }

  // Writes everything accepted so far and waits until it has reached the socket (or failed),
  // then `handler`.
  void AsyncDrain(DrainHandler handler);

  // Appends one whole WebSocket message as a single unmasked frame (FIN set, as a server sends
  // it) whose payload is `parts` back to back. Frames never interleave with Beast's writes: each
  // of those is appended whole by one async_write_some on this same thread. Only for a stream
  // without permessage-deflate (the gateway does not offer it). Nothing is sent until Flush().
  void AppendFrame(bool binary, std::span<const std::string_view> parts);
  // Starts a socket write of what was appended, unless one is running (what waits follows it).
  void Flush();
  // Whether a close frame was written: later frames are dropped (their dispatches stay in the
  // session's replay buffer).
  bool closed() const;
  // How long bytes have been waiting for the socket without it taking any (zero when nothing
  // waits): a client that stops reading stalls its connection for good.
  std::chrono::steady_clock::duration StalledFor(std::chrono::steady_clock::time_point now) const;
  // Bytes appended but not yet on the socket: a writer past kMaxPending waits with AsyncDrain.
  std::size_t buffered() const;
  // The socket failed: appended frames are dropped and the connection is finished.
  bool failed() const;

  // Flushes started so far (each carries every frame accepted while the previous one ran).
  std::size_t socket_writes() const;

  // Shared with the socket completions, which may run after the stream is gone.
  struct State;

 private:
  void Append(net::const_buffer part);  // dropped once the socket failed
  // Beast's close frame (either side's close handshake): RFC 6455 §5.5.1 allows no frame after
  // it, so AppendFrame drops what the writer still has. Every Beast write starts at a frame:
  // this stream accepts each async_write_some whole.
  void NoteBeastFrame(net::const_buffer first);
  void Accepted(WriteHandler handler, std::size_t n);

  // A bare socket, not beast::tcp_stream: its timeouts are unused here (heartbeats are the
  // liveness check) and its state and read wrapper cost ~0.7 KiB per idle connection.
  tcp::socket next_;
  std::shared_ptr<State> state_;
};

// Beast's teardown hooks for a user-defined next layer: the close handshake's last frame must
// reach the socket before it is shut down.
template <class TeardownHandler>
void async_teardown(beast::role_type role, CoalescingStream& stream, TeardownHandler&& handler) {
  auto& socket = stream.next_layer();
  stream.AsyncDrain([role, &socket, h = std::forward<TeardownHandler>(handler)](
                        boost::system::error_code) mutable {
    using beast::websocket::async_teardown;
    async_teardown(role, socket, std::move(h));
  });
}

void teardown(beast::role_type role, CoalescingStream& stream, boost::system::error_code& ec);

}  // namespace chat::gateway
