// http/routes/invite_routes.cpp — invites (/channels/{id}/invites, /guilds/{id}/invites,
// /invites/{code}; GET of a code needs no auth) and bans (/guilds/{id}/bans…). Glue only:
// InviteService holds the rules.
#include <cctype>

#include <boost/json.hpp>

#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/invite_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

json::object InviteJson(const service::InviteView& v, bool metadata) {
  const auto& g = v.guild;
  json::object guild{{"id", domain::ToString(g.id)},
                     {"name", g.name},
                     {"icon", g.icon ? json::value(*g.icon) : nullptr},
                     {"splash", nullptr},
                     {"banner", nullptr},
                     {"description", g.description ? json::value(*g.description) : nullptr},
                     {"features", json::array()},
                     {"verification_level", g.verification_level},
                     {"nsfw_level", 0},
                     {"premium_subscription_count", 0}};
  json::object o{{"type", 0},
                 {"code", v.invite.code},
                 {"guild", std::move(guild)},
                 {"channel", json::object{{"id", domain::ToString(v.channel.id)},
                                          {"name", v.channel.name},
                                          {"type", static_cast<int>(v.channel.type)}}}};
  o["guild_id"] = domain::ToString(g.id);
  if (v.inviter) o["inviter"] = domain::json::UserJson(*v.inviter);
  o["expires_at"] = v.invite.max_age > 0
                        ? json::value(domain::json::IsoTimestamp(
                              v.invite.created_at_ms + std::int64_t{v.invite.max_age} * 1000))
                        : nullptr;
  if (v.member_count) {
    o["approximate_member_count"] = *v.member_count;
    o["approximate_presence_count"] = v.presence_count.value_or(0);
  }
  if (metadata) {
    o["uses"] = v.invite.uses;
    o["max_uses"] = v.invite.max_uses;
    o["max_age"] = v.invite.max_age;
    o["temporary"] = v.invite.temporary;
    o["created_at"] = domain::json::IsoTimestamp(v.invite.created_at_ms);
  }
  return o;
}

Response InviteList(const std::vector<service::InviteView>& list) {
  json::array out;
  for (const auto& v : list) out.push_back(InviteJson(v, true));
  return Response::Json(200, out);
}

// Codes are short ASCII; anything else cannot exist.
Result<std::string> Code(const Context& ctx) {
  std::string code(ctx.Param("code"));
  if (code.empty() || code.size() > 32) return store::UnknownInvite();
  for (char c : code) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return store::UnknownInvite();
    }
  }
  return code;
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  json::object empty;
  Result<json::object> body = empty;
  if (!ctx.request.body.empty()) body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  service::InviteInput input;
  input.max_age = fields.Int("max_age", 0, 604800).value_or(86400);
  input.max_uses = fields.Int("max_uses", 0, 100).value_or(0);
  input.temporary = fields.Bool("temporary").value_or(false);
  input.unique = fields.Bool("unique").value_or(false);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.communities->invites.Create(who->user_id, *id, input, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, InviteJson(*view, true));
}

Awaitable Get(Api& api, Context& ctx) {
  auto code = Code(ctx);
  if (!code) co_return ErrorResponse(code.error());
  const bool counts = QueryFlag(ctx, "with_counts");
  auto view = co_await api.db.Run([&] { return api.communities->invites.Get(*code, counts); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, InviteJson(*view, false));
}

Awaitable Join(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto code = Code(ctx);
  if (!code) co_return ErrorResponse(code.error());
  auto view =
      co_await api.db.Run([&] { return api.communities->invites.Join(who->user_id, *code); });
  if (!view) co_return ErrorResponse(view.error());
  json::object o = InviteJson(*view, false);
  o["new_member"] = true;
  co_return Response::Json(200, o);
}

Awaitable Delete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto code = Code(ctx);
  if (!code) co_return ErrorResponse(code.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.communities->invites.Delete(who->user_id, *code, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, InviteJson(*view, true));
}

Awaitable ListChannel(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->invites.ListChannel(who->user_id, *id); });
  if (!list) co_return ErrorResponse(list.error());
  co_return InviteList(*list);
}

Awaitable ListGuild(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->invites.ListGuild(who->user_id, *id); });
  if (!list) co_return ErrorResponse(list.error());
  co_return InviteList(*list);
}

