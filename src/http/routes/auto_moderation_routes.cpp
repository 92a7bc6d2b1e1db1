// http/routes/auto_moderation_routes.cpp — a guild's auto moderation rules
// (/guilds/{guild_id}/auto-moderation/rules[/{rule_id}]). Glue only: AutoModerationService holds
// the rules, domain/json/auto_moderation_json their shape.
#include <boost/json.hpp>

#include "domain/json/auto_moderation_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/guild_target.hpp"
#include "http/routes/routes.hpp"
#include "store/auto_moderation_store.hpp"

namespace chat::http {
namespace {
using Awaitable = boost::asio::awaitable<Response>;

boost::asio::awaitable<Result<GuildTarget>> Resolve(Api& api, Context& ctx, bool with_rule) {
  static const Error kUnknown = store::UnknownAutoModRule();
  return with_rule ? ResolveGuildTarget(api, ctx, "rule_id", &kUnknown)
                   : ResolveGuildTarget(api, ctx);
}

Awaitable List(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto rules =
      co_await api.db.Run([&] { return api.communities->automod.List(t->user_id, t->guild_id); });
  if (!rules) co_return ErrorResponse(rules.error());
  boost::json::array out;
  for (const auto& r : *rules) out.push_back(domain::json::AutoModRuleJson(r));
  co_return Response::Json(200, out);
}

Awaitable Get(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto rule = co_await api.db.Run(
      [&] { return api.communities->automod.Get(t->user_id, t->guild_id, t->item_id); });
  if (!rule) co_return ErrorResponse(rule.error());
  co_return Response::Json(200, domain::json::AutoModRuleJson(*rule));
}

Awaitable Create(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto reason = AuditLogReason(ctx.request);
  auto rule = co_await api.db.Run(
      [&] { return api.communities->automod.Create(t->user_id, t->guild_id, *body, reason); });
  if (!rule) co_return ErrorResponse(rule.error());
  co_return Response::Json(200, domain::json::AutoModRuleJson(*rule));
}

Awaitable Modify(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto reason = AuditLogReason(ctx.request);
  auto rule = co_await api.db.Run([&] {
    return api.communities->automod.Modify(t->user_id, t->guild_id, t->item_id, *body, reason);
  });
  if (!rule) co_return ErrorResponse(rule.error());
  co_return Response::Json(200, domain::json::AutoModRuleJson(*rule));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->automod.Delete(t->user_id, t->guild_id, t->item_id, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddAutoModerationRoutes(Router& router, Api& api) {
  constexpr const char* kRules = "/guilds/{guild_id}/auto-moderation/rules";
  constexpr const char* kRule = "/guilds/{guild_id}/auto-moderation/rules/{rule_id}";
  router.Add("GET", kRules, [&api](Context& c) { return List(api, c); });
  router.Add("POST", kRules, [&api](Context& c) { return Create(api, c); });
  router.Add("GET", kRule, [&api](Context& c) { return Get(api, c); });
  router.Add("PATCH", kRule, [&api](Context& c) { return Modify(api, c); });
  router.Add("DELETE", kRule, [&api](Context& c) { return Delete(api, c); });
}

}  // namespace chat::http
