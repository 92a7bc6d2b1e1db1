// http/routes/webhook_routes.cpp — webhooks: /channels/{channel_id}/webhooks,
// /guilds/{guild_id}/webhooks, /webhooks/{webhook_id} (a member with MANAGE_WEBHOOKS) and
// /webhooks/{webhook_id}/{webhook_token} (whoever holds the token: no Authorization), executing
// one with a message as JSON or multipart, and its own messages. Glue only: WebhookService.
#include <boost/json.hpp>

#include "domain/json/webhook_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/interaction_routes.hpp"
#include "http/routes/message_body.hpp"
#include "http/routes/routes.hpp"
#include "service/webhook_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

// With an incoming webhook's token comes Discord's `url`: where it is executed, on this server.
json::object WebhookJson(const Api& api, const service::WebhookView& v) {
  json::object o = domain::json::WebhookJson(v.webhook, v.creator ? &*v.creator : nullptr,
                                             /*with_token=*/true, v.source ? &*v.source : nullptr);
  if (v.webhook.type == domain::kWebhookIncoming) {
    o["url"] =
        api.public_url + "/api/webhooks/" + domain::ToString(v.webhook.id) + "/" + v.webhook.token;
  }
  return o;
}

Response WebhookList(const Api& api, const std::vector<service::WebhookView>& views) {
  json::array out;
  for (const auto& v : views) out.push_back(WebhookJson(api, v));
  return Response::Json(200, out);
}

Result<service::WebhookInput> ReadWebhookInput(const Request& request, bool allow_channel) {
  auto body = ReadObject(request);
  if (!body) return body.error();
  CommunityFields fields(*body);
  service::WebhookInput input;
  input.name = fields.String("name", false, 512);
  input.avatar = fields.NullableString("avatar", 1 << 16);
  if (allow_channel) input.channel_id = fields.Id("channel_id");
  if (auto r = fields.Finish(); !r) return r.error();
  return input;
}

Result<Snowflake> WebhookParam(const Context& ctx) {
  return PathId(ctx, "webhook_id", store::UnknownWebhook());
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel) co_return ErrorResponse(channel.error());
  auto input = ReadWebhookInput(ctx.request, false);
  if (!input) co_return ErrorResponse(input.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.webhooks->Create(who->user_id, *channel, *input, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, WebhookJson(api, *view));
}

// POST /channels/{channel_id}/followers {webhook_channel_id}: Discord's followed channel object.
Awaitable Follow(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel) co_return ErrorResponse(channel.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto target = fields.Id("webhook_channel_id");
  const auto* given = body->if_contains("webhook_channel_id");
  if (!given || given->is_null()) {
    fields.Add("webhook_channel_id", "BASE_TYPE_REQUIRED", "This field is required");
  }
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto follower = co_await api.db.Run(
      [&] { return api.webhooks->Follow(who->user_id, *channel, *target, reason); });
  if (!follower) co_return ErrorResponse(follower.error());
  co_return Response::Json(200, json::object{{"channel_id", domain::ToString(*channel)},
                                             {"webhook_id", domain::ToString(follower->id)}});
}

Awaitable ListChannel(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel) co_return ErrorResponse(channel.error());
  auto views =
      co_await api.db.Run([&] { return api.webhooks->ListChannel(who->user_id, *channel); });
  if (!views) co_return ErrorResponse(views.error());
  co_return WebhookList(api, *views);
}

Awaitable ListGuild(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto guild = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!guild) co_return ErrorResponse(guild.error());
  auto views = co_await api.db.Run([&] { return api.webhooks->ListGuild(who->user_id, *guild); });
  if (!views) co_return ErrorResponse(views.error());
  co_return WebhookList(api, *views);
}

// Who acts on /webhooks/{webhook_id}[/{webhook_token}]: a signed-in user, or the token's holder.
struct Holder {
  std::optional<Snowflake> user_id;
  std::optional<std::string> token;
};

