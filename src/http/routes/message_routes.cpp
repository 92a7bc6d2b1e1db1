// http/routes/message_routes.cpp — messages (/channels/{channel_id}/messages…), typing and DM
// channels (/users/@me/channels). Messages are sent as JSON or as multipart/form-data
// (payload_json + files[n], as discord.js sends uploads); every bad input is a 4xx Discord error.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/poll.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/message_body.hpp"
#include "http/routes/routes.hpp"
#include "service/message_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

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
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto input = ParseMessageInput(body->object);
  if (!input) co_return ErrorResponse(input.error());
  input->files = std::move(body->files);
  // An enforce_nonce retry whose first attempt is still being written waits for it (usually a
  // few milliseconds) and gets that message back.
  auto view = co_await RunPatiently(
      api, [&] { return api.messages->Create(who->user_id, *channel, *input); },
      std::chrono::seconds(2));
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
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto edit = ParseMessageEdit(*body);
  if (!edit) co_return ErrorResponse(edit.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->Edit(who->user_id, *channel, *message, *edit); });
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
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.messages->Delete(who->user_id, *channel, *message, reason); });
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
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.messages->BulkDelete(who->user_id, *channel, ids, reason); });
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

// {recipient_id}: the DM with that user. {recipients: [ids]}, as Discord's own client sends it:
// the DM when one other user is named (repeats and one's own id aside), else a new group DM.
// Bots make groups only through OAuth2 (access_tokens), which is not carried.
Awaitable OpenDm(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  if (const json::value* list = body->if_contains("recipients")) {
    if (who->bot) co_return ErrorResponse(Error::Forbidden("Bots cannot use this endpoint", 20001));
    std::vector<Snowflake> ids;
    std::vector<FieldError> errors;
    // Far past any group's size: a body this long names no group that could be made.
    constexpr std::size_t kMaxListed = 100;
    if (!list->is_array() || list->get_array().size() > kMaxListed) {
      errors.push_back({"recipients", "BASE_TYPE_ARRAY", "Must be an array of up to 100 ids."});
    } else {
      std::size_t index = 0;
      for (const auto& v : list->get_array()) {
        if (auto id = SnowflakeOf(v)) {
          if (*id != who->user_id) ids.push_back(*id);
        } else {
          errors.push_back({"recipients." + std::to_string(index), "NUMBER_TYPE_COERCE",
                            "Value is not snowflake."});
        }
        ++index;
      }
    }
    if (!errors.empty()) {
      co_return ErrorResponse(Error::Validation("Invalid Form Body", std::move(errors)));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.size() != 1) {
      auto group = co_await api.db.Run([&] { return api.group_dms->Create(who->user_id, ids); });
      if (!group) co_return ErrorResponse(group.error());
      co_return Response::Json(200, DmJson(*group));
    }
    auto view = co_await api.db.Run([&] { return api.messages->OpenDm(who->user_id, ids[0]); });
    if (!view) co_return ErrorResponse(view.error());
    co_return Response::Json(200, DmJson(*view));
  }
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

// Routes on one message (reactions, polls, publishing) share: who, channel, message, and for
// reactions the emoji.
struct MessageTarget {
  service::Principal who;
  Snowflake channel = 0;
  Snowflake message = 0;
  std::optional<service::Emoji> emoji;
};

boost::asio::awaitable<Result<MessageTarget>> ReadMessageTarget(Api& api, Context& ctx,
                                                                bool with_emoji) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  auto channel = ChannelParam(ctx);
  if (!channel) co_return channel.error();
  auto message = MessageParam(ctx);
  if (!message) co_return message.error();
  MessageTarget t{*who, *channel, *message, std::nullopt};
  if (with_emoji) {
    auto emoji = EmojiParam(ctx);
    if (!emoji) co_return emoji.error();
    t.emoji = std::move(*emoji);
  }
  co_return t;
}

