// http/routes/emoji_routes.cpp — a guild's custom emojis (/guilds/{guild_id}/emojis[/{emoji_id}])
// and their images (/emojis/{emoji_id}.{png,jpg,gif,webp}, public, as on Discord's CDN). Glue
// only: EmojiService holds the rules.
#include <boost/json.hpp>

#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/guild_target.hpp"
#include "http/routes/routes.hpp"
#include "service/emoji_service.hpp"
#include "store/emoji_store.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

json::object ViewJson(const service::EmojiView& v) {
  return service::EmojiJson(v.emoji, v.creator ? &*v.creator : nullptr);
}

// The target of a route: who, the guild and, on one emoji's routes, the emoji.
boost::asio::awaitable<Result<GuildTarget>> Resolve(Api& api, Context& ctx, bool with_emoji) {
  static const Error kUnknown = store::UnknownEmoji();
  return with_emoji ? ResolveGuildTarget(api, ctx, "emoji_id", &kUnknown)
                    : ResolveGuildTarget(api, ctx);
}

Awaitable List(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto views =
      co_await api.db.Run([&] { return api.communities->emojis.List(t->user_id, t->guild_id); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  for (const auto& v : *views) out.push_back(ViewJson(v));
  co_return Response::Json(200, out);
}

Awaitable Get(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto view = co_await api.db.Run(
      [&] { return api.communities->emojis.Get(t->user_id, t->guild_id, t->item_id); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, ViewJson(*view));
}

Awaitable Create(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto name = fields.String("name", true, 256);
  auto image = fields.String("image", true, 512 * 1024);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  const service::EmojiInput input{std::move(*name), std::move(*image)};
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.communities->emojis.Create(t->user_id, t->guild_id, input, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(201, ViewJson(*view));
}

Awaitable Modify(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto name = fields.String("name", false, 256);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run([&] {
    return api.communities->emojis.Rename(t->user_id, t->guild_id, t->item_id, name, reason);
  });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, ViewJson(*view));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->emojis.Delete(t->user_id, t->guild_id, t->item_id, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// /emojis/{id}.{ext}: the stored image whatever the extension asks for (Discord's CDN converts;
// here a client gets the bytes in their own type, which its Content-Type says).
Awaitable Image(Api& api, Context& ctx) {
  const std::string_view file = ctx.Param("file");
  const auto dot = file.find('.');
  auto id = domain::ParseSnowflake(file.substr(0, dot));
  if (!id) co_return ErrorResponse(Error::NotFound("404: Not Found"));
  // An emoji's image never changes (a new image is a new emoji), so its id is its validator: a
  // client or proxy that holds it costs no database read.
  const std::string etag = "\"" + domain::ToString(*id) + "\"";
  if (ctx.request.Header("if-none-match") == etag) co_return Response::NotModified(etag);
  auto image = co_await api.db.Run([&] { return api.communities->emojis.Image(*id); });
  if (!image) co_return ErrorResponse(image.error());
  co_return Response::Image(std::move(image->bytes), std::move(image->content_type), etag);
}

}  // namespace

void AddEmojiRoutes(Router& router, Api& api) {
  router.Add("GET", "/guilds/{guild_id}/emojis", [&api](Context& c) { return List(api, c); });
  router.Add("POST", "/guilds/{guild_id}/emojis", [&api](Context& c) { return Create(api, c); });
  router.Add("GET", "/guilds/{guild_id}/emojis/{emoji_id}",
             [&api](Context& c) { return Get(api, c); });
  router.Add("PATCH", "/guilds/{guild_id}/emojis/{emoji_id}",
             [&api](Context& c) { return Modify(api, c); });
  router.Add("DELETE", "/guilds/{guild_id}/emojis/{emoji_id}",
             [&api](Context& c) { return Delete(api, c); });
  router.Add("GET", "/emojis/{file}", [&api](Context& c) { return Image(api, c); });
}

}  // namespace chat::http
