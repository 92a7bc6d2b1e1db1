#include "app.hpp"

#include <thread>

#include "common/blocking_pool.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "http/routes/system_routes.hpp"

namespace chat {
namespace {
constexpr std::string_view kTarget = "chat_server";

unsigned OrCores(unsigned n) { return n ? n : std::max(1u, std::thread::hardware_concurrency()); }
}  // namespace

struct App::Parts {
  metrics::Registry registry;
  http::ServerMetrics server_metrics;
  std::unique_ptr<BlockingPool> db_pool;
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
};

App::App(config::Settings settings)
    : settings_(std::move(settings)), parts_(std::make_unique<Parts>()) {}

App::~App() = default;

int App::Serve() {
  auto& p = *parts_;
  const auto& s = settings_;
  p.db_pool = std::make_unique<BlockingPool>(
      "db", s.blocking_threads ? s.blocking_threads : s.database_max_connections);

  if (s.feature_metrics) {
    p.server_metrics.requests = &p.registry.AddCounter(
        "http_requests_total", "HTTP requests by method, route template and status.",
        {"method", "route", "status"});
    p.server_metrics.latency = &p.registry.AddHistogram(
        "http_request_duration_seconds", "HTTP request latency by method and route template.",
        {"method", "route"},
        {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
    p.registry.AddGauge(
        {"http_open_connections", "Open HTTP connections.", "gauge", "",
         [m = &p.server_metrics] { return static_cast<double>(m->open_connections.load()); }});
    p.registry.AddGauge({"chat_build_info", "Build information.", "gauge",
                         "version=\"" CHAT_VERSION "\"", [] { return 1.0; }});
    p.registry.AddProcessMetrics();
  }

  http::AddSystemRoutes(p.router, {s.feature_metrics ? &p.registry : nullptr, {}});

  http::ServerOptions options;
  options.host = s.host;
  options.port = s.port;
  options.threads = OrCores(s.http_threads);
  options.max_body_bytes = s.max_body_bytes;
  options.max_upload_bytes = s.max_upload_bytes;
  options.header_timeout = s.http_header_timeout;
  options.idle_timeout = s.http_idle_timeout;
  options.shutdown_timeout = s.shutdown_timeout;
  p.server = std::make_unique<http::HttpServer>(options, p.router, p.server_metrics);
  std::uint16_t port;
  try {
    port = p.server->Listen();
  } catch (const std::exception& e) {
    log::Error(kTarget, e.what());
    return 1;
  }
  log::Info(kTarget, "listening",
            {{"address", s.host + ":" + std::to_string(port)},
             {"version", CHAT_VERSION},
             {"threads", options.threads}});
  p.server->Run();
  p.db_pool->Join();
  log::Info(kTarget, "stopped");
  return 0;
}

}  // namespace chat