boost::asio::awaitable<Result<Holder>> HolderOf(Api& api, Context& ctx, bool with_token) {
  if (with_token) co_return Holder{std::nullopt, std::string(ctx.Param("webhook_token"))};
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  co_return Holder{who->user_id, std::nullopt};
}

Awaitable Get(Api& api, Context& ctx, bool with_token) {
  auto id = WebhookParam(ctx);
  if (!id) co_return ErrorResponse(id.error());
  auto holder = co_await HolderOf(api, ctx, with_token);
  if (!holder) co_return ErrorResponse(holder.error());
  auto view =
      co_await api.db.Run([&] { return api.webhooks->Get(holder->user_id, *id, holder->token); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, WebhookJson(api, *view));
}

Awaitable Modify(Api& api, Context& ctx, bool with_token) {
  auto id = WebhookParam(ctx);
  if (!id) co_return ErrorResponse(id.error());
  auto holder = co_await HolderOf(api, ctx, with_token);
  if (!holder) co_return ErrorResponse(holder.error());
  auto input = ReadWebhookInput(ctx.request, true);
  if (!input) co_return ErrorResponse(input.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run(
      [&] { return api.webhooks->Modify(holder->user_id, *id, *input, holder->token, reason); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, WebhookJson(api, *view));
}

Awaitable Delete(Api& api, Context& ctx, bool with_token) {
  auto id = WebhookParam(ctx);
  if (!id) co_return ErrorResponse(id.error());
  auto holder = co_await HolderOf(api, ctx, with_token);
  if (!holder) co_return ErrorResponse(holder.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.webhooks->Delete(holder->user_id, *id, holder->token, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// The webhook of /webhooks/{webhook_id}/{webhook_token}, checked on the db pool.
boost::asio::awaitable<Result<domain::Webhook>> TokenWebhook(Api& api, Context& ctx) {
  auto id = WebhookParam(ctx);
  if (!id) co_return id.error();
  const std::string token(ctx.Param("webhook_token"));
  co_return co_await api.db.Run([&] { return api.webhooks->ByToken(*id, token); });
}

// Discord's `wait`: true answers with the message, otherwise 204 once it is sent. Spelled as
// Discord takes it: discord.py sends 1/0, Python's str() True/False.
Result<bool> WaitParam(const Request& request) {
  auto wait = request.Query("wait");
  if (!wait || *wait == "false" || *wait == "False" || *wait == "0") return false;
  if (*wait == "true" || *wait == "True" || *wait == "1") return true;
  return Error::Validation("Invalid Form Body",
                           {{"wait", "BASE_TYPE_BOOLEAN", "Must be either true or false."}});
}

// Discord's ?thread_id=: a thread of the webhook's channel to act in.
Result<std::optional<Snowflake>> ThreadParam(const Request& request) {
  auto raw = request.Query("thread_id");
  if (!raw) return std::optional<Snowflake>();
  auto id = domain::ParseSnowflake(*raw);
  if (!id) return store::UnknownChannel();
  return std::optional<Snowflake>(*id);
}

Awaitable Execute(Api& api, Context& ctx) {
  auto wait = WaitParam(ctx.request);
  if (!wait) co_return ErrorResponse(wait.error());
  auto thread_id = ThreadParam(ctx.request);
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto webhook = co_await TokenWebhook(api, ctx);
  if (!webhook) co_return ErrorResponse(webhook.error());
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto input = ParseMessageInput(body->object);
  if (!input) co_return ErrorResponse(input.error());
  input->files = std::move(body->files);
  CommunityFields fields(body->object);
  service::WebhookPost post;
  post.username = fields.String("username", false, 512);
  post.avatar_url = fields.String("avatar_url", false, 4096);
  post.thread_id = *thread_id;
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto view = co_await api.db.Run([&] { return api.webhooks->Execute(*webhook, post, *input); });
  if (!view) co_return ErrorResponse(view.error());
  if (!*wait) co_return Response::NoContent();
  co_return Response::Json(200, view->json);
}

Awaitable GetMessage(Api& api, Context& ctx) {
  auto webhook = co_await TokenWebhook(api, ctx);
  if (!webhook) co_return ErrorResponse(webhook.error());
  auto thread_id = ThreadParam(ctx.request);
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto message = PathId(ctx, "message_id", store::UnknownMessage());
  if (!message) co_return ErrorResponse(message.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->GetAsWebhook(*webhook, *message, *thread_id); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable EditMessage(Api& api, Context& ctx) {
  auto webhook = co_await TokenWebhook(api, ctx);
  if (!webhook) co_return ErrorResponse(webhook.error());
  auto thread_id = ThreadParam(ctx.request);
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto message = PathId(ctx, "message_id", store::UnknownMessage());
  if (!message) co_return ErrorResponse(message.error());
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto edit = ParseMessageEdit(*body);
  if (!edit) co_return ErrorResponse(edit.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->EditAsWebhook(*webhook, *message, *edit, *thread_id); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable DeleteMessage(Api& api, Context& ctx) {
  auto webhook = co_await TokenWebhook(api, ctx);
  if (!webhook) co_return ErrorResponse(webhook.error());
  auto thread_id = ThreadParam(ctx.request);
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto message = PathId(ctx, "message_id", store::UnknownMessage());
  if (!message) co_return ErrorResponse(message.error());
  auto done = co_await api.db.Run(
      [&] { return api.messages->DeleteAsWebhook(*webhook, *message, *thread_id); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddWebhookRoutes(Router& router, Api& api) {
  router.Add("POST", "/channels/{channel_id}/webhooks",
             [&api](Context& c) { return Create(api, c); });
  router.Add("POST", "/channels/{channel_id}/followers",
             [&api](Context& c) { return Follow(api, c); });
  router.Add("GET", "/channels/{channel_id}/webhooks",
             [&api](Context& c) { return ListChannel(api, c); });
  router.Add("GET", "/guilds/{guild_id}/webhooks",
             [&api](Context& c) { return ListGuild(api, c); });
  router.Add("GET", "/webhooks/{webhook_id}", [&api](Context& c) { return Get(api, c, false); });
  router.Add("PATCH", "/webhooks/{webhook_id}",
             [&api](Context& c) { return Modify(api, c, false); });
  router.Add("DELETE", "/webhooks/{webhook_id}",
             [&api](Context& c) { return Delete(api, c, false); });
  router.Add("GET", "/webhooks/{webhook_id}/{webhook_token}",
             [&api](Context& c) { return Get(api, c, true); });
  router.Add("PATCH", "/webhooks/{webhook_id}/{webhook_token}",
             [&api](Context& c) { return Modify(api, c, true); });
  router.Add("DELETE", "/webhooks/{webhook_id}/{webhook_token}",
             [&api](Context& c) { return Delete(api, c, true); });
  router.Add("POST", "/webhooks/{webhook_id}/{webhook_token}", [&api](Context& c) {
    return IsInteractionToken(c.Param("webhook_token")) ? InteractionFollowup(api, c)
                                                        : Execute(api, c);
  });
  router.Add(
      "GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", [&api](Context& c) {
        return IsInteractionToken(c.Param("webhook_token")) ? InteractionResponse(api, c, 'G')
                                                            : GetMessage(api, c);
      });
  router.Add(
      "PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", [&api](Context& c) {
        return IsInteractionToken(c.Param("webhook_token")) ? InteractionResponse(api, c, 'P')
                                                            : EditMessage(api, c);
      });
  router.Add(
      "DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", [&api](Context& c) {
        return IsInteractionToken(c.Param("webhook_token")) ? InteractionResponse(api, c, 'D')
                                                            : DeleteMessage(api, c);
      });
}

}  // namespace chat::http
