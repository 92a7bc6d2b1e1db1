// http/routes/web_routes.cpp — serves the browser client: GET /app (and /app/) is its page,
// /app/{file} its scripts and styles, and GET / sends a browser there. The files are embedded
// (http/web_assets.hpp); the page may load only them and talk only to this server.
#include "http/routes/routes.hpp"
#include "http/web_assets.hpp"

namespace chat::http {
namespace {

using Awaitable = boost::asio::awaitable<Response>;

Response Asset(std::string_view name) {
  for (const auto& a : WebAssets()) {
    if (a.name != name) continue;
    Response r = Response::Text(200, std::string(a.body), std::string(a.content_type));
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    return r;
  }
  return Response::Json(404, boost::json::object{{"code", 0}, {"message", "404: Not Found"}});
}

}  // namespace

void AddWebRoutes(Router& router) {
  router.Add("GET", "/", [](Context&) -> Awaitable {
    Response r = Response::Text(302, "", "text/plain");
    r.headers.emplace_back("Location", "/app/");
    co_return r;
  });
  router.Add("GET", "/app", [](Context&) -> Awaitable { co_return Asset("index.html"); });
  router.Add("GET", "/app/{file}",
             [](Context& ctx) -> Awaitable { co_return Asset(ctx.Param("file")); });
}

}  // namespace chat::http
