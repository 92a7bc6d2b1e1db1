// http/routes/member_routes.cpp — /guilds/{guild_id}/members…: list, search, get, modify
// (including /members/@me), one-role add/remove and kick. Glue only: MemberService holds the
// permission and hierarchy rules.
#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/json/time_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/member_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

// "@me" names the caller, as Discord allows on member routes.
Result<Snowflake> TargetId(const Context& ctx, Snowflake self) {
  if (ctx.Param("user_id") == "@me") return self;
  return PathId(ctx, "user_id", store::UnknownMember());
}

Response MemberList(const std::vector<service::MemberView>& members) {
  json::array out;
  for (const auto& m : members) out.push_back(domain::json::MemberJson(m.member, m.user));
  return Response::Json(200, out);
}

Awaitable List(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto limit = QueryInt(ctx, "limit", 1, 1, store::kMaxMemberPage);
  if (!limit) co_return ErrorResponse(limit.error());
  auto after = QueryId(ctx, "after");
  if (!after) co_return ErrorResponse(after.error());
  auto list = co_await api.db.Run(
      [&] { return api.communities->members.List(who->user_id, *id, *after, *limit); });
  if (!list) co_return ErrorResponse(list.error());
  co_return MemberList(*list);
}

Awaitable Search(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto limit = QueryInt(ctx, "limit", 1, 1, store::kMaxMemberPage);
  if (!limit) co_return ErrorResponse(limit.error());
  auto query = ctx.request.Query("query");
  if (!query || query->size() > 100) {
    Error e = Error::Validation("Invalid Form Body",
                                {{"query", "BASE_TYPE_REQUIRED", "This field is required"}});
    co_return ErrorResponse(e);
  }
  auto list = co_await api.db.Run(
      [&] { return api.communities->members.Search(who->user_id, *id, *query, *limit); });
  if (!list) co_return ErrorResponse(list.error());
  co_return MemberList(*list);
}

// GET /guilds/{guild_id}/members/{user_id}, and with `own` Discord's
// GET /users/@me/guilds/{guild_id}/member (the caller's own member object).
Awaitable Get(Api& api, Context& ctx, bool own) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto target = own ? Result<Snowflake>(who->user_id) : TargetId(ctx, who->user_id);
  if (!target) co_return ErrorResponse(target.error());
  auto m =
      co_await api.db.Run([&] { return api.communities->members.Get(who->user_id, *id, *target); });
  if (!m) co_return ErrorResponse(m.error());
  co_return Response::Json(200, domain::json::MemberJson(m->member, m->user));
}

Awaitable Patch(Api& api, Context& ctx, bool me_route) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  Result<Snowflake> target = who->user_id;
  if (!me_route) target = TargetId(ctx, who->user_id);
  if (!target) co_return ErrorResponse(target.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  service::MemberPatch patch;
  patch.nick = fields.NullableString("nick", 256);
  if (!me_route) {
    patch.roles = fields.Ids("roles");
    auto until = fields.NullableString("communication_disabled_until", 64);
    if (until) {
      if (!*until) {
        patch.communication_disabled_until_ms = std::optional<std::int64_t>();
      } else if (auto ms = domain::json::ParseIsoTimestamp(**until)) {
        patch.communication_disabled_until_ms = std::optional<std::int64_t>(*ms);
      } else {
        fields.Add("communication_disabled_until", "DATE_TIME_INVALID",
                   "Could not parse the timestamp.");
      }
    }
  }
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto m = co_await api.db.Run(
      [&] { return api.communities->members.Update(who->user_id, *id, *target, patch, reason); });
  if (!m) co_return ErrorResponse(m.error());
  co_return Response::Json(200, domain::json::MemberJson(m->member, m->user));
}

Awaitable ChangeRole(Api& api, Context& ctx, bool add) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto target = TargetId(ctx, who->user_id);
  if (!target) co_return ErrorResponse(target.error());
  auto role_id = PathId(ctx, "role_id", store::UnknownRole());
  if (!role_id) co_return ErrorResponse(role_id.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run([&] {
    return add ? api.communities->members.AddRole(who->user_id, *id, *target, *role_id, reason)
               : api.communities->members.RemoveRole(who->user_id, *id, *target, *role_id, reason);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable Kick(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto target = TargetId(ctx, who->user_id);
  if (!target) co_return ErrorResponse(target.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->members.Kick(who->user_id, *id, *target, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddMemberRoutes(Router& router, Api& api) {
  // Literal segments first: the router takes the first template that matches.
  router.Add("GET", "/guilds/{guild_id}/members/search",
             [&api](Context& c) { return Search(api, c); });
  router.Add("PATCH", "/guilds/{guild_id}/members/@me",
             [&api](Context& c) { return Patch(api, c, true); });
  // Discord's older route for one's own nickname, which discord.py 2.2 still uses.
  router.Add("PATCH", "/guilds/{guild_id}/members/@me/nick",
             [&api](Context& c) { return Patch(api, c, true); });
  router.Add("GET", "/guilds/{guild_id}/members", [&api](Context& c) { return List(api, c); });
  router.Add("GET", "/guilds/{guild_id}/members/{user_id}",
             [&api](Context& c) { return Get(api, c, false); });
  router.Add("GET", "/users/@me/guilds/{guild_id}/member",
             [&api](Context& c) { return Get(api, c, true); });
  router.Add("PATCH", "/guilds/{guild_id}/members/{user_id}",
             [&api](Context& c) { return Patch(api, c, false); });
  router.Add("DELETE", "/guilds/{guild_id}/members/{user_id}",
             [&api](Context& c) { return Kick(api, c); });
  router.Add("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
             [&api](Context& c) { return ChangeRole(api, c, true); });
  router.Add("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
             [&api](Context& c) { return ChangeRole(api, c, false); });
}

}  // namespace chat::http
