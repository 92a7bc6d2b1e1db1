#include "gateway/coalescing_stream.hpp"

#include <vector>

namespace chat::gateway {

struct CoalescingStream::State {
  beast::tcp_stream* stream = nullptr;  // null once the CoalescingStream is destroyed
  std::string pending;                  // accepted, not yet handed to the socket
  std::string writing;                  // on the socket now
  std::size_t written = 0;              // of `writing`
  bool flushing = false;
  bool corked = false;
  boost::system::error_code error;  // the socket failed: every later write fails with it
  std::optional<std::pair<WriteHandler, std::size_t>> parked;  // over kMaxPending
  std::vector<DrainHandler> drains;
  std::size_t socket_writes = 0;
};

namespace {

using State = CoalescingStream::State;

// Idle sessions keep no write buffer: what a burst grew is returned once it is sent.
constexpr std::size_t kKeepCapacity = 4096;

void Release(std::string& s) {
  s.clear();
  if (s.capacity() > kKeepCapacity) std::string().swap(s);
}

// Completions go through the connection's strand, never inline (Asio's rule for initiating
// functions). Every handler here is a step of a Beast operation on that same strand.
template <class Handler, class... Args>
void PostCompletion(const beast::tcp_stream::executor_type& strand, Handler handler, Args... args) {
  net::post(strand, [h = std::move(handler), args...]() mutable { std::move(h)(args...); });
}

void WriteMore(const std::shared_ptr<State>& s);

void StartFlush(const std::shared_ptr<State>& s) {
  if (s->flushing || s->pending.empty() || s->error || !s->stream) return;
  if (s->corked && s->pending.size() < CoalescingStream::kMaxPending) return;
  s->flushing = true;
  s->writing.swap(s->pending);
  s->written = 0;
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
  ++s->socket_writes;
  const auto rest = net::buffer(s->writing.data() + s->written, s->writing.size() - s->written);
  s->stream->async_write_some(rest, [s](boost::system::error_code ec, std::size_t n) {
    if (!s->stream) return;  // the connection is gone; nobody waits
    if (ec) {
      s->error = ec;
      s->flushing = false;
      Release(s->writing);
      Release(s->pending);
      Settle(s);
      return;
    }
    s->written += n;
    if (s->written < s->writing.size()) {
      WriteMore(s);
      return;
    }
    s->flushing = false;
    Release(s->writing);
    StartFlush(s);  // what accumulated meanwhile goes out as one write (unless corked)
    if (s->pending.empty()) Release(s->pending);
    Settle(s);
  });
}

}  // namespace

CoalescingStream::CoalescingStream(tcp::socket&& socket)
    : next_(std::move(socket)), state_(std::make_shared<State>()) {
  state_->stream = &next_;
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
  Settle(state_);
}

void CoalescingStream::Cork() { state_->corked = true; }

void CoalescingStream::Uncork() {
  state_->corked = false;
  StartFlush(state_);
}

std::size_t CoalescingStream::socket_writes() const { return state_->socket_writes; }

void teardown(beast::role_type role, CoalescingStream& stream, boost::system::error_code& ec) {
  // Only the asynchronous API is used on gateway sockets; this exists for Beast's overload set.
  beast::websocket::teardown(role, stream.next_layer().socket(), ec);
}

}  // namespace chat::gateway