json::object BanJson(const service::BanView& b) {
  return {{"reason", b.ban.reason ? json::value(*b.ban.reason) : nullptr},
          {"user", domain::json::UserJson(b.user)}};
}

Awaitable PutBan(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto target = PathId(ctx, "user_id", store::UnknownUser());
  if (!target) co_return ErrorResponse(target.error());
  json::object empty;
  Result<json::object> body = empty;
  if (!ctx.request.body.empty()) body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  int delete_seconds = fields.Int("delete_message_seconds", 0, 604800).value_or(0);
  // The deprecated day count still arrives from older clients.
  if (auto days = fields.Int("delete_message_days", 0, 7)) delete_seconds = *days * 86400;
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run([&] {
    return api.communities->invites.Ban(who->user_id, *id, *target, reason, delete_seconds);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// POST /guilds/{guild_id}/bulk-ban {user_ids, delete_message_seconds}.
Awaitable BulkBan(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto targets = fields.Ids("user_ids");
  const int delete_seconds = fields.Int("delete_message_seconds", 0, 604800).value_or(0);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  if (!targets) {
    co_return ErrorResponse(Error::Validation(
        "Invalid Form Body", {{"user_ids", "BASE_TYPE_REQUIRED", "This field is required"}}));
  }
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run([&] {
    return api.communities->invites.BulkBan(who->user_id, *id, *targets, reason, delete_seconds);
  });
  if (!done) co_return ErrorResponse(done.error());
  json::array banned, failed;
  for (const auto u : done->banned) banned.push_back(json::string(domain::ToString(u)));
  for (const auto u : done->failed) failed.push_back(json::string(domain::ToString(u)));
  co_return Response::Json(
      200, json::object{{"banned_users", std::move(banned)}, {"failed_users", std::move(failed)}});
}

Awaitable DeleteBan(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto target = PathId(ctx, "user_id", store::UnknownBan());
  if (!target) co_return ErrorResponse(target.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->invites.Unban(who->user_id, *id, *target, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable GetBan(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto target = PathId(ctx, "user_id", store::UnknownBan());
  if (!target) co_return ErrorResponse(target.error());
  auto ban = co_await api.db.Run(
      [&] { return api.communities->invites.GetBan(who->user_id, *id, *target); });
  if (!ban) co_return ErrorResponse(ban.error());
  co_return Response::Json(200, BanJson(*ban));
}

Awaitable ListBans(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto limit = QueryInt(ctx, "limit", 1000, 1, 1000);
  if (!limit) co_return ErrorResponse(limit.error());
  auto after = QueryId(ctx, "after");
  if (!after) co_return ErrorResponse(after.error());
  auto list = co_await api.db.Run(
      [&] { return api.communities->invites.ListBans(who->user_id, *id, *after, *limit); });
  if (!list) co_return ErrorResponse(list.error());
  json::array out;
  for (const auto& b : *list) out.push_back(BanJson(b));
  co_return Response::Json(200, out);
}

}  // namespace

void AddInviteRoutes(Router& router, Api& api) {
  router.Add("POST", "/channels/{channel_id}/invites",
             [&api](Context& c) { return Create(api, c); });
  router.Add("GET", "/channels/{channel_id}/invites",
             [&api](Context& c) { return ListChannel(api, c); });
  router.Add("GET", "/guilds/{guild_id}/invites", [&api](Context& c) { return ListGuild(api, c); });
  router.Add("GET", "/invites/{code}", [&api](Context& c) { return Get(api, c); });
  router.Add("POST", "/invites/{code}", [&api](Context& c) { return Join(api, c); });
  router.Add("DELETE", "/invites/{code}", [&api](Context& c) { return Delete(api, c); });
  router.Add("GET", "/guilds/{guild_id}/bans", [&api](Context& c) { return ListBans(api, c); });
  router.Add("GET", "/guilds/{guild_id}/bans/{user_id}",
             [&api](Context& c) { return GetBan(api, c); });
  router.Add("PUT", "/guilds/{guild_id}/bans/{user_id}",
             [&api](Context& c) { return PutBan(api, c); });
  router.Add("DELETE", "/guilds/{guild_id}/bans/{user_id}",
             [&api](Context& c) { return DeleteBan(api, c); });
  router.Add("POST", "/guilds/{guild_id}/bulk-ban", [&api](Context& c) { return BulkBan(api, c); });
}

}  // namespace chat::http
