// http/routes/message_routes.cpp — messages (/channels/{channel_id}/messages…), typing and DM
// channels (/users/@me/channels). JSON bodies only; every bad input is a 4xx Discord error.
#include <boost/json.hpp>

#include <charconv>
#include <string>
#include <vector>

#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/user_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/routes.hpp"
#include "service/message_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

constexpr std::size_t kMaxEmbeds = 10;

// A snowflake as clients send it in bodies: a decimal string or a non-negative integer.
std::optional<Snowflake> SnowflakeOf(const json::value& v) {
  if (v.is_string()) return domain::ParseSnowflake(v.as_string());
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<Snowflake>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return v.as_uint64();
  }
  return std::nullopt;
}

FieldError TypeError(std::string field, const char* code, const char* message) {
  return FieldError{std::move(field), code, message};
}

// Reads the fields of a message body shared by send and edit.
struct BodyReader {
  const json::object& body;
  std::vector<FieldError> errors;

  std::optional<std::string> Content() {
    const json::value* v = body.if_contains("content");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      errors.push_back(TypeError("content", "BASE_TYPE_STRING", "Must be a string."));
      return std::nullopt;
    }
    return std::string(v->as_string());
  }

  // Embeds are stored as sent (an array of objects, at most 10).
  std::optional<std::string> Embeds(std::size_t& count) {
    count = 0;
    const json::value* v = body.if_contains("embeds");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_array()) {
      errors.push_back(TypeError("embeds", "BASE_TYPE_ARRAY", "Must be an array."));
      return std::nullopt;
    }
    const auto& a = v->as_array();
    if (a.size() > kMaxEmbeds) {
      errors.push_back(
          TypeError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."));
      return std::nullopt;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_object()) {
        errors.push_back(TypeError("embeds." + std::to_string(i), "MODEL_TYPE_CONVERT",
                                   "Only dictionaries may be used in a ModelType"));
        return std::nullopt;
      }
    }
    count = a.size();
    return json::serialize(a);
  }

  std::optional<service::AllowedMentions> Allowed() {
    const json::value* v = body.if_contains("allowed_mentions");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_object()) {
      errors.push_back(TypeError("allowed_mentions", "MODEL_TYPE_CONVERT",
                                 "Only dictionaries may be used in a ModelType"));
      return std::nullopt;
    }
    const auto& o = v->as_object();
    service::AllowedMentions allowed;
    if (const auto* parse = o.if_contains("parse"); parse && !parse->is_null()) {
      if (!parse->is_array()) {
        errors.push_back(
            TypeError("allowed_mentions.parse", "BASE_TYPE_ARRAY", "Must be an array."));
        return std::nullopt;
      }
      for (const auto& p : parse->as_array()) {
        if (p == "users") {
          allowed.users = true;
        } else if (p == "roles") {
          allowed.roles = true;
        } else if (p == "everyone") {
          allowed.everyone = true;
        } else {
          errors.push_back(TypeError("allowed_mentions.parse", "BASE_TYPE_CHOICES",
                                     "Value must be one of ('roles', 'users', 'everyone')."));
          return std::nullopt;
        }
      }
    }
    for (const char* key : {"users", "roles"}) {
      const auto* list = o.if_contains(key);
      if (!list || list->is_null()) continue;
      if (!list->is_array() || list->as_array().size() > 100) {
        errors.push_back(TypeError(std::string("allowed_mentions.") + key, "BASE_TYPE_ARRAY",
                                   "Must be an array of at most 100 snowflakes."));
        return std::nullopt;
      }
      for (const auto& item : list->as_array()) {
        auto id = SnowflakeOf(item);
        if (!id) {
          errors.push_back(TypeError(std::string("allowed_mentions.") + key, "NUMBER_TYPE_COERCE",
                                     "Value is not snowflake."));
          return std::nullopt;
        }
        (key[0] == 'u' ? allowed.user_ids : allowed.role_ids).push_back(*id);
      }
    }
    // Discord refuses "users" in parse together with an explicit users list (and so roles).
    if ((allowed.users && !allowed.user_ids.empty()) ||
        (allowed.roles && !allowed.role_ids.empty())) {
      errors.push_back(TypeError("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                                 "parse and users/roles are mutually exclusive."));
      return std::nullopt;
    }
    if (const auto* r = o.if_contains("replied_user"); r && r->is_bool()) {
      allowed.replied_user = r->as_bool();
    }
    return allowed;
  }

  std::optional<std::int64_t> Integer(const char* name) {
    const json::value* v = body.if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_int64()) {
      errors.push_back(TypeError(name, "NUMBER_TYPE_COERCE", "Value is not int."));
      return std::nullopt;
    }
    return v->as_int64();
  }

  bool Bool(const char* name) {
    const json::value* v = body.if_contains(name);
    if (!v || v->is_null()) return false;
    if (!v->is_bool()) {
      errors.push_back(TypeError(name, "BASE_TYPE_BOOLEAN", "Must be either true or false."));
      return false;
    }
    return v->as_bool();
  }

  Result<void> Finish() {
    if (errors.empty()) return {};
    return Error::Validation("Invalid Form Body", std::move(errors));
  }
};

