#include "loadgen/gateway_client.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <vector>

#include "loadgen/clock.hpp"
#include "loadgen/gateway_frame.hpp"
#include "loadgen/target.hpp"

namespace chat::loadgen {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using net::as_tuple;
using net::use_awaitable;

// Keep at most this much read buffer between frames: READY and GUILD_CREATE can be large, but an
// idle session should cost only a few KiB.
constexpr std::size_t kKeepBuffer = 4096;

class Session final : public GatewayClient, public std::enable_shared_from_this<Session> {
 public:
  Session(net::io_context& io, const Target& target, GatewaySpec spec,
          std::shared_ptr<GatewayListener> listener)
      : io_(io),
        ws_(io),
        heartbeat_(io),
        target_(target),
        spec_(std::move(spec)),
        listener_(std::move(listener)) {}

  void Begin() { net::co_spawn(ws_.get_executor(), Run(shared_from_this()), net::detached); }

  // The session's state is confined to io_'s thread (ready_ aside): Send() and Close() hop there
  // when called from elsewhere (fanout's main thread closes receivers on threads of their own).
  void Send(std::string frame) override {
    if (io_.get_executor().running_in_this_thread()) {
      SendHere(std::move(frame));
    } else {
      net::post(io_, [self = shared_from_this(), frame = std::move(frame)]() mutable {
        self->SendHere(std::move(frame));
      });
    }
  }

  void Close() override {
    if (io_.get_executor().running_in_this_thread()) {
      CloseHere();
    } else {
      net::post(io_, [self = shared_from_this()] { self->CloseHere(); });
    }
  }

  bool ready() const override { return ready_.load(std::memory_order_acquire); }
  const std::string& user_id() const override { return user_id_; }

 private:
  void SendHere(std::string frame) {
    if (closing_ || finished_) return;
    outq_.push_back(std::move(frame));
    Kick();
  }

  void CloseHere() {
    if (finished_ || closing_) return;
    closing_ = true;
    heartbeat_.cancel();
    outq_.clear();
    if (!open_) {
      beast::get_lowest_layer(ws_).cancel();
      return;
    }
    Kick();
  }

  net::awaitable<void> Run([[maybe_unused]] std::shared_ptr<Session> self) {
    started_us_ = NowUs();
    std::string error = co_await Open();
    if (!error.empty() || closing_) {
      Finish(closing_ ? std::string() : error);
      co_return;
    }
    if (spec_.minimal_identify) SendHere(IdentifyFrame());
    Kick();
    for (;;) {
      auto [ec, n] = co_await ws_.async_read(buffer_, as_tuple(use_awaitable));
      if (ec) {
        std::string why;
        if (!closing_) {
          why = "read: " + ec.message();
          if (ws_.reason().code != websocket::close_code::none) {
            why += " (close code " + std::to_string(ws_.reason().code) + ")";
          }
        }
        Finish(why);
        co_return;
      }
      const auto data = buffer_.cdata();
      Handle(std::string_view(static_cast<const char*>(data.data()), data.size()), NowUs());
      buffer_.consume(buffer_.size());
      if (buffer_.capacity() > kKeepBuffer) buffer_.shrink_to_fit();
      if (finished_) co_return;
    }
  }

  net::awaitable<std::string> Open() {
    auto& lowest = beast::get_lowest_layer(ws_);
    auto& sock = lowest.socket();
    boost::system::error_code ec;
    sock.open(target_.endpoint.protocol(), ec);
    if (ec) co_return "socket: " + ec.message();
    if (spec_.source) {
      BindSource(sock, *spec_.source, ec);
      if (ec) co_return "bind " + spec_.source->to_string() + ": " + ec.message();
    }
    lowest.expires_after(std::chrono::seconds(spec_.timeout_s));
    auto [cec] = co_await lowest.async_connect(target_.endpoint, as_tuple(use_awaitable));
    if (cec) co_return "connect: " + cec.message();
    sock.set_option(net::ip::tcp::no_delay(true), ec);
    lowest.expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(spec_.timeout_s);
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.read_message_max(64 * 1024 * 1024);
    ws_.write_buffer_bytes(2048);
    const std::string host = target_.host + ":" + std::to_string(target_.port);
    auto [hec] = co_await ws_.async_handshake(host, spec_.path, as_tuple(use_awaitable));
    if (hec) co_return "upgrade: " + hec.message();
    ws_.text(true);
    open_ = true;
    co_return std::string();
  }

  std::string IdentifyFrame() const {
    boost::json::object d{{"token", spec_.token}};
    if (!spec_.minimal_identify) {
      d["intents"] = spec_.intents;
      d["properties"] = {{"os", "linux"}, {"browser", "chat-loadgen"}, {"device", "chat-loadgen"}};
    }
    return boost::json::serialize(boost::json::object{{"op", 2}, {"d", std::move(d)}});
  }

  std::string HeartbeatFrame() const {
    boost::json::object o{{"op", 1}};
    if (seq_ >= 0) {
      o["d"] = seq_;
    } else {
      o["d"] = nullptr;
    }
    return boost::json::serialize(o);
  }

