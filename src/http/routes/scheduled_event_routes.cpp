// http/routes/scheduled_event_routes.cpp — a guild's scheduled events
// (/guilds/{guild_id}/scheduled-events[/{event_id}[/users[/@me]]]). Glue only:
// ScheduledEventService holds the rules. users/@me (PUT to say one is interested, DELETE to take it
// back) is what Discord's own client calls; bots only read the list. An event's cover image is
// served at /guild-events/{event_id}/{hash}.{ext}, public, as on Discord's CDN.
#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/json/user_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/guild_target.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/stored_image_route.hpp"
#include "service/scheduled_event_service.hpp"
#include "store/errors.hpp"
#include "store/scheduled_event_store.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

// The target of a route: who, the guild and, on one event's routes, the event.
boost::asio::awaitable<Result<GuildTarget>> Resolve(Api& api, Context& ctx, bool with_event) {
  static const Error kUnknown = store::UnknownScheduledEvent();
  return with_event ? ResolveGuildTarget(api, ctx, "event_id", &kUnknown)
                    : ResolveGuildTarget(api, ctx);
}

Awaitable List(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  const bool counts = QueryFlag(ctx, "with_user_count");
  auto views = co_await api.db.Run(
      [&] { return api.communities->events.List(t->user_id, t->guild_id, counts); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  for (const auto& v : *views) out.push_back(service::ScheduledEventViewJson(v));
  co_return Response::Json(200, out);
}

Awaitable Get(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  const bool counts = QueryFlag(ctx, "with_user_count");
  auto view = co_await api.db.Run(
      [&] { return api.communities->events.Get(t->user_id, t->guild_id, t->item_id, counts); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, service::ScheduledEventViewJson(*view));
}

Awaitable Create(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.communities->events.Create(t->user_id, t->guild_id, *body, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, service::ScheduledEventViewJson(*view));
}

Awaitable Modify(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run([&] {
    return api.communities->events.Modify(t->user_id, t->guild_id, t->item_id, *body, reason);
  });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, service::ScheduledEventViewJson(*view));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->events.Delete(t->user_id, t->guild_id, t->item_id, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable Users(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto limit = QueryInt(ctx, "limit", 100, 1, 100);
  if (!limit) co_return ErrorResponse(limit.error());
  auto before = QueryId(ctx, "before");
  if (!before) co_return ErrorResponse(before.error());
  auto after = QueryId(ctx, "after");
  if (!after) co_return ErrorResponse(after.error());
  const service::EventUsersQuery query{static_cast<std::size_t>(*limit),
                                       QueryFlag(ctx, "with_member"), *before, *after};
  auto users = co_await api.db.Run(
      [&] { return api.communities->events.Users(t->user_id, t->guild_id, t->item_id, query); });
  if (!users) co_return ErrorResponse(users.error());
  json::array out;
  const std::string event_id = domain::ToString(t->item_id);
  for (const auto& u : *users) {
    json::object o{{"guild_scheduled_event_id", event_id},
                   {"user", domain::json::UserJson(u.user)}};
    if (u.member) o["member"] = domain::json::MemberJson(*u.member, u.user);
    out.push_back(std::move(o));
  }
  co_return Response::Json(200, out);
}

Awaitable SetInterest(Api& api, Context& ctx, bool interested) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run([&] {
    return api.communities->events.SetInterest(t->user_id, t->guild_id, t->item_id, interested);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// /guild-events/{event_id}/{hash}.{ext}.
Awaitable Cover(Api& api, Context& ctx) {
  return ServeStoredImage(api, ctx, "event_id", [&api](Snowflake id, const std::string& hash) {
    return api.communities->events.Cover(id, hash);
  });
}

}  // namespace

void AddScheduledEventRoutes(Router& router, Api& api) {
  constexpr const char* kList = "/guilds/{guild_id}/scheduled-events";
  constexpr const char* kOne = "/guilds/{guild_id}/scheduled-events/{event_id}";
  router.Add("GET", kList, [&api](Context& c) { return List(api, c); });
  router.Add("POST", kList, [&api](Context& c) { return Create(api, c); });
  router.Add("GET", kOne, [&api](Context& c) { return Get(api, c); });
  router.Add("PATCH", kOne, [&api](Context& c) { return Modify(api, c); });
  router.Add("DELETE", kOne, [&api](Context& c) { return Delete(api, c); });
  router.Add("GET", "/guilds/{guild_id}/scheduled-events/{event_id}/users",
             [&api](Context& c) { return Users(api, c); });
  router.Add("PUT", "/guilds/{guild_id}/scheduled-events/{event_id}/users/@me",
             [&api](Context& c) { return SetInterest(api, c, true); });
  router.Add("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}/users/@me",
             [&api](Context& c) { return SetInterest(api, c, false); });
  router.Add("GET", "/guild-events/{event_id}/{file}",
             [&api](Context& c) { return Cover(api, c); });
}

}  // namespace chat::http