Result<service::MessageInput> ParseMessageInput(const json::object& body) {
  BodyReader r{body, {}};
  service::MessageInput in;
  in.content = r.Content();
  in.embeds_json = r.Embeds(in.embed_count);
  in.allowed_mentions = r.Allowed();
  in.tts = r.Bool("tts");
  in.enforce_nonce = r.Bool("enforce_nonce");
  in.flags = r.Integer("flags").value_or(0);
  if (const auto* nonce = body.if_contains("nonce"); nonce && !nonce->is_null()) {
    if (nonce->is_string()) {
      in.nonce = std::string(nonce->as_string());
    } else if (nonce->is_int64()) {
      in.nonce = std::to_string(nonce->as_int64());
    } else if (nonce->is_uint64()) {
      in.nonce = std::to_string(nonce->as_uint64());
    } else {
      r.errors.push_back(TypeError("nonce", "BASE_TYPE_STRING", "Must be a string or integer."));
    }
  }
  if (const auto* ref = body.if_contains("message_reference"); ref && !ref->is_null()) {
    const json::object* o = ref->if_object();
    const json::value* mid = o ? o->if_contains("message_id") : nullptr;
    auto id = mid ? SnowflakeOf(*mid) : std::nullopt;
    if (!id) {
      r.errors.push_back(TypeError("message_reference.message_id", "NUMBER_TYPE_COERCE",
                                   "Value is not snowflake."));
    } else {
      in.reply_to = id;
      if (const auto* cid = o->if_contains("channel_id"); cid && !cid->is_null()) {
        in.reply_channel_id = SnowflakeOf(*cid);
        if (!in.reply_channel_id) {
          r.errors.push_back(TypeError("message_reference.channel_id", "NUMBER_TYPE_COERCE",
                                       "Value is not snowflake."));
        }
      }
      if (const auto* f = o->if_contains("fail_if_not_exists"); f && f->is_bool()) {
        in.fail_if_not_exists = f->as_bool();
      }
    }
  }
  if (auto done = r.Finish(); !done) return done.error();
  return in;
}

