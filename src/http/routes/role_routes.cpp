// http/routes/role_routes.cpp — /guilds/{guild_id}/roles and /guilds/{guild_id}/roles/{role_id}.
// Glue only: RoleService holds the hierarchy rules.
#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/role_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

constexpr int kMaxColor = 0xFFFFFF;

Response RoleList(const std::vector<domain::Role>& roles) {
  json::array out;
  for (const auto& r : roles) out.push_back(domain::json::RoleJson(r));
  return Response::Json(200, out);
}

Awaitable List(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto roles = co_await api.db.Run([&] { return api.communities->roles.List(who->user_id, *id); });
  if (!roles) co_return ErrorResponse(roles.error());
  co_return RoleList(*roles);
}

Awaitable GetOne(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto role_id = PathId(ctx, "role_id", store::UnknownRole());
  if (!role_id) co_return ErrorResponse(role_id.error());
  auto role =
      co_await api.db.Run([&] { return api.communities->roles.Get(who->user_id, *id, *role_id); });
  if (!role) co_return ErrorResponse(role.error());
  co_return Response::Json(200, domain::json::RoleJson(*role));
}

Awaitable MemberCounts(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto counts =
      co_await api.db.Run([&] { return api.communities->roles.MemberCounts(who->user_id, *id); });
  if (!counts) co_return ErrorResponse(counts.error());
  json::object out;
  for (const auto& [role, count] : *counts) out[domain::ToString(role)] = count;
  co_return Response::Json(200, out);
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  // Discord accepts an empty body here: every field has a default.
  json::object empty;
  Result<json::object> body = empty;
  if (!ctx.request.body.empty()) body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  service::RoleInput input;
  input.name = fields.String("name", false, 400);
  input.permissions = fields.Permissions("permissions");
  if (auto color = fields.Int("color", 0, kMaxColor)) input.color = *color;
  input.hoist = fields.Bool("hoist").value_or(false);
  input.mentionable = fields.Bool("mentionable").value_or(false);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto role = co_await api.db.Run(
      [&] { return api.communities->roles.Create(who->user_id, *id, input, reason); });
  if (!role) co_return ErrorResponse(role.error());
  co_return Response::Json(200, domain::json::RoleJson(*role));
}

Awaitable Reorder(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto body = ReadArray(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  std::vector<store::RolePosition> positions;
  for (const auto& v : *body) {
    if (!v.is_object()) {
      Error e{Errc::kValidation, "The request body contains invalid JSON.", 50109};
      co_return ErrorResponse(e);
    }
    CommunityFields fields(v.get_object());
    auto role_id = fields.Id("id");
    auto position = fields.Int("position", 0, 100000);
    if (!role_id) fields.Add("id", "BASE_TYPE_REQUIRED", "This field is required");
    if (!position) fields.Add("position", "BASE_TYPE_REQUIRED", "This field is required");
    if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
    positions.push_back({*role_id, *position});
  }
  auto roles = co_await api.db.Run(
      [&] { return api.communities->roles.SetPositions(who->user_id, *id, positions); });
  if (!roles) co_return ErrorResponse(roles.error());
  co_return RoleList(*roles);
}

Awaitable Patch(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto role_id = PathId(ctx, "role_id", store::UnknownRole());
  if (!role_id) co_return ErrorResponse(role_id.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  store::RoleUpdate update;
  update.name = fields.String("name", false, 400);
  update.permissions = fields.Permissions("permissions");
  if (auto color = fields.NullableInt("color", 0, kMaxColor)) {
    update.color = *color ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(**color))
                          : std::optional<std::uint32_t>();
  }
  update.hoist = fields.Bool("hoist");
  update.mentionable = fields.Bool("mentionable");
  update.position = fields.Int("position", 0, 100000);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto role = co_await api.db.Run([&] {
    return api.communities->roles.Update(who->user_id, *id, *role_id, std::move(update), reason);
  });
  if (!role) co_return ErrorResponse(role.error());
  co_return Response::Json(200, domain::json::RoleJson(*role));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto role_id = PathId(ctx, "role_id", store::UnknownRole());
  if (!role_id) co_return ErrorResponse(role_id.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->roles.Delete(who->user_id, *id, *role_id, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddRoleRoutes(Router& router, Api& api) {
  router.Add("GET", "/guilds/{guild_id}/roles", [&api](Context& c) { return List(api, c); });
  router.Add("POST", "/guilds/{guild_id}/roles", [&api](Context& c) { return Create(api, c); });
  router.Add("PATCH", "/guilds/{guild_id}/roles", [&api](Context& c) { return Reorder(api, c); });
  // Before {role_id}: "member-counts" is no role id.
  router.Add("GET", "/guilds/{guild_id}/roles/member-counts",
             [&api](Context& c) { return MemberCounts(api, c); });
  router.Add("GET", "/guilds/{guild_id}/roles/{role_id}",
             [&api](Context& c) { return GetOne(api, c); });
  router.Add("PATCH", "/guilds/{guild_id}/roles/{role_id}",
             [&api](Context& c) { return Patch(api, c); });
  router.Add("DELETE", "/guilds/{guild_id}/roles/{role_id}",
             [&api](Context& c) { return Delete(api, c); });
}

}  // namespace chat::http