  void Handle(std::string_view text, std::int64_t now) {
    // Every delivery is parsed here, up to ~100k/s in a fan-out run: a SAX parse into a reused
    // frame keeps the load generator from being what is measured. One frame per thread rather
    // than per session keeps idle sessions small; Handle never runs inside another Handle.
    thread_local GatewayFrame frame;
    if (!ParseGatewayFrame(text, frame)) return;
    const std::int64_t op = frame.op.value_or(-1);
    switch (op) {
      case 10: {  // HELLO
        std::int64_t interval = 41250;
        if (frame.d_is_object) interval = frame.heartbeat_interval.value_or(interval);
        interval = std::max<std::int64_t>(interval, 100);
        net::co_spawn(ws_.get_executor(), Heartbeat(shared_from_this(), interval), net::detached);
        if (!spec_.minimal_identify) SendHere(IdentifyFrame());
        break;
      }
      case 1:  // the server asks for a heartbeat now
        SendHere(HeartbeatFrame());
        break;
      case 7:
        error_ = "server sent op 7 RECONNECT";
        CloseHere();
        break;
      case 9:
        error_ = "server sent op 9 INVALID_SESSION";
        CloseHere();
        break;
      case 0: {
        if (auto s = frame.s.value_or(-1); s >= 0) seq_ = s;
        if (!frame.has_t || !frame.d_is_object) break;
        const std::string_view type = frame.t;
        if (type == "READY") {
          if (frame.has_user_id) user_id_ = frame.user_id;
          ready_.store(true, std::memory_order_release);
          listener_->OnReady(*this, now - started_us_);
        } else if (ready_.load(std::memory_order_relaxed)) {
          listener_->OnDispatch(*this, type, frame, now);
        }
        break;
      }
      default:
        break;
    }
  }

  net::awaitable<void> Heartbeat([[maybe_unused]] std::shared_ptr<Session> self,
                                 std::int64_t interval_ms) {
    // The first beat comes after interval x jitter, as Discord asks, so that sessions opened
    // together do not beat together.
    const auto jitter = static_cast<double>((tag * 2654435761u) % 1000u) / 1000.0;
    auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(interval_ms * jitter));
    for (;;) {
      heartbeat_.expires_after(delay);
      auto [ec] = co_await heartbeat_.async_wait(as_tuple(use_awaitable));
      if (ec || closing_ || finished_) co_return;
      SendHere(HeartbeatFrame());
      delay = std::chrono::milliseconds(interval_ms);
    }
  }

  void Kick() {
    if (writing_ || !open_ || finished_) return;
    if (outq_.empty() && !(closing_ && !close_sent_)) return;
    writing_ = true;
    net::co_spawn(ws_.get_executor(), Writer(shared_from_this()), net::detached);
  }

  net::awaitable<void> Writer([[maybe_unused]] std::shared_ptr<Session> self) {
    std::vector<std::string> batch;
    bool failed = false;
    while (!outq_.empty() && !finished_ && !failed) {
      batch.clear();
      batch.swap(outq_);
      for (const auto& frame : batch) {
        auto [ec, n] = co_await ws_.async_write(net::buffer(frame), as_tuple(use_awaitable));
        if (ec || finished_) {
          failed = true;
          outq_.clear();
          break;
        }
      }
    }
    if (closing_ && !close_sent_ && !finished_) {
      close_sent_ = true;
      const websocket::close_reason reason(websocket::close_code::normal);
      auto [ec] = co_await ws_.async_close(reason, as_tuple(use_awaitable));
      if (ec) beast::get_lowest_layer(ws_).close();
    }
    writing_ = false;
  }

  void Finish(const std::string& error) {
    if (finished_) return;
    finished_ = true;
    heartbeat_.cancel();
    outq_.clear();
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    buffer_.clear();
    buffer_.shrink_to_fit();
    const std::string why = error.empty() ? error_ : error;
    listener_->OnClosed(*this, why);
  }

  net::io_context& io_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  net::steady_timer heartbeat_;
  const Target& target_;
  GatewaySpec spec_;
  std::shared_ptr<GatewayListener> listener_;
  std::vector<std::string> outq_;  // a deque would cost ~600 B per idle session
  std::string user_id_;
  std::string error_;  // why we closed on our own (op 7 / op 9)
  std::int64_t started_us_ = 0;
  std::int64_t seq_ = -1;
  bool open_ = false;
  std::atomic<bool> ready_ = false;  // the one member read from other threads
  bool closing_ = false;
  bool close_sent_ = false;
  bool writing_ = false;
  bool finished_ = false;
};

}  // namespace

std::shared_ptr<GatewayClient> StartGateway(net::io_context& io, const Target& target,
                                            GatewaySpec spec,
                                            std::shared_ptr<GatewayListener> listener,
                                            std::uint32_t tag) {
  auto session = std::make_shared<Session>(io, target, std::move(spec), std::move(listener));
  session->tag = tag;
  session->Begin();
  return session;
}

}  // namespace chat::loadgen
