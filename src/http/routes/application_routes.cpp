// http/routes/application_routes.cpp — applications and bot tokens (/applications…,
// /oauth2/applications/@me as discord.py asks at login).
#include <boost/json.hpp>

#include "domain/json/user_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/routes.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;

json::object ApplicationJson(const store::Application& app, const domain::User& owner,
                             const domain::User* bot) {
  json::object o{{"id", domain::ToString(app.id)},
                 {"name", app.name},
                 {"icon", app.icon ? json::value(*app.icon) : nullptr},
                 {"description", app.description},
                 {"summary", ""},
                 {"type", nullptr},
                 {"bot_public", app.bot_public},
                 {"bot_require_code_grant", false},
                 {"verify_key", ""},
                 {"flags", app.flags},
                 {"owner", domain::json::UserJson(owner)},
                 {"team", nullptr},
                 {"rpc_origins", json::array()}};
  if (bot) o["bot"] = domain::json::UserJson(*bot);
  return o;
}

struct AppView {
  store::Application app;
  domain::User owner;
  std::optional<domain::User> bot;
};

Result<AppView> LoadView(Api& api, Result<store::Application> app) {
  if (!app) return app.error();
  auto owner = api.users.Get(app->owner_id);
  if (!owner) return owner.error();
  AppView view{std::move(*app), std::move(*owner), std::nullopt};
  if (view.app.bot_user_id) {
    auto bot = api.users.Get(*view.app.bot_user_id);
    if (bot) view.bot = std::move(*bot);
  }
  return view;
}

Response ViewResponse(int status, const AppView& v) {
  return Response::Json(status, ApplicationJson(v.app, v.owner, v.bot ? &*v.bot : nullptr));
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  if (who->bot) {
    Error e = Error::Forbidden("Bots cannot create applications", 20001);
    co_return ErrorResponse(e);
  }
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  auto name = fields.String("name", true, 256);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto created = co_await api.db.Run([&] { return api.applications.Create(who->user_id, *name); });
  if (!created) co_return ErrorResponse(created.error());
  auto view = co_await api.db.Run([&] { return LoadView(api, created->app); });
  if (!view) co_return ErrorResponse(view.error());
  json::object o = ApplicationJson(view->app, view->owner, view->bot ? &*view->bot : nullptr);
  // The bot token is shown exactly once, here.
  if (o.contains("bot")) o["bot"].as_object()["token"] = created->token;
  co_return Response::Json(201, o);
}

Awaitable Mine(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto view = co_await api.db.Run(
      [&] { return LoadView(api, api.applications.ForPrincipal(who->user_id, who->bot)); });
  if (!view) co_return ErrorResponse(view.error());
  co_return ViewResponse(200, *view);
}

Awaitable GetOne(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = domain::ParseSnowflake(ctx.Param("application_id"));
  if (!id) {
    Error e = Error::NotFound("Unknown Application", 10002);
    co_return ErrorResponse(e);
  }
  auto view =
      co_await api.db.Run([&] { return LoadView(api, api.applications.Get(who->user_id, *id)); });
  if (!view) co_return ErrorResponse(view.error());
  co_return ViewResponse(200, *view);
}

Awaitable ResetToken(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = domain::ParseSnowflake(ctx.Param("application_id"));
  if (!id) {
    Error e = Error::NotFound("Unknown Application", 10002);
    co_return ErrorResponse(e);
  }
  if (who->bot) {
    Error e = Error::Forbidden("Only the owner can reset the bot token", 50013);
    co_return ErrorResponse(e);
  }
  auto token =
      co_await api.db.Run([&] { return api.applications.ResetBotToken(who->user_id, *id); });
  if (!token) co_return ErrorResponse(token.error());
  co_return Response::Json(200, json::object{{"token", *token}});
}

}  // namespace

void AddApplicationRoutes(Router& router, Api& api) {
  router.Add("POST", "/applications", [&api](Context& c) { return Create(api, c); });
  router.Add("GET", "/applications/@me", [&api](Context& c) { return Mine(api, c); });
  router.Add("GET", "/oauth2/applications/@me", [&api](Context& c) { return Mine(api, c); });
  router.Add("GET", "/applications/{application_id}",
             [&api](Context& c) { return GetOne(api, c); });
  router.Add("POST", "/applications/{application_id}/bot/reset",
             [&api](Context& c) { return ResetToken(api, c); });
}

}  // namespace chat::http
