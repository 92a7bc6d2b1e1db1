#include "gateway/coalescing_stream.hpp"

#include <chrono>
#include <cstdint>
#include <vector>

namespace chat::gateway {

struct CoalescingStream::State {
  tcp::socket* stream = nullptr;  // null once the CoalescingStream is destroyed
  std::string pending;            // accepted, not yet handed to the socket
  std::string writing;            // on the socket now
  std::size_t written = 0;        // of `writing`
  bool flushing = false;
  // While flushing: when the socket last took bytes (or the wait began). See StalledFor().
  std::chrono::steady_clock::time_point progress{};
  bool closed = false;              // a close frame is in `pending` or already sent
  boost::system::error_code error;  // the socket failed: every later write fails with it
  std::optional<std::pair<WriteHandler, std::size_t>> parked;  // over kMaxPending
  std::vector<DrainHandler> drains;
  std::size_t socket_writes = 0;
};

namespace {

using State = CoalescingStream::State;

// Idle sessions keep no write buffer: a buffer is returned as soon as it is sent. Keeping a few
// KiB for the next flush would save one allocation per socket write (next to a send(2) it does
// not matter) and cost every idle session that much (READY is ~1-4 KiB).
void Release(std::string& s) { std::string().swap(s); }

// Completions go through the connection's executor, never inline (Asio's rule for initiating
// functions). Every handler here is a step of a Beast operation on that same executor.
template <class Handler, class... Args>
void PostCompletion(const tcp::socket::executor_type& executor, Handler handler, Args... args) {
  net::post(executor, [h = std::move(handler), args...]() mutable { std::move(h)(args...); });
}

void WriteMore(const std::shared_ptr<State>& s);

void Settle(const std::shared_ptr<State>& s);

// The socket failed: every later write fails with `ec`, waiters learn it.
void Fail(const std::shared_ptr<State>& s, boost::system::error_code ec) {
  s->error = ec;
  s->flushing = false;
  Release(s->writing);
  Release(s->pending);
  Settle(s);
}

void StartFlush(const std::shared_ptr<State>& s) {
  if (s->flushing || s->pending.empty() || s->error || !s->stream) return;
  ++s->socket_writes;
  // Send now what the socket takes (the socket is non-blocking): a socket with room costs no
  // operation, reactor wake or completion. Only a rest waits for the reactor.
  boost::system::error_code ec;
  const std::size_t n = s->stream->write_some(net::buffer(s->pending), ec);
  if (ec && ec != net::error::would_block && ec != net::error::try_again) return Fail(s, ec);
  if (!ec && n == s->pending.size()) {
    Release(s->pending);
    Settle(s);
    return;
  }
  s->flushing = true;
  s->progress = std::chrono::steady_clock::now();
  s->writing.swap(s->pending);
  s->written = ec ? 0 : n;
  WriteMore(s);
}

// After a socket write finished: the parked writer may go on; drain waiters once all is out.
void Settle(const std::shared_ptr<State>& s) {
  if (!s->stream) return;
  const auto ex = s->stream->get_executor();
  if (s->parked && (s->error || s->pending.size() < CoalescingStream::kMaxPending)) {
    auto [handler, n] = std::move(*s->parked);
    s->parked.reset();
    PostCompletion(ex, std::move(handler), s->error, s->error ? std::size_t{0} : n);
  }
  if (s->error || (!s->flushing && s->pending.empty())) {
    auto drains = std::move(s->drains);
    s->drains.clear();
    for (auto& d : drains) PostCompletion(ex, std::move(d), s->error);
  }
}

void WriteMore(const std::shared_ptr<State>& s) {
  const auto rest = net::buffer(s->writing.data() + s->written, s->writing.size() - s->written);
  s->stream->async_write_some(rest, [s](boost::system::error_code ec, std::size_t n) {
    if (!s->stream) return;  // the connection is gone; nobody waits
    if (ec) return Fail(s, ec);
    s->written += n;
    s->progress = std::chrono::steady_clock::now();
    if (s->written < s->writing.size()) {
      WriteMore(s);
      return;
    }
    s->flushing = false;
    Release(s->writing);
    StartFlush(s);  // what accumulated meanwhile goes out as one write
    if (s->pending.empty()) Release(s->pending);
    Settle(s);
  });
}

}  // namespace

CoalescingStream::CoalescingStream(tcp::socket&& socket)
    : next_(std::move(socket)), state_(std::make_shared<State>()) {
  state_->stream = &next_;
  // StartFlush's direct send must not block; asynchronous operations are unaffected.
  boost::system::error_code ignored;
  next_.non_blocking(true, ignored);
}

CoalescingStream::~CoalescingStream() { state_->stream = nullptr; }

void CoalescingStream::Append(net::const_buffer part) {
  if (!state_->error) state_->pending.append(static_cast<const char*>(part.data()), part.size());
}

void CoalescingStream::Accepted(WriteHandler handler, std::size_t n) {
  const auto ex = next_.get_executor();
  if (state_->error) {
    PostCompletion(ex, std::move(handler), state_->error, std::size_t{0});
    return;
  }
  StartFlush(state_);
  if (state_->pending.size() >= kMaxPending) {
    // Beast has at most one write in progress per stream, so one parking slot is enough.
    state_->parked.emplace(std::move(handler), n);
    return;
  }
  PostCompletion(ex, std::move(handler), boost::system::error_code{}, n);
}

void CoalescingStream::AsyncDrain(DrainHandler handler) {
  state_->drains.push_back(std::move(handler));
  StartFlush(state_);  // what was appended and not flushed yet is part of what to wait for
  Settle(state_);
}

void CoalescingStream::NoteBeastFrame(net::const_buffer first) {
  // FIN + opcode 8: a control frame is never fragmented and has no RSV bits. The accept
  // answer's "HTTP/1.1 101" never starts with this byte.
  constexpr unsigned char kFinClose = 0x88;
  if (*static_cast<const unsigned char*>(first.data()) == kFinClose) state_->closed = true;
}

void CoalescingStream::AppendFrame(bool binary, std::span<const std::string_view> parts) {
  if (state_->error || state_->closed) return;
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  // RFC 6455 §5.2: FIN + opcode (1 text, 2 binary), then the length in 7, 7+16 or 7+64 bits,
  // network byte order; a server's frames carry no mask.
  char head[10];
  std::size_t n = 0;
  head[n++] = static_cast<char>(0x80 | (binary ? 0x2 : 0x1));
  if (size < 126) {
    head[n++] = static_cast<char>(size);
  } else if (size <= 0xFFFF) {
    head[n++] = 126;
    for (int shift = 8; shift >= 0; shift -= 8) head[n++] = static_cast<char>(size >> shift);
  } else {
    head[n++] = 127;
    for (int shift = 56; shift >= 0; shift -= 8) {
      head[n++] = static_cast<char>(static_cast<std::uint64_t>(size) >> shift);
    }
  }
  std::string& out = state_->pending;
  out.reserve(out.size() + n + size);
  out.append(head, n);
  for (const auto part : parts) out.append(part);
}

void CoalescingStream::Flush() { StartFlush(state_); }

std::size_t CoalescingStream::buffered() const {
  const State& s = *state_;
  return s.pending.size() + (s.flushing ? s.writing.size() - s.written : 0);
}

std::chrono::steady_clock::duration CoalescingStream::StalledFor(
    std::chrono::steady_clock::time_point now) const {
  const State& s = *state_;
  return s.flushing ? now - s.progress : std::chrono::steady_clock::duration::zero();
}

bool CoalescingStream::closed() const { return state_->closed; }

bool CoalescingStream::failed() const { return static_cast<bool>(state_->error); }

std::size_t CoalescingStream::socket_writes() const { return state_->socket_writes; }

void teardown(beast::role_type role, CoalescingStream& stream, boost::system::error_code& ec) {
  // Only the asynchronous API is used on gateway sockets; this exists for Beast's overload set.
  beast::websocket::teardown(role, stream.next_layer(), ec);
}

}  // namespace chat::gateway
