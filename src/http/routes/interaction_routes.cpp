// http/routes/interaction_routes.cpp — users invoking commands (POST /interactions, the route
// Discord's own client uses) and applications answering them (POST
// /interactions/{id}/{token}/callback, and the /webhooks/{application_id}/{token} routes the
// webhook routes hand over). Glue only: InteractionService holds the rules.
#include "http/routes/interaction_routes.hpp"

#include <boost/json.hpp>

#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/message_body.hpp"
#include "http/routes/routes.hpp"
#include "service/interaction_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

Error InvalidForm(const char* field, const char* message) {
  return Error::Validation("Invalid Form Body", {{field, "BASE_TYPE_INVALID", message}});
}

// Discord's "application command" interaction as a client sends it: {type: 2, application_id,
// channel_id, guild_id?, data: {id, name, options?}, nonce?}.
Result<service::Invocation> ReadInvocation(const json::object& body) {
  const auto* type = body.if_contains("type");
  if (!type || !type->is_int64() || type->as_int64() != 2) {
    return InvalidForm("type", "Only application commands (type 2) are invoked here.");
  }
  service::Invocation in;
  const auto* app = body.if_contains("application_id");
  auto app_id = app ? SnowflakeOf(*app) : std::nullopt;
  if (!app_id) return InvalidForm("application_id", "An application id is required.");
  in.application_id = *app_id;
  const auto* channel = body.if_contains("channel_id");
  auto channel_id = channel ? SnowflakeOf(*channel) : std::nullopt;
  if (!channel_id) return InvalidForm("channel_id", "A channel id is required.");
  in.channel_id = *channel_id;
  if (const auto* guild = body.if_contains("guild_id"); guild && !guild->is_null()) {
    in.guild_id = SnowflakeOf(*guild);
    if (!in.guild_id) return InvalidForm("guild_id", "Not an id.");
  }
  const auto* data = body.if_contains("data");
  if (!data || !data->is_object()) return InvalidForm("data", "The command is required.");
  const auto& d = data->as_object();
  const auto* id = d.if_contains("id");
  auto command_id = id ? SnowflakeOf(*id) : std::nullopt;
  if (!command_id) return InvalidForm("data.id", "A command id is required.");
  in.command_id = *command_id;
  const auto* name = d.if_contains("name");
  if (!name || !name->is_string()) return InvalidForm("data.name", "A command name is required.");
  in.command_name = std::string(name->as_string());
  if (const auto* options = d.if_contains("options")) in.options = *options;
  if (const auto* target = d.if_contains("target_id"); target && !target->is_null()) {
    in.target_id = SnowflakeOf(*target);
    if (!in.target_id) return InvalidForm("data.target_id", "Not an id.");
  }
  return in;
}

Awaitable Invoke(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  if (who->bot) co_return ErrorResponse(Error::Forbidden("Bots cannot use this endpoint", 20001));
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto in = ReadInvocation(*body);
  if (!in) co_return ErrorResponse(in.error());
  auto id = co_await api.db.Run([&] { return api.interactions->Invoke(who->user_id, *in); });
  if (!id) co_return ErrorResponse(id.error());
  co_return Response::NoContent();
}

// The interaction of /interactions/{interaction_id}/{interaction_token} or of
// /webhooks/{application_id}/{webhook_token}.
boost::asio::awaitable<Result<store::Interaction>> FromPath(Api& api, Context& ctx, bool webhook) {
  std::optional<Snowflake> app, id;
  std::string token;
  if (webhook) {
    app = domain::ParseSnowflake(ctx.Param("webhook_id"));
    if (!app) co_return store::UnknownInteraction();
    token = std::string(ctx.Param("webhook_token"));
  } else {
    id = domain::ParseSnowflake(ctx.Param("interaction_id"));
    if (!id) co_return store::UnknownInteraction();
    token = std::string(ctx.Param("interaction_token"));
  }
  co_return co_await api.db.Run([&] { return api.interactions->ByToken(app, id, token); });
}

Awaitable Callback(Api& api, Context& ctx) {
  auto interaction = co_await FromPath(api, ctx, false);
  if (!interaction) co_return ErrorResponse(interaction.error());
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  const auto* type = body->object.if_contains("type");
  if (!type || !type->is_int64() || (type->as_int64() != 4 && type->as_int64() != 5)) {
    co_return ErrorResponse(
        InvalidForm("type", "A command is answered with a message (4) or a deferred message (5)."));
  }
  service::MessageInput input;
  if (const auto* data = body->object.if_contains("data"); data && data->is_object()) {
    auto parsed = ParseMessageInput(data->as_object());
    if (!parsed) co_return ErrorResponse(parsed.error());
    input = std::move(*parsed);
  } else if (type->as_int64() == 4) {
    co_return ErrorResponse(InvalidForm("data", "The message is required."));
  }
  input.files = std::move(body->files);
  const auto kind = static_cast<service::ResponseType>(type->as_int64());
  auto done =
      co_await api.db.Run([&] { return api.interactions->Respond(*interaction, kind, input); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// The message a /messages/{message_id} path names: none for @original.
Result<std::optional<Snowflake>> MessageParam(const Context& ctx) {
  if (ctx.Param("message_id") == "@original") return std::optional<Snowflake>();
  auto id = PathId(ctx, "message_id", store::UnknownMessage());
  if (!id) return id.error();
  return std::optional<Snowflake>(*id);
}

}  // namespace

bool IsInteractionToken(std::string_view token) {
  return token.substr(0, service::kInteractionTokenPrefix.size()) ==
         service::kInteractionTokenPrefix;
}

Awaitable InteractionFollowup(Api& api, Context& ctx) {
  auto interaction = co_await FromPath(api, ctx, true);
  if (!interaction) co_return ErrorResponse(interaction.error());
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto input = ParseMessageInput(body->object);
  if (!input) co_return ErrorResponse(input.error());
  input->files = std::move(body->files);
  auto view = co_await api.db.Run([&] { return api.interactions->Followup(*interaction, *input); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable InteractionResponse(Api& api, Context& ctx, char method) {
  auto interaction = co_await FromPath(api, ctx, true);
  if (!interaction) co_return ErrorResponse(interaction.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  if (method == 'G') {
    auto view =
        co_await api.db.Run([&] { return api.interactions->GetResponse(*interaction, *message); });
    if (!view) co_return ErrorResponse(view.error());
    co_return Response::Json(200, view->json);
  }
  if (method == 'D') {
    auto done = co_await api.db.Run(
        [&] { return api.interactions->DeleteResponse(*interaction, *message); });
    if (!done) co_return ErrorResponse(done.error());
    co_return Response::NoContent();
  }
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  // The same body as a new message, for a deferred answer's first edit.
  auto as_new = ParseMessageInput(body->object);
  if (!as_new) co_return ErrorResponse(as_new.error());
  auto edit = ParseMessageEdit(*body);
  if (!edit) co_return ErrorResponse(edit.error());
  as_new->files = edit->files;
  auto view = co_await api.db.Run(
      [&] { return api.interactions->EditResponse(*interaction, *message, *edit, *as_new); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

void AddInteractionRoutes(Router& router, Api& api) {
  router.Add("POST", "/interactions", [&api](Context& c) { return Invoke(api, c); });
  router.Add("POST", "/interactions/{interaction_id}/{interaction_token}/callback",
             [&api](Context& c) { return Callback(api, c); });
}

}  // namespace chat::http