Result<store::MessageQuery> ParseHistoryQuery(const Request& request) {
  store::MessageQuery q;
  std::vector<FieldError> errors;
  if (auto limit = request.Query("limit")) {
    int value = 0;
    const char* end = limit->data() + limit->size();
    auto [ptr, ec] = std::from_chars(limit->data(), end, value);
    if (ec != std::errc() || ptr != end || value < 1 || value > store::kMaxMessagePage) {
      errors.push_back({"limit", "NUMBER_TYPE_MAX", "Must be an integer between 1 and 100."});
    } else {
      q.limit = value;
    }
  }
  int bounds = 0;
  for (auto [name, slot] : {std::pair{"before", &q.before}, std::pair{"after", &q.after},
                            std::pair{"around", &q.around}}) {
    auto text = request.Query(name);
    if (!text) continue;
    ++bounds;
    auto id = domain::ParseSnowflake(*text);
    if (!id) {
      errors.push_back({name, "NUMBER_TYPE_COERCE", "Value \"" + *text + "\" is not snowflake."});
    } else {
      *slot = *id;
    }
  }
  if (bounds > 1) {
    errors.push_back(
        {"around", "BASE_TYPE_EXCLUSIVE", "before, after and around are mutually exclusive."});
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  return q;
}

Result<Snowflake> ChannelParam(Context& ctx) {
  auto id = domain::ParseSnowflake(ctx.Param("channel_id"));
  if (!id) return store::UnknownChannel();
  return *id;
}

Result<Snowflake> MessageParam(Context& ctx) {
  auto id = domain::ParseSnowflake(ctx.Param("message_id"));
  if (!id) return store::UnknownMessage();
  return *id;
}

json::object DmJson(const service::DmView& view) {
  json::object o = domain::json::DmChannelJson(view.channel, view.recipients);
  return o;
}

// Each handler: authenticate, parse, run the service on the db pool, answer.
Awaitable Send(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto input = ParseMessageInput(*body);
  if (!input) co_return ErrorResponse(input.error());
  auto view =
      co_await api.db.Run([&] { return api.messages->Create(who->user_id, *channel, *input); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable List(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto query = ParseHistoryQuery(ctx.request);
  if (!query) co_return ErrorResponse(query.error());
  auto views =
      co_await api.db.Run([&] { return api.messages->List(who->user_id, *channel, *query); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  out.reserve(views->size());
  for (auto& v : *views) out.emplace_back(std::move(v.json));
  co_return Response::Json(200, out);
}

Awaitable GetOne(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto view =
      co_await api.db.Run([&] { return api.messages->Get(who->user_id, *channel, *message); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable Edit(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  BodyReader r{*body, {}};
  service::MessageEdit edit;
  edit.content = r.Content();
  edit.embeds_json = r.Embeds(edit.embed_count);
  edit.flags = r.Integer("flags");
  edit.allowed_mentions = r.Allowed();
  if (auto done = r.Finish(); !done) co_return ErrorResponse(done.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->Edit(who->user_id, *channel, *message, edit); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable Delete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto done =
      co_await api.db.Run([&] { return api.messages->Delete(who->user_id, *channel, *message); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable BulkDelete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  std::vector<Snowflake> ids;
  const json::value* list = body->if_contains("messages");
  bool ok = list && list->is_array();
  if (ok) {
    for (const auto& item : list->as_array()) {
      auto id = SnowflakeOf(item);
      if (!id) {
        ok = false;
        break;
      }
      ids.push_back(*id);
    }
  }
  if (!ok) {
    Error e = Error::Validation(
        "Invalid Form Body",
        {{"messages", "BASE_TYPE_ARRAY", "Must be an array of message ids (snowflakes)."}});
    co_return ErrorResponse(e);
  }
  auto done =
      co_await api.db.Run([&] { return api.messages->BulkDelete(who->user_id, *channel, ids); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable Typing(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto done = co_await api.db.Run([&] { return api.messages->Typing(who->user_id, *channel); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable OpenDm(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  const json::value* rid = body->if_contains("recipient_id");
  auto recipient = rid ? SnowflakeOf(*rid) : std::nullopt;
  if (!recipient) {
    Error e = Error::Validation("Invalid Form Body",
                                {{"recipient_id", rid ? "NUMBER_TYPE_COERCE" : "BASE_TYPE_REQUIRED",
                                  rid ? "Value is not snowflake." : "This field is required"}});
    co_return ErrorResponse(e);
  }
  auto view = co_await api.db.Run([&] { return api.messages->OpenDm(who->user_id, *recipient); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, DmJson(*view));
}

Awaitable ListDms(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto views = co_await api.db.Run([&] { return api.messages->ListDms(who->user_id); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  for (const auto& v : *views) out.emplace_back(DmJson(v));
  co_return Response::Json(200, out);
}

// -- reactions ------------------------------------------------------------------------------

Result<service::Emoji> EmojiParam(Context& ctx) { return service::ParseEmoji(ctx.Param("emoji")); }

// Reaction routes share: who, channel, message, emoji.
struct ReactionTarget {
  service::Principal who;
  Snowflake channel = 0;
  Snowflake message = 0;
  std::optional<service::Emoji> emoji;
};

boost::asio::awaitable<Result<ReactionTarget>> ReadReactionTarget(Api& api, Context& ctx,
                                                                  bool with_emoji) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  auto channel = ChannelParam(ctx);
  if (!channel) co_return channel.error();
  auto message = MessageParam(ctx);
  if (!message) co_return message.error();
  ReactionTarget t{*who, *channel, *message, std::nullopt};
  if (with_emoji) {
    auto emoji = EmojiParam(ctx);
    if (!emoji) co_return emoji.error();
    t.emoji = std::move(*emoji);
  }
  co_return t;
}

Awaitable AddReaction(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.reactions->Add(t->who.user_id, t->channel, t->message, *t->emoji); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveOwnReaction(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run([&] {
    return api.reactions->Remove(t->who.user_id, t->channel, t->message, *t->emoji, t->who.user_id);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveUserReaction(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto user = domain::ParseSnowflake(ctx.Param("user_id"));
  if (!user) {
    Error e = store::UnknownUser();
    co_return ErrorResponse(e);
  }
  auto done = co_await api.db.Run([&] {
    return api.reactions->Remove(t->who.user_id, t->channel, t->message, *t->emoji, *user);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveAllReactions(Api& api, Context& ctx, bool one_emoji) {
  auto t = co_await ReadReactionTarget(api, ctx, one_emoji);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.reactions->RemoveAll(t->who.user_id, t->channel, t->message, t->emoji); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable ListReactionUsers(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  int limit = 25;
  Snowflake after = 0;
  std::vector<FieldError> errors;
  if (auto text = ctx.request.Query("limit")) {
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, limit);
    if (ec != std::errc() || ptr != end || limit < 1 || limit > 100) {
      errors.push_back({"limit", "NUMBER_TYPE_MAX", "Must be an integer between 1 and 100."});
    }
  }
  if (auto text = ctx.request.Query("after")) {
    auto id = domain::ParseSnowflake(*text);
    if (!id) {
      errors.push_back({"after", "NUMBER_TYPE_COERCE", "Value is not snowflake."});
    } else {
      after = *id;
    }
  }
  if (!errors.empty()) {
    Error e = Error::Validation("Invalid Form Body", std::move(errors));
    co_return ErrorResponse(e);
  }
  auto users = co_await api.db.Run([&] {
    return api.reactions->Users(t->who.user_id, t->channel, t->message, *t->emoji, after, limit);
  });
  if (!users) co_return ErrorResponse(users.error());
  json::array out;
  for (const auto& u : *users) out.emplace_back(domain::json::UserJson(u));
  co_return Response::Json(200, out);
}

// -- pins -----------------------------------------------------------------------------------

Awaitable SetPinned(Api& api, Context& ctx, bool pinned) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto done = co_await api.db.Run(
      [&] { return api.messages->Pin(who->user_id, *channel, *message, pinned); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// `legacy`: /channels/{id}/pins answers a bare array; /messages/pins answers {items, has_more}.
Awaitable ListPins(Api& api, Context& ctx, bool legacy) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto views = co_await api.db.Run([&] { return api.messages->ListPins(who->user_id, *channel); });
  if (!views) co_return ErrorResponse(views.error());
  json::array items;
  for (auto& v : *views) {
    if (legacy) {
      items.emplace_back(std::move(v.json));
    } else {
      // The pin time is not stored: the message's own time stands in for it.
      json::value at = v.json["timestamp"];
      items.emplace_back(
          json::object{{"pinned_at", std::move(at)}, {"message", std::move(v.json)}});
    }
  }
  if (legacy) co_return Response::Json(200, items);
  co_return Response::Json(200, json::object{{"items", std::move(items)}, {"has_more", false}});
}

}  // namespace

void AddMessageRoutes(Router& router, Api& api) {
  // Pins before "/messages/{message_id}": a literal segment must win over the parameter.
  router.Add("GET", "/channels/{channel_id}/messages/pins",
             [&api](Context& c) { return ListPins(api, c, false); });
  router.Add("PUT", "/channels/{channel_id}/messages/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, true); });
  router.Add("DELETE", "/channels/{channel_id}/messages/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, false); });
  router.Add("GET", "/channels/{channel_id}/pins",
             [&api](Context& c) { return ListPins(api, c, true); });
  router.Add("PUT", "/channels/{channel_id}/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, true); });
  router.Add("DELETE", "/channels/{channel_id}/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, false); });
  const std::string reactions = "/channels/{channel_id}/messages/{message_id}/reactions";
  router.Add("PUT", reactions + "/{emoji}/@me", [&api](Context& c) { return AddReaction(api, c); });
  router.Add("DELETE", reactions + "/{emoji}/@me",
             [&api](Context& c) { return RemoveOwnReaction(api, c); });
  router.Add("DELETE", reactions + "/{emoji}/{user_id}",
             [&api](Context& c) { return RemoveUserReaction(api, c); });
  router.Add("GET", reactions + "/{emoji}",
             [&api](Context& c) { return ListReactionUsers(api, c); });
  router.Add("DELETE", reactions + "/{emoji}",
             [&api](Context& c) { return RemoveAllReactions(api, c, true); });
  router.Add("DELETE", reactions, [&api](Context& c) { return RemoveAllReactions(api, c, false); });
  // Literal segments first: "bulk-delete" must not be taken for a message id.
  router.Add("POST", "/channels/{channel_id}/messages/bulk-delete",
             [&api](Context& c) { return BulkDelete(api, c); });
  router.Add("POST", "/channels/{channel_id}/messages",
             [&api](Context& c) { return Send(api, c); });
  router.Add("GET", "/channels/{channel_id}/messages", [&api](Context& c) { return List(api, c); });
  router.Add("GET", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return GetOne(api, c); });
  router.Add("PATCH", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return Edit(api, c); });
  router.Add("DELETE", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return Delete(api, c); });
  router.Add("POST", "/channels/{channel_id}/typing",
             [&api](Context& c) { return Typing(api, c); });
  router.Add("POST", "/users/@me/channels", [&api](Context& c) { return OpenDm(api, c); });
  router.Add("GET", "/users/@me/channels", [&api](Context& c) { return ListDms(api, c); });
}

}  // namespace chat::http
