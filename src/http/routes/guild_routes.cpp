// http/routes/guild_routes.cpp — /guilds, /guilds/{guild_id} and the user's guild list
// (/users/@me/guilds). Glue only: GuildService holds the rules.
#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/permissions.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/emoji_service.hpp"
#include "service/guild_service.hpp"
#include "service/sticker_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

json::object ViewJson(const service::GuildView& view) {
  json::object o = domain::json::GuildJson(view.guild, view.roles);
  o["emojis"] = service::EmojisJson(view.emojis);
  o["stickers"] = service::StickersJson(view.stickers);
  if (view.member_count) {
    o["approximate_member_count"] = *view.member_count;
    o["approximate_presence_count"] = view.presence_count.value_or(0);
  }
  return o;
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto name = fields.String("name", true, 400);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto view =
      co_await api.db.Run([&] { return api.communities->guilds.Create(who->user_id, *name); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(201, ViewJson(*view));
}

Awaitable Get(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  const bool counts = QueryFlag(ctx, "with_counts");
  auto view =
      co_await api.db.Run([&] { return api.communities->guilds.Get(who->user_id, *id, counts); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, ViewJson(*view));
}

// Discord's GET /guilds/{guild_id}/preview, for members (nothing here is discoverable): the
// guild's face and its counts.
Awaitable Preview(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto view =
      co_await api.db.Run([&] { return api.communities->guilds.Get(who->user_id, *id, true); });
  if (!view) co_return ErrorResponse(view.error());
  const auto& g = view->guild;
  const auto optional = [](const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
  };
  co_return Response::Json(
      200, json::object{{"id", domain::ToString(g.id)},
                        {"name", g.name},
                        {"icon", optional(g.icon)},
                        {"splash", nullptr},
                        {"discovery_splash", nullptr},
                        {"emojis", service::EmojisJson(view->emojis)},
                        {"features", json::array()},
                        {"approximate_member_count", view->member_count.value_or(0)},
                        {"approximate_presence_count", view->presence_count.value_or(0)},
                        {"description", optional(g.description)},
                        {"stickers", service::StickersJson(view->stickers)}});
}

Awaitable Patch(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  service::GuildPatch patch;
  patch.name = fields.String("name", false, 400);
  patch.description = fields.NullableString("description", 480);
  patch.icon = fields.NullableString("icon", 1 << 16);
  patch.owner_id = fields.Id("owner_id");
  patch.system_channel_id = fields.NullableId("system_channel_id");
  patch.afk_channel_id = fields.NullableId("afk_channel_id");
  patch.afk_timeout = fields.Int("afk_timeout", 0, 86400);
  patch.verification_level = fields.Int("verification_level", 0, 4);
  patch.default_message_notifications = fields.Int("default_message_notifications", 0, 1);
  patch.explicit_content_filter = fields.Int("explicit_content_filter", 0, 2);
  patch.preferred_locale = fields.String("preferred_locale", false, 16);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.communities->guilds.Update(who->user_id, *id, patch, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, ViewJson(*view));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto done =
      co_await api.db.Run([&] { return api.communities->guilds.Delete(who->user_id, *id); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable ListMine(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->guilds.ListForUser(who->user_id); });
  if (!list) co_return ErrorResponse(list.error());
  json::array out;
  for (const auto& g : *list) {
    out.push_back(json::object{{"id", domain::ToString(g.guild.id)},
                               {"name", g.guild.name},
                               {"icon", g.guild.icon ? json::value(*g.guild.icon) : nullptr},
                               {"banner", nullptr},
                               {"owner", g.owner},
                               {"permissions", domain::perm::ToString(g.permissions)},
                               {"features", json::array()}});
  }
  co_return Response::Json(200, out);
}

Awaitable Leave(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto done = co_await api.db.Run([&] { return api.communities->guilds.Leave(who->user_id, *id); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddGuildRoutes(Router& router, Api& api) {
  router.Add("POST", "/guilds", [&api](Context& c) { return Create(api, c); });
  router.Add("GET", "/users/@me/guilds", [&api](Context& c) { return ListMine(api, c); });
  router.Add("DELETE", "/users/@me/guilds/{guild_id}",
             [&api](Context& c) { return Leave(api, c); });
  router.Add("GET", "/guilds/{guild_id}", [&api](Context& c) { return Get(api, c); });
  router.Add("GET", "/guilds/{guild_id}/preview", [&api](Context& c) { return Preview(api, c); });
  router.Add("PATCH", "/guilds/{guild_id}", [&api](Context& c) { return Patch(api, c); });
  router.Add("DELETE", "/guilds/{guild_id}", [&api](Context& c) { return Delete(api, c); });
}

}  // namespace chat::http
