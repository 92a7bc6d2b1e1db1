#include "gateway/coalescing_stream.hpp"

#include <array>
#include <functional>
#include <span>
#include <string>
#include <string_view>
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

// Appends every frame as the gateway writer does (waiting for the socket past kMaxPending), then
// closes with 1000 through Beast, while the client reads until the close. Returns what the client
// received; `binary_seen` counts binary messages.
std::vector<std::string> RoundTrip(Pair& p, const std::vector<std::string>& frames,
                                   websocket::close_code* close_seen, bool binary = false,
                                   int* binary_seen = nullptr) {
  std::size_t next = 0;
  auto& stream = p.server.next_layer();
  std::function<void()> write_next = [&] {
    while (next < frames.size()) {
      if (stream.buffered() >= CoalescingStream::kMaxPending) {
        stream.AsyncDrain([&](boost::system::error_code ec) {
          ASSERT_FALSE(ec) << ec.message();
          write_next();
        });
        return;
      }
      const std::string_view frame = frames[next++];
      stream.AppendFrame(binary, std::span(&frame, 1));
      if (next % 100 == 0) stream.Flush();  // as batches do, with more appended meanwhile
    }
    stream.Flush();
    p.server.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
  };
  std::vector<std::string> received;
  beast::flat_buffer buffer;
  std::function<void()> read_next = [&] {
    p.client.async_read(buffer, [&](boost::system::error_code ec, std::size_t) {
      if (ec) {
        *close_seen = static_cast<websocket::close_code>(p.client.reason().code);
        return;
      }
      if (binary_seen && p.client.got_binary()) ++*binary_seen;
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
  // 40 frames of 100 KiB: several times kMaxPending, so the writer waits for the socket to drain.
  const auto frames = Frames(200, 5, 100 * 1024);
  websocket::close_code close = websocket::close_code::none;
  EXPECT_EQ(RoundTrip(p, frames, &close), frames);
  EXPECT_EQ(close, websocket::close_code::normal);
}

TEST(CoalescingStream, AManyFrameBatchCrossingTheLimitLosesNothing) {
  Pair p;
  // 3 MiB of 1 KiB frames (a RESUME replay): the limit makes the writer wait in the middle of a
  // batch while a socket write is running.
  const auto frames = Frames(3000, 1, 1024);
  websocket::close_code close = websocket::close_code::none;
  EXPECT_EQ(RoundTrip(p, frames, &close), frames);
  EXPECT_EQ(close, websocket::close_code::normal);
}

// Every length encoding of RFC 6455 (7-bit, 16-bit, 64-bit), at its edges, as text and binary,
// read back by Beast's own client.
TEST(CoalescingStream, FramesOfEveryLengthClassReachAWebSocketClientIntact) {
  for (const bool binary : {false, true}) {
    Pair p;
    std::vector<std::string> frames;
    for (const std::size_t size : {0, 1, 125, 126, 127, 65535, 65536, 200000}) {
      std::string f(size, 'a');
      for (std::size_t i = 0; i < size; ++i) f[i] = static_cast<char>('a' + i % 26);
      frames.push_back(std::move(f));
    }
    websocket::close_code close = websocket::close_code::none;
    int binary_seen = 0;
    EXPECT_EQ(RoundTrip(p, frames, &close, binary, &binary_seen), frames);
    EXPECT_EQ(binary_seen, binary ? static_cast<int>(frames.size()) : 0);
    EXPECT_EQ(close, websocket::close_code::normal);
  }
}

// One message made of several parts (a dispatch is head + shared payload + "}").
TEST(CoalescingStream, AFrameOfSeveralPartsIsOneMessage) {
  Pair p;
  const std::array<std::string_view, 3> parts{"{\"op\":0,\"d\":", "{\"x\":1}", "}"};
  p.server.next_layer().AppendFrame(false, parts);
  p.server.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
  std::vector<std::string> got;
  beast::flat_buffer buffer;
  std::function<void()> read_next = [&] {
    p.client.async_read(buffer, [&](boost::system::error_code ec, std::size_t) {
      if (ec) return;  // the close
      got.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      read_next();
    });
  };
  read_next();
  p.io.run();
  EXPECT_EQ(got, std::vector<std::string>{"{\"op\":0,\"d\":{\"x\":1}}"});
}

TEST(CoalescingStream, WritesAfterThePeerVanishedFailInsteadOfBuffering) {
  Pair p;
  p.client.next_layer().close();
  auto& stream = p.server.next_layer();
  const std::string payload(64 * 1024, 'y');
  const std::string_view part = payload;
  int appended = 0;
  std::function<void()> write_next = [&] {
    while (!stream.failed() && appended < 1000) {
      if (stream.buffered() >= CoalescingStream::kMaxPending) {
        stream.AsyncDrain([&](boost::system::error_code) { write_next(); });
        return;
      }
      stream.AppendFrame(false, std::span(&part, 1));
      stream.Flush();
      ++appended;
    }
  };
  write_next();
  p.io.run();
  EXPECT_TRUE(stream.failed());  // the socket error surfaced to the writer
  EXPECT_LT(appended, 1000);
  EXPECT_EQ(stream.buffered(), 0u);  // and nothing more is held for it
}

// RFC 6455 §5.5.1: nothing may follow a close frame. A writer that still has dispatches when
// Beast closes (here the server's own close; a client's close is answered the same way) must not
// put them on the wire after it.
TEST(CoalescingStream, NoFrameFollowsACloseFrame) {
  Pair p;
  auto& stream = p.server.next_layer();
  p.server.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
  const std::string_view late = "{\"late\":true}";
  stream.AppendFrame(false, std::span(&late, 1));
  stream.Flush();
  EXPECT_TRUE(stream.closed());
  // The client reads the raw bytes up to the server's end of the connection, answering the
  // close (a masked close frame, zero mask) so that the server's handshake ends.
  std::string wire;
  std::array<char, 512> chunk;
  static constexpr char kCloseReply[] = {'\x88', '\x82', 0, 0, 0, 0, '\x03', '\xe8'};
  bool answered = false;
  std::function<void()> read_next = [&] {
    auto on_read = [&](boost::system::error_code ec, std::size_t n) {
      wire.append(chunk.data(), n);
      if (ec) return p.client.next_layer().close();
      if (!answered && wire.size() >= 4) {
        answered = true;
        net::write(p.client.next_layer(), net::buffer(kCloseReply));
      }
      read_next();
    };
    p.client.next_layer().async_read_some(net::buffer(chunk), on_read);
  };
  read_next();
  p.io.run();
  // Exactly one frame: FIN + close opcode, a 2-byte payload, the code 1000 in network order.
  EXPECT_EQ(wire, std::string("\x88\x02\x03\xe8", 4));
}

}  // namespace
}  // namespace chat::gateway
