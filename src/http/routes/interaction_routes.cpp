// http/routes/interaction_routes.cpp — users invoking commands, using components and submitting
// modals (POST /interactions, the route Discord's own client uses) and applications answering
// them (POST
// /interactions/{id}/{token}/callback, and the /webhooks/{application_id}/{token} routes the
// webhook routes hand over). Glue only: InteractionService holds the rules.
#include "http/routes/interaction_routes.hpp"

#include <boost/json.hpp>

#include "domain/json/component_json.hpp"
#include "domain/json/field_checker.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/message_body.hpp"
#include "http/routes/routes.hpp"
#include "service/interaction_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {

// An application's answer or followup is a message like any other, but without stickers, as on
// Discord.
Result<service::MessageInput> ParseAnswerInput(const boost::json::object& body) {
  auto input = ParseMessageInput(body);
  if (input && !input->sticker_ids.empty()) {
    return Error{Errc::kValidation, "Invalid sticker sent", 50081};
  }
  return input;
}
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

Error InvalidForm(const char* field, const char* message) {
  return Error::Validation("Invalid Form Body", {{field, "BASE_TYPE_INVALID", message}});
}

std::optional<Snowflake> IdField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? SnowflakeOf(*v) : std::nullopt;
}

// data.custom_id of a component's use or a modal's submission.
Result<std::string> CustomIdOf(const json::object& data) {
  const auto* custom_id = data.if_contains("custom_id");
  if (!custom_id || !custom_id->is_string()) {
    return InvalidForm("data.custom_id", "A custom id is required.");
  }
  return std::string(custom_id->as_string());
}