Awaitable AddReaction(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.reactions->Add(t->who.user_id, t->channel, t->message, *t->emoji); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveOwnReaction(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run([&] {
    return api.reactions->Remove(t->who.user_id, t->channel, t->message, *t->emoji, t->who.user_id);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveUserReaction(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, true);
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
  auto t = co_await ReadMessageTarget(api, ctx, one_emoji);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.reactions->RemoveAll(t->who.user_id, t->channel, t->message, t->emoji); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// `after` (a user id) and `limit` (1–100, default 25): a page of users, as the reaction and poll
// voter lists take it. Problems are added to `errors`.
struct UserPage {
  Snowflake after = 0;
  int limit = 25;
};

UserPage ParseUserPage(const Request& request, std::vector<FieldError>& errors) {
  UserPage page;
  if (auto text = request.Query("limit")) {
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, page.limit);
    if (ec != std::errc() || ptr != end || page.limit < 1 || page.limit > 100) {
      errors.push_back({"limit", "NUMBER_TYPE_MAX", "Must be an integer between 1 and 100."});
    }
  }
  if (auto text = request.Query("after")) {
    auto id = domain::ParseSnowflake(*text);
    if (!id) {
      errors.push_back({"after", "NUMBER_TYPE_COERCE", "Value is not snowflake."});
    } else {
      page.after = *id;
    }
  }
  return page;
}

Awaitable ListReactionUsers(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  std::vector<FieldError> errors;
  const UserPage page = ParseUserPage(ctx.request, errors);
  if (!errors.empty()) {
    Error e = Error::Validation("Invalid Form Body", std::move(errors));
    co_return ErrorResponse(e);
  }
  auto users = co_await api.db.Run([&] {
    return api.reactions->Users(t->who.user_id, t->channel, t->message, *t->emoji, page.after,
                                page.limit);
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
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.messages->Pin(who->user_id, *channel, *message, pinned, reason); });
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
      items.emplace_back(json::object{{"pinned_at", domain::json::IsoTimestamp(v.pinned_at_ms)},
                                      {"message", std::move(v.json)}});
    }
  }
  if (legacy) co_return Response::Json(200, items);
  co_return Response::Json(200, json::object{{"items", std::move(items)}, {"has_more", false}});
}

// POST …/messages/{message_id}/crosspost: publishes a message of an announcement channel.
Awaitable Crosspost(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->Crosspost(t->who.user_id, t->channel, t->message); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

// -- polls ----------------------------------------------------------------------------------

// PUT …/polls/{message_id}/answers/@me {"answer_ids": ["1", …]}: Discord's client route for
// voting; the ids come as strings or integers, an empty list withdraws the vote.
Awaitable Vote(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  std::vector<int> answers;
  const json::value* list = body->if_contains("answer_ids");
  bool valid = list && list->is_array() && list->as_array().size() <= domain::kMaxPollAnswers;
  for (std::size_t i = 0; valid && i < list->as_array().size(); ++i) {
    const json::value& v = list->as_array()[i];
    int id = 0;
    if (v.is_string()) {
      const std::string_view text = v.as_string();
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
      valid = ec == std::errc() && ptr == text.data() + text.size();
    } else if (v.is_int64() && v.as_int64() > 0 && v.as_int64() <= 100) {
      id = static_cast<int>(v.as_int64());
    } else {
      valid = false;
    }
    answers.push_back(id);
  }
  if (!valid) {
    Error e = Error::Validation(
        "Invalid Form Body",
        {{"answer_ids", "BASE_TYPE_ARRAY", "Must be an array of at most 10 answer ids."}});
    co_return ErrorResponse(e);
  }
  auto done = co_await api.db.Run([&] {
    return api.messages->Vote(t->who.user_id, t->channel, t->message, std::move(answers));
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// GET …/polls/{message_id}/answers/{answer_id}?after=&limit= (1–100, default 25).
Awaitable ListVoters(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  std::vector<FieldError> errors;
  int answer = 0;
  const std::string_view answer_text = ctx.Param("answer_id");
  auto [aptr, aec] =
      std::from_chars(answer_text.data(), answer_text.data() + answer_text.size(), answer);
  if (aec != std::errc() || aptr != answer_text.data() + answer_text.size()) {
    errors.push_back({"answer_id", "NUMBER_TYPE_COERCE", "Value is not int."});
  }
  const UserPage page = ParseUserPage(ctx.request, errors);
  if (!errors.empty()) {
    Error e = Error::Validation("Invalid Form Body", std::move(errors));
    co_return ErrorResponse(e);
  }
  auto users = co_await api.db.Run([&] {
    return api.messages->PollVoters(t->who.user_id, t->channel, t->message, answer, page.after,
                                    page.limit);
  });
  if (!users) co_return ErrorResponse(users.error());
  json::array out;
  for (const auto& u : *users) out.emplace_back(domain::json::UserJson(u));
  co_return Response::Json(200, json::object{{"users", std::move(out)}});
}

// POST …/polls/{message_id}/expire: the poll's author ends it now; answers the message.
Awaitable EndPoll(Api& api, Context& ctx) {
  auto t = co_await ReadMessageTarget(api, ctx, false);
  if (!t) co_return ErrorResponse(t.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->EndPoll(t->who.user_id, t->channel, t->message); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
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
  router.Add("POST", "/channels/{channel_id}/messages/{message_id}/crosspost",
             [&api](Context& c) { return Crosspost(api, c); });
  router.Add("PATCH", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return Edit(api, c); });
  router.Add("DELETE", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return Delete(api, c); });
  router.Add("POST", "/channels/{channel_id}/typing",
             [&api](Context& c) { return Typing(api, c); });
  const std::string polls = "/channels/{channel_id}/polls/{message_id}";
  router.Add("PUT", polls + "/answers/@me", [&api](Context& c) { return Vote(api, c); });
  router.Add("GET", polls + "/answers/{answer_id}",
             [&api](Context& c) { return ListVoters(api, c); });
  router.Add("POST", polls + "/expire", [&api](Context& c) { return EndPoll(api, c); });
  router.Add("POST", "/users/@me/channels", [&api](Context& c) { return OpenDm(api, c); });
  router.Add("GET", "/users/@me/channels", [&api](Context& c) { return ListDms(api, c); });
}

}  // namespace chat::http
