// http/routes/audit_log_routes.cpp — GET /guilds/{guild_id}/audit-logs (user_id, action_type,
// before, after, limit) and the X-Audit-Log-Reason reader the other community routes use. Glue
// only: AuditLogService holds the rules.
#include "http/routes/audit_log_reason.hpp"

#include <boost/json.hpp>

#include "domain/audit_log.hpp"
#include "domain/json/audit_log_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/json/webhook_json.hpp"
#include "domain/validation.hpp"
#include "http/error_response.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/routes.hpp"
#include "service/audit_log_service.hpp"
#include "store/errors.hpp"

namespace chat::http {

std::optional<std::string> AuditLogReason(const Request& request) {
  auto header = request.Header("x-audit-log-reason");
  if (!header) return std::nullopt;
  std::string reason = PercentDecode(*header, false);
  if (!domain::IsValidUtf8(reason) || domain::ContainsNul(reason)) return std::nullopt;
  std::size_t points = 0;
  for (std::size_t i = 0; i < reason.size(); ++i) {
    if ((reason[i] & 0xC0) == 0x80) continue;
    if (points++ == domain::kAuditLogReasonMax) {
      reason.resize(i);
      break;
    }
  }
  if (reason.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  return reason;
}

namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;

// The highest action type Discord defines is below this; larger values cannot match anything.
constexpr int kMaxActionType = 255;

Awaitable List(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  store::AuditLogQuery query;
  query.guild_id = *id;
  auto limit = QueryInt(ctx, "limit", 50, 1, store::kMaxAuditLogPage);
  if (!limit) co_return ErrorResponse(limit.error());
  query.limit = *limit;
  auto action = QueryInt(ctx, "action_type", 0, 1, kMaxActionType);
  if (!action) co_return ErrorResponse(action.error());
  if (ctx.request.Query("action_type")) query.action_type = *action;
  auto user_id = QueryId(ctx, "user_id");
  if (!user_id) co_return ErrorResponse(user_id.error());
  auto before = QueryId(ctx, "before");
  if (!before) co_return ErrorResponse(before.error());
  auto after = QueryId(ctx, "after");
  if (!after) co_return ErrorResponse(after.error());
  // QueryId answers 0 for an absent parameter.
  if (*user_id != 0) query.user_id = *user_id;
  if (*before != 0) query.before = *before;
  if (*after != 0) query.after = *after;
  if (!api.audit_log) {
    Error e = Error::Unavailable("The audit log is not available.");
    co_return ErrorResponse(e);
  }
  auto view = co_await api.db.Run([&] { return api.audit_log->List(who->user_id, query); });
  if (!view) co_return ErrorResponse(view.error());
  json::array entries;
  for (const auto& e : view->entries) entries.push_back(domain::json::AuditLogEntryJson(e));
  json::array users;
  for (const auto& u : view->users) users.push_back(domain::json::UserJson(u));
  // Webhooks without their token: reading the audit log does not let one post as them.
  json::array webhooks;
  for (const auto& w : view->webhooks) {
    webhooks.push_back(domain::json::WebhookJson(w, nullptr, /*with_token=*/false));
  }
  json::object body{
      {"audit_log_entries", std::move(entries)}, {"users", std::move(users)},
      {"integrations", json::array()},           {"webhooks", std::move(webhooks)},
      {"guild_scheduled_events", json::array()}, {"threads", json::array()},
      {"application_commands", json::array()},   {"auto_moderation_rules", json::array()}};
  co_return Response::Json(200, body);
}

}  // namespace

void AddAuditLogRoutes(Router& router, Api& api) {
  router.Add("GET", "/guilds/{guild_id}/audit-logs", [&api](Context& c) { return List(api, c); });
}

}  // namespace chat::http
