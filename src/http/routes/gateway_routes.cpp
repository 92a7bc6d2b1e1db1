// http/routes/gateway_routes.cpp — where clients find the WebSocket gateway (GET /gateway,
// GET /gateway/bot as discord.js asks before connecting).
#include <boost/json.hpp>

#include "http/error_response.hpp"
#include "http/routes/routes.hpp"

namespace chat::http {

void AddGatewayRoutes(Router& router, Api& api) {
  router.Add("GET", "/gateway", [&api](Context&) -> boost::asio::awaitable<Response> {
    co_return Response::Json(200, boost::json::object{{"url", api.gateway_url}});
  });
  router.Add("GET", "/gateway/bot", [&api](Context& ctx) -> boost::asio::awaitable<Response> {
    auto who = co_await Authenticate(api, ctx.request);
    if (!who) co_return ErrorResponse(who.error());
    co_return Response::Json(200, boost::json::object{{"url", api.gateway_url},
                                                      {"shards", 1},
                                                      {"session_start_limit",
                                                       {{"total", 1000},
                                                        {"remaining", 1000},
                                                        {"reset_after", 86400000},
                                                        {"max_concurrency", 1}}}});
  });
}

}  // namespace chat::http
