// http/http_server.hpp — the HTTP/1.1 listener and its sessions (Boost.Beast, coroutines).
// `threads` io_contexts, each run by one thread; a connection is a coroutine on one of them, given
// out in turn, and never runs on two threads at once. Requests are parsed with limits (headers 16
// KiB, body MAX_BODY_BYTES or MAX_UPLOAD_BYTES for multipart) and timeouts (HTTP_HEADER_TIMEOUT for
// a request to arrive once it started — a slow-loris client is dropped — and HTTP_IDLE_TIMEOUT
// between keep-alive requests), handed to the Router, and the Response written back. Run() returns
// after SIGINT/SIGTERM or Stop(): the listener closes, idle connections close, in-flight requests
// finish within SHUTDOWN_TIMEOUT.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/tracing.hpp"
#include "http/router.hpp"

namespace chat::metrics {
class CounterFamily;
class HistogramFamily;
}  // namespace chat::metrics

namespace chat::http {

class UpgradeHandler;
class RateLimitGate;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  unsigned threads = 1;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_upload_bytes = 25u << 20;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds shutdown_timeout{10'000};
  // Admits each routed request before its handler (null: all); must outlive the server.
  RateLimitGate* gate = nullptr;
  // Takes a server span per request (null: no tracing), continuing the caller's W3C traceparent.
  tracing::SpanSink* spans = nullptr;
  tracing::Sampler sampler;  // which requests become spans (with `spans`)
};

struct ServerMetrics {
  metrics::CounterFamily* requests = nullptr;   // method, route, status
  metrics::HistogramFamily* latency = nullptr;  // method, route
  std::atomic<std::int64_t> open_connections{0};
};

class HttpServer {
 public:
  // `upgrade` (may be null: upgrades then get 404) must outlive the server.
  HttpServer(ServerOptions options, const Router& router, ServerMetrics& metrics,
             UpgradeHandler* upgrade = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; throws std::runtime_error naming the address on failure. Returns the port.
  std::uint16_t Listen();
  // Serves until a signal or Stop(), then drains. Calls on_stopping (if set) when shutdown begins.
  void Run(std::function<void()> on_stopping = {});
  // Thread-safe.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chat::http
