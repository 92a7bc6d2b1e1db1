// http/routes/thread_routes.cpp — threads: /channels/{id}/threads (in a forum, a post: the
// thread and its first message, JSON or multipart),
// /channels/{id}/messages/{message_id}/threads, /channels/{id}/thread-members[/{user_id|@me}],
// /guilds/{id}/threads/active and the archived lists. Reading, changing and deleting a thread go
// through the channel routes (a thread is a channel). Glue only: ThreadService holds the rules.
#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "domain/json/time_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/message_body.hpp"
#include "http/routes/routes.hpp"
#include "service/thread_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

// `kind`: a thread from a message, one without (its type and invitable), or a forum post (its
// applied_tags).
enum class ThreadKind { kFromMessage, kStandalone, kForumPost };

Result<service::ThreadInput> ReadInput(const json::object& body, ThreadKind kind) {
  CommunityFields fields(body);
  service::ThreadInput input;
  auto name = fields.String("name", true, 400);
  input.auto_archive_duration = fields.Int("auto_archive_duration", 0, 100000);
  input.rate_limit_per_user = fields.Int("rate_limit_per_user", 0, 21600);
  if (kind == ThreadKind::kStandalone) {
    if (auto type = fields.Int("type", 10, 12))
      input.type = static_cast<domain::ChannelType>(*type);
    input.invitable = fields.Bool("invitable");
  }
  if (kind == ThreadKind::kForumPost) {
    if (auto tags = fields.Ids("applied_tags")) input.applied_tags = std::move(*tags);
  }
  if (auto r = fields.Finish(); !r) return r.error();
  input.name = std::move(*name);
  return input;
}

json::object ListJson(const service::ThreadList& list, bool with_has_more) {
  json::array threads;
  for (const auto& t : list.threads) threads.push_back(domain::json::ChannelJson(t));
  json::array members;
  for (const auto& m : list.members) members.push_back(domain::json::ThreadMemberJson(m));
  json::object o{{"threads", std::move(threads)}, {"members", std::move(members)}};
  if (with_has_more) o["has_more"] = list.has_more;
  return o;
}

// {user_id} or "@me".
// The path's user; `self` for @me and on the routes without one.
Result<Snowflake> TargetUser(const Context& ctx, Snowflake self) {
  if (ctx.Param("user_id").empty() || ctx.Param("user_id") == "@me") return self;
  return PathId(ctx, "user_id", store::UnknownUser());
}

Awaitable StartFromMessage(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel_id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel_id) co_return ErrorResponse(channel_id.error());
  auto message_id = PathId(ctx, "message_id", store::UnknownMessage());
  if (!message_id) co_return ErrorResponse(message_id.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto input = ReadInput(*body, ThreadKind::kFromMessage);
  if (!input) co_return ErrorResponse(input.error());
  auto reason = AuditLogReason(ctx.request);
  auto thread = co_await api.db.Run([&] {
    return api.communities->threads.StartFromMessage(who->user_id, *channel_id, *message_id,
                                                     std::move(*input), reason);
  });
  if (!thread) co_return ErrorResponse(thread.error());
  co_return Response::Json(201, domain::json::ChannelJson(*thread));
}

