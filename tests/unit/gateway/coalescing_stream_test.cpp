#include "gateway/coalescing_stream.hpp"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace chat::gateway {
namespace {

// A real loopback connection: the server side writes through CoalescingStream, a plain Beast
// client reads, both on one io_context.
struct Pair {
  net::io_context io;
  websocket::stream<CoalescingStream> server;
  websocket::stream<tcp::socket> client;

  static tcp::socket Accepted(net::io_context& io, tcp::socket& client_socket) {
    tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), 0});
    client_socket.connect(acceptor.local_endpoint());
    return acceptor.accept();
  }

  Pair() : server(Pre(io)), client(std::move(*pending_client)) {
    bool accepted = false;
    server.async_accept([&](boost::system::error_code ec) { accepted = !ec; });
    client.async_handshake("127.0.0.1", "/", [](boost::system::error_code) {});
    io.run();
    io.restart();
    EXPECT_TRUE(accepted);
  }

  // Builds the connected sockets before the members that take them are constructed.
  static tcp::socket Pre(net::io_context& io) {
    pending_client.emplace(io);
    return Accepted(io, *pending_client);
  }
  static inline std::optional<tcp::socket> pending_client;
};

std::vector<std::string> Frames(int count, std::size_t big_every, std::size_t big_size) {
  std::vector<std::string> frames;
  for (int i = 0; i < count; ++i) {
    std::string f = "{\"s\":" + std::to_string(i) + "}";
    if (big_every && i % big_every == 0) f += std::string(big_size, 'x');
    frames.push_back(std::move(f));
  }
  return frames;
}

// Writes every frame back to back, corked as the gateway writer does for a batch, then closes
// with 1000, while the client reads until the close. Returns what the client received.
std::vector<std::string> RoundTrip(Pair& p, const std::vector<std::string>& frames,
                                   websocket::close_code* close_seen) {
  std::size_t next = 0;
  p.server.next_layer().Cork();
  std::function<void()> write_next = [&] {
    if (next == frames.size()) {
      p.server.next_layer().Uncork();
      p.server.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
      return;
    }
    p.server.async_write(net::buffer(frames[next++]),
                         [&](boost::system::error_code ec, std::size_t) {
                           ASSERT_FALSE(ec) << ec.message();
                           write_next();
                         });
  };
  std::vector<std::string> received;
  beast::flat_buffer buffer;
  std::function<void()> read_next = [&] {
    p.client.async_read(buffer, [&](boost::system::error_code ec, std::size_t) {
      if (ec) {
        *close_seen = static_cast<websocket::close_code>(p.client.reason().code);
        return;
      }
      received.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      read_next();
    });
  };
  write_next();
  read_next();
  p.io.run();
  return received;
}

TEST(CoalescingStream, ABurstOfFramesArrivesWholeInOrderInFarFewerSocketWrites) {
  Pair p;
  const auto frames = Frames(500, 0, 0);
  const auto writes_before = p.server.next_layer().socket_writes();
  websocket::close_code close = websocket::close_code::none;
  EXPECT_EQ(RoundTrip(p, frames, &close), frames);
  EXPECT_EQ(close, websocket::close_code::normal);  // the close frame was flushed, not dropped
  EXPECT_LT(p.server.next_layer().socket_writes() - writes_before, frames.size() / 4);
}

TEST(CoalescingStream, LargeFramesBeyondTheBufferLimitWaitForTheSocketAndLoseNothing) {
  Pair p;
  // 40 frames of 100 KiB: several times kMaxPending, so writers park until the socket drains.
  const auto frames = Frames(200, 5, 100 * 1024);
  websocket::close_code close = websocket::close_code::none;
  EXPECT_EQ(RoundTrip(p, frames, &close), frames);
  EXPECT_EQ(close, websocket::close_code::normal);
}

TEST(CoalescingStream, AManyFrameBatchCrossingTheLimitWhileCorkedLosesNothing) {
  Pair p;
  // 3 MiB of 1 KiB frames in one corked batch (a RESUME replay): the limit forces flushes in the
  // middle of the batch while more frames keep arriving.
  const auto frames = Frames(3000, 1, 1024);
  websocket::close_code close = websocket::close_code::none;
  EXPECT_EQ(RoundTrip(p, frames, &close), frames);
  EXPECT_EQ(close, websocket::close_code::normal);
}

TEST(CoalescingStream, WritesAfterThePeerVanishedFailInsteadOfBuffering) {
  Pair p;
  p.client.next_layer().close();
  boost::system::error_code last;
  int completed = 0;
  const std::string payload(64 * 1024, 'y');  // outlives every write, as the gateway's batch does
  std::function<void()> write_next = [&] {
    p.server.async_write(net::buffer(payload), [&](boost::system::error_code ec, std::size_t) {
      ++completed;
      last = ec;
      if (!ec && completed < 1000) write_next();
    });
  };
  write_next();
  p.io.run();
  EXPECT_TRUE(last);  // the socket error surfaced to the writer
  EXPECT_LT(completed, 1000);
}

}  // namespace
}  // namespace chat::gateway
