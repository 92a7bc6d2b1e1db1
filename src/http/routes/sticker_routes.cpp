// http/routes/sticker_routes.cpp — a guild's stickers (/guilds/{guild_id}/stickers[/{sticker_id}]),
// one sticker by id (/stickers/{sticker_id}) and, on the same path with an extension, its image
// (/stickers/{sticker_id}.{png,gif}, public, as on Discord's CDN). A sticker is made from a
// multipart/form-data upload (name, description, tags and the file in `file`), as discord.js and
// discord.py send it. Glue only: StickerService holds the rules.
#include <algorithm>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/multipart.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/guild_target.hpp"
#include "http/routes/routes.hpp"
#include "service/sticker_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

json::object ViewJson(const service::StickerView& v) {
  return service::StickerJson(v.sticker, v.creator ? &*v.creator : nullptr);
}

// The target of a route: who, the guild and, on one sticker's routes, the sticker.
boost::asio::awaitable<Result<GuildTarget>> Resolve(Api& api, Context& ctx, bool with_sticker) {
  static const Error kUnknown = store::UnknownSticker();
  return with_sticker ? ResolveGuildTarget(api, ctx, "sticker_id", &kUnknown)
                      : ResolveGuildTarget(api, ctx);
}

// The form's text fields and its one file; the file views `request`'s body.
Result<service::StickerInput> ReadStickerForm(const Request& request) {
  const auto type = request.Header("content-type");
  if (!type) {
    return Error::Validation("Invalid Form Body",
                             {{"file", "BASE_TYPE_REQUIRED", "This field is required"}});
  }
  auto boundary = multipart::BoundaryOf(*type);
  if (!boundary) return boundary.error();
  auto parts = multipart::Parse(request.body, *boundary);
  if (!parts) return parts.error();
  service::StickerInput input;
  bool has_file = false;
  std::vector<FieldError> errors;
  // Each field once; text fields far past their longest allowed value are refused before they
  // are copied.
  constexpr std::size_t kMaxTextBytes = 1024;
  std::vector<std::string> seen;
  for (const auto& part : *parts) {
    const bool known = part.name == "file" || part.name == "name" || part.name == "description" ||
                       part.name == "tags";
    if (!known) continue;
    if (std::find(seen.begin(), seen.end(), part.name) != seen.end()) {
      errors.push_back({part.name, "DUPLICATE", "Sent more than once."});
      continue;
    }
    seen.push_back(part.name);
    if (part.name == "file") {
      if (part.filename) {
        input.file = part.data;
        has_file = true;
      }
      continue;
    }
    if (part.data.size() > kMaxTextBytes) {
      errors.push_back({part.name, "BASE_TYPE_MAX_LENGTH", "Must be 1024 or fewer in length."});
      continue;
    }
    std::string* field = part.name == "name"          ? &input.name
                         : part.name == "description" ? &input.description
                                                      : &input.tags;
    *field = std::string(part.data);
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  std::vector<FieldError> missing;
  if (!has_file) missing.push_back({"file", "BASE_TYPE_REQUIRED", "This field is required"});
  if (input.name.empty())
    missing.push_back({"name", "BASE_TYPE_REQUIRED", "This field is required"});
  if (input.tags.empty())
    missing.push_back({"tags", "BASE_TYPE_REQUIRED", "This field is required"});
  if (!missing.empty()) return Error::Validation("Invalid Form Body", std::move(missing));
  return input;
}

Awaitable List(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto views =
      co_await api.db.Run([&] { return api.communities->stickers.List(t->user_id, t->guild_id); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  for (const auto& v : *views) out.push_back(ViewJson(v));
  co_return Response::Json(200, out);
}

Awaitable Get(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto view = co_await api.db.Run(
      [&] { return api.communities->stickers.Get(t->user_id, t->guild_id, t->item_id); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, ViewJson(*view));
}

Awaitable Create(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto reason = AuditLogReason(ctx.request);
  // The form (up to MAX_UPLOAD_BYTES) is scanned on the db pool, off the I/O thread.
  auto view = co_await api.db.Run([&]() -> Result<service::StickerView> {
    auto input = ReadStickerForm(ctx.request);
    if (!input) return input.error();
    return api.communities->stickers.Create(t->user_id, t->guild_id, *input, reason);
  });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(201, ViewJson(*view));
}

Awaitable Modify(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  store::StickerUpdate update;
  update.name = fields.String("name", false, 1024);
  update.tags = fields.String("tags", false, 1024);
  // null (or "") removes the description.
  if (auto description = fields.NullableString("description", 1024)) {
    update.description = description->value_or("");
  }
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run([&] {
    return api.communities->stickers.Modify(t->user_id, t->guild_id, t->item_id, update, reason);
  });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, ViewJson(*view));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run([&] {
    return api.communities->stickers.Delete(t->user_id, t->guild_id, t->item_id, reason);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// /stickers/{id}: the sticker object (an account needed); /stickers/{id}.{ext}: its image, public,
// whatever the extension asks for. A sticker's image never changes, so its id is its validator.
Awaitable StickerOrImage(Api& api, Context& ctx) {
  const std::string_view file = ctx.Param("file");
  const auto dot = file.find('.');
  auto id = domain::ParseSnowflake(file.substr(0, dot));
  if (dot == std::string_view::npos) {
    auto who = co_await Authenticate(api, ctx.request);
    if (!who) co_return ErrorResponse(who.error());
    if (!id) co_return ErrorResponse(store::UnknownSticker());
    auto sticker = co_await api.db.Run([&] { return api.communities->stickers.Find(*id); });
    if (!sticker) co_return ErrorResponse(sticker.error());
    co_return Response::Json(200, service::StickerJson(*sticker, nullptr));
  }
  if (!id) co_return ErrorResponse(Error::NotFound("404: Not Found"));
  const std::string etag = "\"" + domain::ToString(*id) + "\"";
  if (ctx.request.Header("if-none-match") == etag) co_return Response::NotModified(etag);
  auto image = co_await api.db.Run([&] { return api.communities->stickers.Image(*id); });
  if (!image) co_return ErrorResponse(image.error());
  co_return Response::Image(std::move(image->bytes), std::move(image->content_type), etag);
}

}  // namespace

void AddStickerRoutes(Router& router, Api& api) {
  constexpr const char* kList = "/guilds/{guild_id}/stickers";
  constexpr const char* kOne = "/guilds/{guild_id}/stickers/{sticker_id}";
  router.Add("GET", kList, [&api](Context& c) { return List(api, c); });
  router.Add("POST", kList, [&api](Context& c) { return Create(api, c); });
  router.Add("GET", kOne, [&api](Context& c) { return Get(api, c); });
  router.Add("PATCH", kOne, [&api](Context& c) { return Modify(api, c); });
  router.Add("DELETE", kOne, [&api](Context& c) { return Delete(api, c); });
  router.Add("GET", "/stickers/{file}", [&api](Context& c) { return StickerOrImage(api, c); });
}

}  // namespace chat::http
