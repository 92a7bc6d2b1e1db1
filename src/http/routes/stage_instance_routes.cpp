// http/routes/stage_instance_routes.cpp — live stages (/stage-instances[/{channel_id}]). Glue
// only: StageInstanceService holds the rules.
#include <boost/json.hpp>

#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/stage_instance_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

struct Target {
  Snowflake user_id = 0;
  Snowflake channel_id = 0;
};

boost::asio::awaitable<Result<Target>> Resolve(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  auto channel = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel) co_return channel.error();
  co_return Target{who->user_id, *channel};
}

// PUBLIC (1) is deprecated on Discord: GUILD_ONLY is the only privacy level taken.
void OnlyGuildOnly(CommunityFields& fields) {
  (void)fields.Int("privacy_level", domain::kStagePrivacyGuildOnly, domain::kStagePrivacyGuildOnly);
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto channel = fields.Id("channel_id");
  if (const auto* raw = body->if_contains("channel_id"); !raw || raw->is_null()) {
    fields.Add("channel_id", "BASE_TYPE_REQUIRED", "This field is required");
  }
  auto topic = fields.String("topic", true, 4 * 120);
  OnlyGuildOnly(fields);
  (void)fields.Bool("send_start_notification");  // nobody is notified here; its type is checked
  auto event = fields.Id("guild_scheduled_event_id");
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  const service::StageInput input{*channel, std::move(*topic), event.value_or(0)};
  auto reason = AuditLogReason(ctx.request);
  auto stage = co_await api.db.Run(
      [&] { return api.communities->stages.Create(who->user_id, input, reason); });
  if (!stage) co_return ErrorResponse(stage.error());
  co_return Response::Json(200, service::StageInstanceJson(*stage));
}

Awaitable Get(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx);
  if (!t) co_return ErrorResponse(t.error());
  auto stage =
      co_await api.db.Run([&] { return api.communities->stages.Get(t->user_id, t->channel_id); });
  if (!stage) co_return ErrorResponse(stage.error());
  co_return Response::Json(200, service::StageInstanceJson(*stage));
}

Awaitable Modify(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto topic = fields.String("topic", false, 4 * 120);
  OnlyGuildOnly(fields);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto stage = co_await api.db.Run(
      [&] { return api.communities->stages.Modify(t->user_id, t->channel_id, topic, reason); });
  if (!stage) co_return ErrorResponse(stage.error());
  co_return Response::Json(200, service::StageInstanceJson(*stage));
}

Awaitable Delete(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx);
  if (!t) co_return ErrorResponse(t.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.communities->stages.Delete(t->user_id, t->channel_id, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddStageInstanceRoutes(Router& router, Api& api) {
  router.Add("POST", "/stage-instances", [&api](Context& c) { return Create(api, c); });
  router.Add("GET", "/stage-instances/{channel_id}", [&api](Context& c) { return Get(api, c); });
  router.Add("PATCH", "/stage-instances/{channel_id}",
             [&api](Context& c) { return Modify(api, c); });
  router.Add("DELETE", "/stage-instances/{channel_id}",
             [&api](Context& c) { return Delete(api, c); });
}

}  // namespace chat::http