Awaitable Start(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel_id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel_id) co_return ErrorResponse(channel_id.error());
  // JSON, or multipart with payload_json when a forum post's message carries files.
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto reason = AuditLogReason(ctx.request);
  if (const auto* message = body->object.if_contains("message"); message && !message->is_null()) {
    if (!message->is_object()) {
      co_return ErrorResponse(Error::Validation(
          "Invalid Form Body",
          {{"message", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"}}));
    }
    auto input = ReadInput(body->object, ThreadKind::kForumPost);
    if (!input) co_return ErrorResponse(input.error());
    auto first = ParseMessageInput(message->as_object());
    if (!first) co_return ErrorResponse(first.error());
    first->files = std::move(body->files);
    auto post = co_await api.db.Run([&] {
      return api.forums->Post(who->user_id, *channel_id, std::move(*input), std::move(*first),
                              reason);
    });
    if (!post) co_return ErrorResponse(post.error());
    json::object out = domain::json::ChannelJson(post->thread);
    out["message"] = std::move(post->message.json);
    co_return Response::Json(201, out);
  }
  auto input = ReadInput(body->object, ThreadKind::kStandalone);
  if (!input) co_return ErrorResponse(input.error());
  auto thread = co_await api.db.Run([&] {
    return api.communities->threads.Start(who->user_id, *channel_id, std::move(*input), reason);
  });
  if (!thread) co_return ErrorResponse(thread.error());
  co_return Response::Json(201, domain::json::ChannelJson(*thread));
}

// PUT and DELETE /channels/{id}/thread-members/{user_id|@me}.
Awaitable ChangeMember(Api& api, Context& ctx, bool add) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto thread_id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto target = TargetUser(ctx, who->user_id);
  if (!target) co_return ErrorResponse(target.error());
  auto done = co_await api.db.Run([&] {
    auto& threads = api.communities->threads;
    return add ? threads.AddMember(who->user_id, *thread_id, *target)
               : threads.RemoveMember(who->user_id, *thread_id, *target);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable GetMember(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto thread_id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto target = TargetUser(ctx, who->user_id);
  if (!target) co_return ErrorResponse(target.error());
  auto member = co_await api.db.Run(
      [&] { return api.communities->threads.GetMember(who->user_id, *thread_id, *target); });
  if (!member) co_return ErrorResponse(member.error());
  co_return Response::Json(200, domain::json::ThreadMemberJson(*member));
}

Awaitable ListMembers(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto thread_id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!thread_id) co_return ErrorResponse(thread_id.error());
  auto members = co_await api.db.Run(
      [&] { return api.communities->threads.ListMembers(who->user_id, *thread_id); });
  if (!members) co_return ErrorResponse(members.error());
  json::array out;
  for (const auto& m : *members) out.push_back(domain::json::ThreadMemberJson(m));
  co_return Response::Json(200, out);
}

Awaitable Active(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto guild_id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!guild_id) co_return ErrorResponse(guild_id.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->threads.Active(who->user_id, *guild_id); });
  if (!list) co_return ErrorResponse(list.error());
  co_return Response::Json(200, ListJson(*list, false));
}

// `before`: an ISO 8601 timestamp or a thread's id (discord.js sends the last thread's id for the
// joined list, which pages by id); each kind of list takes the form it pages by.
struct Before {
  std::optional<std::int64_t> ms;
  std::optional<Snowflake> id;
};

Result<Before> BeforeParam(const Request& request) {
  auto raw = request.Query("before");
  if (!raw) return Before{};
  if (auto ms = domain::json::ParseIsoTimestamp(*raw)) {
    return Before{*ms, domain::SnowflakeFromUnixMs(*ms)};
  }
  if (auto id = domain::ParseSnowflake(*raw)) return Before{domain::SnowflakeUnixMs(*id), *id};
  return Error::Validation("Invalid Form Body",
                           {{"before", "DATE_TYPE_PARSE", "Could not parse the timestamp."}});
}

Awaitable Archived(Api& api, Context& ctx, service::ArchivedKind kind) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel_id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel_id) co_return ErrorResponse(channel_id.error());
  auto before = BeforeParam(ctx.request);
  if (!before) co_return ErrorResponse(before.error());
  auto limit = QueryInt(ctx, "limit", 50, 1, 100);
  if (!limit) co_return ErrorResponse(limit.error());
  auto list = co_await api.db.Run([&] {
    return api.communities->threads.Archived(who->user_id, *channel_id, kind, before->ms,
                                             before->id, *limit);
  });
  if (!list) co_return ErrorResponse(list.error());
  co_return Response::Json(200, ListJson(*list, true));
}

}  // namespace

void AddThreadRoutes(Router& router, Api& api) {
  using service::ArchivedKind;
  router.Add("POST", "/channels/{channel_id}/messages/{message_id}/threads",
             [&api](Context& c) { return StartFromMessage(api, c); });
  router.Add("POST", "/channels/{channel_id}/threads",
             [&api](Context& c) { return Start(api, c); });
  router.Add("GET", "/channels/{channel_id}/thread-members",
             [&api](Context& c) { return ListMembers(api, c); });
  router.Add("GET", "/channels/{channel_id}/thread-members/{user_id}",
             [&api](Context& c) { return GetMember(api, c); });
  // discord.py 2.2 joins with POST, which Discord takes as well as PUT.
  router.Add("POST", "/channels/{channel_id}/thread-members/@me",
             [&api](Context& c) { return ChangeMember(api, c, true); });
  router.Add("PUT", "/channels/{channel_id}/thread-members/{user_id}",
             [&api](Context& c) { return ChangeMember(api, c, true); });
  router.Add("DELETE", "/channels/{channel_id}/thread-members/{user_id}",
             [&api](Context& c) { return ChangeMember(api, c, false); });
  router.Add("GET", "/guilds/{guild_id}/threads/active",
             [&api](Context& c) { return Active(api, c); });
  router.Add("GET", "/channels/{channel_id}/threads/archived/public",
             [&api](Context& c) { return Archived(api, c, ArchivedKind::kPublic); });
  router.Add("GET", "/channels/{channel_id}/threads/archived/private",
             [&api](Context& c) { return Archived(api, c, ArchivedKind::kPrivate); });
  router.Add("GET", "/channels/{channel_id}/users/@me/threads/archived/private",
             [&api](Context& c) { return Archived(api, c, ArchivedKind::kJoinedPrivate); });
}

}  // namespace chat::http
