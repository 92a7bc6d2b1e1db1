#include "http/routes/system_routes.hpp"

#include <boost/json.hpp>

#include "common/metrics.hpp"

namespace chat::http {

void AddSystemRoutes(Router& router, SystemRoutesDeps deps) {
  router.Add("GET", "/health", [](Context&) -> boost::asio::awaitable<Response> {
    co_return Response::Json(200, boost::json::object{{"status", "ok"}});
  });
  router.Add("GET", "/ready", [ready = deps.ready](Context&) -> boost::asio::awaitable<Response> {
    const bool ok = ready ? co_await ready() : true;
    co_return Response::Json(ok ? 200 : 503,
                             boost::json::object{{"status", ok ? "ready" : "not ready"},
                                                 {"database", ok ? "up" : "down"}});
  });
  if (deps.metrics) {
    router.Add("GET", "/metrics",
               [registry = deps.metrics](Context&) -> boost::asio::awaitable<Response> {
                 co_return Response::Text(200, registry->Render(),
                                          "text/plain; version=0.0.4; charset=utf-8");
               });
  }
}

}  // namespace chat::http
