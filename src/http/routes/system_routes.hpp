// http/routes/system_routes.hpp — /health (the process answers), /ready (the database answers)
// and /metrics (Prometheus text; absent when FEATURE_METRICS=false).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>

#include "http/router.hpp"

namespace chat::metrics {
class Registry;
}

namespace chat::http {

struct SystemRoutesDeps {
  const metrics::Registry* metrics = nullptr;  // null: no /metrics route
  // Reports whether the database answers; awaited on the request's thread.
  std::function<boost::asio::awaitable<bool>()> ready;
};

void AddSystemRoutes(Router& router, SystemRoutesDeps deps);

}  // namespace chat::http