// Discord's "application command" interaction as a client sends it: {type: 2, application_id,
// channel_id, guild_id?, data: {id, name, options?}, nonce?}.
Result<service::Invocation> ReadInvocation(const json::object& body) {
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

// A component used: {type: 3, application_id?, channel_id, guild_id?, message_id,
// data: {component_type, custom_id, values?}}.
Result<service::ComponentUse> ReadComponentUse(const json::object& body) {
  service::ComponentUse in;
  in.application_id = IdField(body, "application_id");
  auto channel_id = IdField(body, "channel_id");
  if (!channel_id) return InvalidForm("channel_id", "A channel id is required.");
  in.channel_id = *channel_id;
  if (const auto* guild = body.if_contains("guild_id"); guild && !guild->is_null()) {
    in.guild_id = SnowflakeOf(*guild);
    if (!in.guild_id) return InvalidForm("guild_id", "Not an id.");
  }
  auto message_id = IdField(body, "message_id");
  if (!message_id) return InvalidForm("message_id", "A message id is required.");
  in.message_id = *message_id;
  const auto* data = body.if_contains("data");
  if (!data || !data->is_object()) return InvalidForm("data", "The component is required.");
  const auto& d = data->as_object();
  auto custom_id = CustomIdOf(d);
  if (!custom_id) return custom_id.error();
  in.custom_id = std::move(*custom_id);
  const auto* type = d.if_contains("component_type");
  if (!type || !type->is_int64() || type->as_int64() < 2 || type->as_int64() > 8) {
    return InvalidForm("data.component_type", "A component type is required.");
  }
  in.component_type = static_cast<int>(type->as_int64());
  if (const auto* values = d.if_contains("values")) in.values = *values;
  return in;
}

// A modal submitted: {type: 5, application_id, channel_id, data: {id, custom_id, components}}.
Result<service::ModalSubmit> ReadModalSubmit(const json::object& body) {
  service::ModalSubmit in;
  auto app = IdField(body, "application_id");
  if (!app) return InvalidForm("application_id", "An application id is required.");
  in.application_id = *app;
  auto channel_id = IdField(body, "channel_id");
  if (!channel_id) return InvalidForm("channel_id", "A channel id is required.");
  in.channel_id = *channel_id;
  const auto* data = body.if_contains("data");
  if (!data || !data->is_object()) return InvalidForm("data", "The modal is required.");
  const auto& d = data->as_object();
  auto modal_id = IdField(d, "id");
  if (!modal_id) return InvalidForm("data.id", "The modal's id is required.");
  in.modal_id = *modal_id;
  auto custom_id = CustomIdOf(d);
  if (!custom_id) return custom_id.error();
  in.custom_id = std::move(*custom_id);
  if (const auto* components = d.if_contains("components")) in.components = *components;
  return in;
}

// An autocomplete answer's data: {choices: [{name, value}]}, at most 25, names of 1–100
// characters, values strings of at most 100 characters or numbers.
Result<json::array> ReadChoices(const json::object& data) {
  const auto* choices = data.if_contains("choices");
  if (!choices || !choices->is_array() || choices->as_array().size() > 25) {
    return InvalidForm("data.choices", "Up to 25 choices.");
  }
  json::array out;
  for (const auto& c : choices->as_array()) {
    const auto* o = c.if_object();
    const auto* name = o ? o->if_contains("name") : nullptr;
    const auto* value = o ? o->if_contains("value") : nullptr;
    const bool name_ok = name && name->is_string() && !name->as_string().empty() &&
                         domain::json::CodePoints(name->as_string()) <= 100;
    const bool value_ok =
        value && (value->is_number() ||
                  (value->is_string() && domain::json::CodePoints(value->as_string()) <= 100));
    if (!name_ok || !value_ok) {
      return InvalidForm("data.choices", "Each choice needs a name and a value of 1–100.");
    }
    out.push_back(json::object{{"name", *name}, {"value", *value}});
  }
  return out;
}

Awaitable Invoke(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  if (who->bot) co_return ErrorResponse(Error::Forbidden("Bots cannot use this endpoint", 20001));
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  const auto* type = body->if_contains("type");
  const std::int64_t kind = type && type->is_int64() ? type->as_int64() : 0;
  Result<Snowflake> id = Snowflake{0};
  if (kind == 2 || kind == 4) {
    auto in = ReadInvocation(*body);
    if (!in) co_return ErrorResponse(in.error());
    in->autocomplete = kind == 4;
    id = co_await api.db.Run([&] { return api.interactions->Invoke(who->user_id, *in); });
  } else if (kind == 3) {
    auto in = ReadComponentUse(*body);
    if (!in) co_return ErrorResponse(in.error());
    id = co_await api.db.Run([&] { return api.interactions->UseComponent(who->user_id, *in); });
  } else if (kind == 5) {
    auto in = ReadModalSubmit(*body);
    if (!in) co_return ErrorResponse(in.error());
    id = co_await api.db.Run([&] { return api.interactions->SubmitModal(who->user_id, *in); });
  } else {
    co_return ErrorResponse(InvalidForm(
        "type",
        "Commands (2), components (3), autocomplete (4) and modal submissions (5) are sent here."));
  }
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
  const std::int64_t kind = type && type->is_int64() ? type->as_int64() : 0;
  if (kind < 4 || kind > 9) {
    co_return ErrorResponse(InvalidForm(
        "type",
        "Answered with a message (4), a deferred message (5), a deferred update (6), an update "
        "(7), choices (8) or a modal (9)."));
  }
  service::Answer answer;
  answer.type = static_cast<service::ResponseType>(kind);
  const auto* data = body->object.if_contains("data");
  const json::object* fields = data && data->is_object() ? &data->as_object() : nullptr;
  if (!fields && (kind == 4 || kind == 7 || kind == 8 || kind == 9)) {
    co_return ErrorResponse(InvalidForm("data", "This answer needs its data."));
  }
  if (kind == 8) {
    auto choices = ReadChoices(*fields);
    if (!choices) co_return ErrorResponse(choices.error());
    answer.choices = std::move(*choices);
  } else if (kind == 9) {
    auto modal = domain::json::ParseModal(*fields);
    if (!modal) co_return ErrorResponse(modal.error());
    answer.modal = std::move(*modal);
  } else if (kind == 7) {
    MessageBody edit_body{*fields, std::move(body->files)};
    auto edit = ParseMessageEdit(edit_body);
    if (!edit) co_return ErrorResponse(edit.error());
    answer.edit = std::move(*edit);
  } else if (fields) {
    auto parsed = ParseAnswerInput(*fields);
    if (!parsed) co_return ErrorResponse(parsed.error());
    answer.message = std::move(*parsed);
    answer.message.files = std::move(body->files);
  }
  auto done = co_await api.db.Run([&] { return api.interactions->Respond(*interaction, answer); });
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
  auto input = ParseAnswerInput(body->object);
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
  auto as_new = ParseAnswerInput(body->object);
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
