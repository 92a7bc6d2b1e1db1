#include "http/http_server.hpp"

#include <boost/asio/as_tuple.hpp>

#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/net.hpp"
#include "common/tracing.hpp"
#include "http/error_response.hpp"
#include "http/rate_limit_gate.hpp"
#include "http/upgrade.hpp"

namespace chat::http {
namespace {

constexpr std::string_view kTarget = "chat_server::http";
constexpr auto kTuple = net::as_tuple(net::use_awaitable);
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::seconds kBodyTimeout{60};

using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

// A live connection as the shutdown sees it. Touched only on the connection's thread, except the
// list membership, which is guarded by Impl::sessions_mutex.
struct SessionHandle {
  net::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  bool busy = false;  // a request is being handled: let it finish
  bool alive = true;
};

Response Plain404() {
  return Response::Json(404, boost::json::object{{"code", 0}, {"message", "404: Not Found"}});
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  const Router& router;
  ServerMetrics& metrics;
  UpgradeHandler* upgrade;
  // One io_context per thread, each run by that thread alone: a connection lives on one of them
  // for its whole life, so its coroutines and callbacks never run concurrently and need no strand
  // (Asio's io_context-per-CPU design). The gateway relies on it to resume many writers from one
  // posted handler. The first context also runs the listener, the signals and the shutdown.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  // Keeps each context's run() going while it has no connection; Drain() stops them all.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  net::io_context& ioc;
  std::size_t next_context = 0;  // round-robin for new connections; the listener's own
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> stopping{false};
  std::function<void()> on_stopping;

  std::mutex sessions_mutex;
  std::list<std::shared_ptr<SessionHandle>> sessions;  // guarded by sessions_mutex

  Impl(ServerOptions o, const Router& r, ServerMetrics& m, UpgradeHandler* u)
      : options(std::move(o)),
        router(r),
        metrics(m),
        upgrade(u),
        contexts(MakeContexts(std::max(1u, options.threads))),
        ioc(*contexts.front()) {
    for (auto& context : contexts) keep_running.push_back(net::make_work_guard(*context));
  }

  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(unsigned n) {
    std::vector<std::unique_ptr<net::io_context>> all;
    for (unsigned i = 0; i < n; ++i) all.push_back(std::make_unique<net::io_context>(1));
    return all;
  }

  net::awaitable<void> Accept();
  net::awaitable<void> Session(tcp::socket socket);
  net::awaitable<Response> Dispatch(Request& req, std::string& route);
  net::awaitable<void> Drain();
  void BeginShutdown();
  Response Finish(const Request& req, Response res) const;
  // nullopt when the sampler drops the request's trace.
  std::optional<tracing::Span> StartSpan(const Request& req) const;
  void EndSpan(tracing::Span span, const Request& req, const std::string& route, int status,
               const std::string& remote, std::chrono::steady_clock::duration elapsed) const;
};

HttpServer::HttpServer(ServerOptions options, const Router& router, ServerMetrics& metrics,
                       UpgradeHandler* upgrade)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, upgrade)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::Listen() {
  auto& acc = impl_->acceptor;
  boost::system::error_code ec;
  auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec) throw std::runtime_error("invalid HOST '" + impl_->options.host + "': " + ec.message());
  tcp::endpoint endpoint(address, impl_->options.port);
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl_->options.host + ":" +
                             std::to_string(impl_->options.port) + ": " + ec.message());
  }
  return acc.local_endpoint().port();
}

void HttpServer::Stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->BeginShutdown(); });
}

void HttpServer::Run(std::function<void()> on_stopping) {
  impl_->on_stopping = std::move(on_stopping);
  impl_->signals.async_wait([impl = impl_.get()](boost::system::error_code ec, int signo) {
    if (ec) return;
    log::Info(kTarget, "signal received, shutting down", {{"signal", signo}});
    impl->BeginShutdown();
  });
  net::co_spawn(impl_->ioc, impl_->Accept(), [](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::Error(kTarget, "listener failed", {{"error", ex.what()}});
      }
    }
  });
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
    threads.emplace_back([context = impl_->contexts[i].get()] { context->run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void HttpServer::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  boost::system::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  if (on_stopping) on_stopping();
  if (upgrade) upgrade->Shutdown();
  std::vector<std::shared_ptr<SessionHandle>> snapshot;
  {
    std::lock_guard lock(sessions_mutex);
    snapshot.assign(sessions.begin(), sessions.end());
  }
  for (auto& h : snapshot) {
    net::post(h->executor, [h] {
      // Idle connections go now; a busy one closes after writing its response.
      if (h->alive && !h->busy) h->stream->socket().close();
    });
  }
  net::co_spawn(ioc, Drain(), net::detached);
}

net::awaitable<void> HttpServer::Impl::Drain() {
  net::steady_timer timer(ioc);
  const auto deadline = std::chrono::steady_clock::now() + options.shutdown_timeout;
  for (;;) {
    {
      std::lock_guard lock(sessions_mutex);
      if (sessions.empty() && (!upgrade || upgrade->Active() == 0)) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      log::Warn(kTarget, "shutdown deadline reached with requests in flight");
      break;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kTuple);
  }
  for (auto& context : contexts) context->stop();
}

net::awaitable<void> HttpServer::Impl::Accept() {
  for (;;) {
    auto& context = *contexts[next_context++ % contexts.size()];
    auto [ec, socket] = co_await acceptor.async_accept(context, kTuple);
    if (ec == net::error::operation_aborted || stopping) co_return;
    if (ec) {
      // Out of fds and similar: keep serving the connections we have; retry shortly.
      log::Warn(kTarget, "accept failed", {{"error", ec.message()}});
      net::steady_timer backoff(co_await net::this_coro::executor, std::chrono::milliseconds(50));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    // Responses and gateway frames are written whole (the gateway coalesces its own bursts), so
    // Nagle would only hold a small frame back until the peer's delayed ACK: ~40 ms per round trip.
    boost::system::error_code nodelay_ec;
    socket.set_option(tcp::no_delay(true), nodelay_ec);
    auto ex = socket.get_executor();
    net::co_spawn(ex, Session(std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::Error(kTarget, "session failed", {{"error", ex.what()}});
      }
    });
  }
}

net::awaitable<Response> HttpServer::Impl::Dispatch(Request& req, std::string& route) {
  bool is_api = false;
  std::string_view raw_path = std::string_view(req.target).substr(0, req.target.find('?'));
  std::string_view stripped = Router::StripApiBase(raw_path, is_api);
  req.path = std::string(stripped);
  auto match = router.Find(req.method, req.path);
  if (!match.handler) {
    route = match.status == 405 ? std::string(match.route) : "unmatched";
    if (match.status == 405) co_return ErrorResponse(Error{Errc::kMethodNotAllowed, ""});
    co_return Plain404();
  }
  route = std::string(match.route);
  Context ctx{req, std::move(match.params), match.route};
  RateLimitGate::Headers limit_headers;
  std::optional<Response> res;
  try {
    if (options.gate) res = co_await options.gate->Admit(ctx, limit_headers);
    if (!res) res = co_await (*match.handler)(ctx);
  } catch (const std::exception& e) {
    log::Error(kTarget, "handler threw", {{"route", route}, {"error", e.what()}});
    res = ErrorResponse(Error::Internal("handler threw"));
  }
  for (auto& h : limit_headers) res->headers.push_back(std::move(h));
  co_return std::move(*res);
}

std::optional<tracing::Span> HttpServer::Impl::StartSpan(const Request& req) const {
  tracing::Span span;
  span.kind = tracing::SpanKind::kServer;
  span.start_unix_ns = tracing::UnixNanos();
  const auto header = req.Header("traceparent");
  const auto parent = header ? tracing::ParseTraceParent(*header) : std::nullopt;
  if (parent) {
    span.trace_id = parent->trace_id;
    span.parent_id = parent->span_id;
  } else {
    span.trace_id = tracing::NewTraceId();
  }
  if (!options.sampler.ShouldSample(parent, span.trace_id)) return std::nullopt;
  span.span_id = tracing::NewSpanId();
  return span;
}

void HttpServer::Impl::EndSpan(tracing::Span span, const Request& req, const std::string& route,
                               int status, const std::string& remote,
                               std::chrono::steady_clock::duration elapsed) const {
  // OpenTelemetry's HTTP conventions: "{method} {route}", or the method alone without a route.
  const bool routed = route != "unmatched" && !route.empty();
  span.name = routed ? req.method + " " + route : req.method;
  span.end_unix_ns =
      span.start_unix_ns + std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
  span.error = status >= 500;
  span.attributes.emplace_back("http.request.method", req.method);
  if (routed) span.attributes.emplace_back("http.route", route);
  span.attributes.emplace_back("url.path", req.target.substr(0, req.target.find('?')));
  span.attributes.emplace_back("http.response.status_code", std::int64_t{status});
  span.attributes.emplace_back("client.address", remote);
  options.spans->Record(std::move(span));
}

Response HttpServer::Impl::Finish(const Request& req, Response res) const {
  (void)req;
  if (res.status == 429) res.headers.emplace_back("Via", "1.1 chat-server");
  return res;
}

net::awaitable<void> HttpServer::Impl::Session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  auto handle = std::make_shared<SessionHandle>();
  handle->executor = stream.get_executor();
  handle->stream = &stream;
  {
    std::lock_guard lock(sessions_mutex);
    if (stopping) co_return;
    sessions.push_back(handle);
  }
  metrics.open_connections.fetch_add(1, std::memory_order_relaxed);
  struct Leave {
    Impl* impl;
    std::shared_ptr<SessionHandle> h;
    bool done = false;
    void Now() {
      if (std::exchange(done, true)) return;
      h->alive = false;
      impl->metrics.open_connections.fetch_sub(1, std::memory_order_relaxed);
      std::lock_guard lock(impl->sessions_mutex);
      impl->sessions.remove(h);
    }
    ~Leave() { Now(); }
  } leave{this, handle};
  std::optional<UpgradeRequest> upgrade_request;

  boost::system::error_code ec;
  std::string remote;
  {
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  beast::flat_buffer buffer(8192);

  // An error that ends the connection; written after the loop. Kept as a named object because
  // GCC 12 destroys temporaries inside a co_await expression twice.
  std::optional<Error> fatal;
  int fatal_version = 11;

  for (;;) {
    if (stopping) break;
    if (buffer.size() == 0) {
      // Keep-alive wait: nothing sent yet, the idle timeout applies.
      stream.expires_after(options.idle_timeout);
      auto [rec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
      if (rec) break;
      buffer.commit(n);
    }
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(std::max(options.max_body_bytes, options.max_upload_bytes));
    // From the first byte, the whole header must arrive within the header timeout.
    stream.expires_after(options.header_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    (void)hn;
    if (hec) {
      if (hec == bhttp::error::header_limit) {
        fatal = Error{Errc::kValidation, "Request header fields too large"};
      } else if (hec != net::error::operation_aborted && hec != beast::error::timeout &&
                 hec != bhttp::error::end_of_stream && hec != net::error::eof) {
        fatal = Error{Errc::kValidation, "Malformed HTTP request"};
      }
      break;
    }
    auto& header = parser.get();
    const bool multipart =
        beast::iequals(header[bhttp::field::content_type].substr(0, 10), "multipart/");
    const std::size_t limit = multipart ? options.max_upload_bytes : options.max_body_bytes;
    fatal_version = header.version();
    if (parser.content_length() && *parser.content_length() > limit) {
      fatal = Error{Errc::kPayloadTooLarge, ""};
      break;
    }
    if (websocket::is_upgrade(header) && upgrade) {
      const std::string_view target = header.target();
      const std::string_view path = target.substr(0, target.find('?'));
      if (path == "/" || path == "/ws" || path == "/gateway" || path == "/gateway/") {
        stream.expires_after(kBodyTimeout);
        auto [uec, un] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
        (void)un;
        if (uec) break;
        upgrade_request.emplace(parser.release());
        break;
      }
    }
    stream.expires_after(kBodyTimeout);
    auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    (void)bn;
    if (bec == bhttp::error::body_limit || (!bec && parser.get().body().size() > limit)) {
      fatal = Error{Errc::kPayloadTooLarge, ""};
      break;
    }
    if (bec) {
      if (bec != beast::error::timeout && bec != bhttp::error::end_of_stream) {
        fatal = Error{Errc::kValidation, "Malformed HTTP request"};
      }
      break;
    }

    BeastRequest breq = parser.release();
    const auto started = std::chrono::steady_clock::now();
    Request req;
    req.method = std::string(breq.method_string());
    req.target = std::string(breq.target());
    if (auto q = req.target.find('?'); q != std::string::npos) req.query = req.target.substr(q + 1);
    req.remote_address = remote;
    req.headers.reserve(16);
    for (const auto& field : breq) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.body = std::move(breq.body());

    std::optional<tracing::Span> span;
    if (options.spans) span = StartSpan(req);

    handle->busy = true;
    std::string route;
    Response r = Finish(req, co_await Dispatch(req, route));
    handle->busy = false;

    const auto elapsed = std::chrono::steady_clock::now() - started;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    if (span) EndSpan(std::move(*span), req, route, r.status, remote, elapsed);
    if (metrics.requests) metrics.requests->Inc({req.method, route, std::to_string(r.status)});
    if (metrics.latency) metrics.latency->Observe({req.method, route}, seconds);
    log::Debug(kTarget, "request",
               {{"method", req.method},
                {"route", route},
                {"status", r.status},
                {"duration_ms", seconds * 1000},
                {"remote", remote}});

    BeastResponse res{static_cast<bhttp::status>(r.status), breq.version()};
    res.set(bhttp::field::server, "chat-server");
    if (!r.content_type.empty() && r.status != 204) {
      res.set(bhttp::field::content_type, r.content_type);
    }
    for (auto& [name, value] : r.headers) res.insert(name, value);
    const bool keep_alive = breq.keep_alive() && !stopping;
    res.keep_alive(keep_alive);
    const std::size_t body_size = r.body.size();
    if (req.method != "HEAD") res.body() = std::move(r.body);
    res.prepare_payload();
    if (req.method == "HEAD" && r.status != 204) res.content_length(body_size);
    stream.expires_after(kBodyTimeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, kTuple);
    (void)wn;
    if (wec || !keep_alive) break;
  }
  if (upgrade_request && !stopping) {
    // The gateway owns the connection from here; it is no longer an HTTP session. Spawned
    // rather than awaited, so this frame (parser, response, buffers: several KiB) is freed
    // instead of waiting under every idle gateway connection.
    leave.Now();
    // The bare socket moves without allocating; moving the tcp_stream would leave its old state
    // behind in this frame's heap.
    const auto ex = stream.get_executor();
    net::co_spawn(ex, upgrade->Handle(stream.release_socket(), std::move(*upgrade_request)),
                  [](std::exception_ptr e) {
                    if (!e) return;
                    try {
                      std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                      log::Error(kTarget, "gateway connection failed", {{"error", ex.what()}});
                    }
                  });
    co_return;
  }
  if (fatal) {
    Response r = ErrorResponse(*fatal);
    BeastResponse res{static_cast<bhttp::status>(r.status), fatal_version};
    res.set(bhttp::field::server, "chat-server");
    res.set(bhttp::field::content_type, r.content_type);
    res.keep_alive(false);
    res.body() = std::move(r.body);
    res.prepare_payload();
    stream.expires_after(kBodyTimeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, kTuple);
    (void)wec;
    (void)wn;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace chat::http
