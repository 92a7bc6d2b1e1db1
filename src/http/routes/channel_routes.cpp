// http/routes/channel_routes.cpp — guild channel routes: /guilds/{guild_id}/channels,
// /channels/{channel_id} (threads, DMs and group DMs included) and
// /channels/{channel_id}/permissions/{overwrite_id}. Glue only: ChannelService holds the rules.
#include <boost/json.hpp>

#include "domain/json/guild_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/channel_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

Error InvalidJsonBody() {
  return Error{Errc::kValidation, "The request body contains invalid JSON.", 50109};
}

std::optional<domain::PermissionOverwrite> ReadOverwrite(const json::object& o,
                                                         CommunityFields& fields,
                                                         std::optional<Snowflake> id) {
  domain::PermissionOverwrite ow;
  if (!id) id = fields.Id("id");
  auto type = fields.Int("type", 0, 1);
  auto allow = fields.Permissions("allow");
  auto deny = fields.Permissions("deny");
  if (!id || !type) {
    if (!o.contains("type")) fields.Add("type", "BASE_TYPE_REQUIRED", "This field is required");
    return std::nullopt;
  }
  ow.id = *id;
  ow.type = static_cast<domain::OverwriteType>(*type);
  ow.allow = allow.value_or(0);
  ow.deny = deny.value_or(0);
  return ow;
}

// A guild channel as it is; a DM or group DM with its other recipients as user objects, as its
// viewer sees it. Run on the db pool.
Result<json::object> ChannelObject(Api& api, Snowflake viewer, domain::Channel channel) {
  if (channel.guild_id) return domain::json::ChannelJson(channel);
  auto view = api.group_dms->View(std::move(channel), viewer);
  if (!view) return view.error();
  return domain::json::DmChannelJson(view->channel, view->recipients);
}

Response ChannelList(const std::vector<domain::Channel>& channels) {
  json::array out;
  for (const auto& c : channels) out.push_back(domain::json::ChannelJson(c));
  return Response::Json(200, out);
}

Awaitable List(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->channels.List(who->user_id, *id); });
  if (!list) co_return ErrorResponse(list.error());
  co_return ChannelList(*list);
}

// `permission_overwrites` (create, and PATCH's replacement): at most 100, one per target.
std::optional<std::vector<domain::PermissionOverwrite>> ReadOverwrites(const json::object& body,
                                                                       CommunityFields& fields) {
  auto it = body.find("permission_overwrites");
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array() || it->value().get_array().size() > 100) {
    fields.Add("permission_overwrites", "BASE_TYPE_ARRAY", "Must be an array.");
    return std::nullopt;
  }
  std::vector<domain::PermissionOverwrite> out;
  for (const auto& v : it->value().get_array()) {
    if (!v.is_object()) {
      fields.Add("permission_overwrites", "BASE_TYPE_ARRAY", "Must be objects.");
      return std::nullopt;
    }
    CommunityFields inner(v.get_object());
    auto ow = ReadOverwrite(v.get_object(), inner, std::nullopt);
    if (!ow || !inner.Finish()) {
      fields.Add("permission_overwrites", "OVERWRITE_INVALID", "Invalid overwrite.");
      return std::nullopt;
    }
    for (const auto& seen : out) {
      if (seen.id == ow->id) {
        fields.Add("permission_overwrites", "OVERWRITE_DUPLICATE", "One overwrite per target.");
        return std::nullopt;
      }
    }
    out.push_back(*ow);
  }
  return out;
}

Awaitable Create(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  service::ChannelInput input;
  auto name = fields.String("name", true, 400);
  auto type = fields.Int("type", 0, 15);
  input.position = fields.Int("position", 0, 100000);
  input.parent_id = fields.Id("parent_id");
  input.topic = fields.String("topic", false, 8192);
  input.nsfw = fields.Bool("nsfw").value_or(false);
  input.rate_limit_per_user = fields.Int("rate_limit_per_user", 0, 21600).value_or(0);
  input.bitrate = fields.Int("bitrate", 8000, 384000);
  input.user_limit = fields.Int("user_limit", 0, 10000);  // per type in ChannelService
  if (auto overwrites = ReadOverwrites(*body, fields)) input.overwrites = std::move(*overwrites);
  input.flags = fields.Int("flags", 0, 1 << 30).value_or(0);
  input.forum_body = &*body;
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  input.name = std::move(*name);
  input.type = static_cast<domain::ChannelType>(type.value_or(0));
  auto reason = AuditLogReason(ctx.request);
  auto channel = co_await api.db.Run([&] {
    return api.communities->channels.Create(who->user_id, *id, std::move(input), reason);
  });
  if (!channel) co_return ErrorResponse(channel.error());
  co_return Response::Json(201, domain::json::ChannelJson(*channel));
}

Awaitable Reorder(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!id) co_return ErrorResponse(id.error());
  auto body = ReadArray(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  std::vector<store::ChannelPosition> positions;
  for (const auto& v : *body) {
    if (!v.is_object()) {
      Error e = InvalidJsonBody();
      co_return ErrorResponse(e);
    }
    CommunityFields fields(v.get_object());
    auto channel_id = fields.Id("id");
    auto position = fields.Int("position", 0, 100000);
    auto parent = fields.NullableId("parent_id");
    if (!channel_id) fields.Add("id", "BASE_TYPE_REQUIRED", "This field is required");
    if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
    positions.push_back({*channel_id, position.value_or(0), parent});
  }
  auto done = co_await api.db.Run(
      [&] { return api.communities->channels.SetPositions(who->user_id, *id, positions); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable Get(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  auto channel = co_await api.db.Run([&]() -> Result<json::object> {
    auto found = api.communities->channels.Get(who->user_id, *id);
    if (!found) return found.error();
    return ChannelObject(api, who->user_id, std::move(*found));
  });
  if (!channel) co_return ErrorResponse(channel.error());
  co_return Response::Json(200, *channel);
}

Awaitable Patch(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  store::ChannelUpdate update;
  update.name = fields.String("name", false, 400);
  if (auto type = fields.Int("type", 0, 15)) update.type = static_cast<domain::ChannelType>(*type);
  update.position = fields.Int("position", 0, 100000);
  update.parent_id = fields.NullableId("parent_id");
  update.topic = fields.NullableString("topic", 8192);
  update.nsfw = fields.Bool("nsfw");
  update.rate_limit_per_user = fields.Int("rate_limit_per_user", 0, 21600);
  update.bitrate = fields.Int("bitrate", 8000, 384000);
  update.user_limit = fields.Int("user_limit", 0, 10000);
  service::ThreadChange thread;  // what a thread takes beyond the name and slowmode
  thread.archived = fields.Bool("archived");
  thread.locked = fields.Bool("locked");
  thread.auto_archive_duration = fields.Int("auto_archive_duration", 0, 100000);
  thread.invitable = fields.Bool("invitable");
  thread.applied_tags = fields.Ids("applied_tags");
  update.flags = fields.Int("flags", 0, 1 << 30);
  update.overwrites = ReadOverwrites(*body, fields);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto channel = co_await api.db.Run([&]() -> Result<json::object> {
    auto after = api.communities->channels.Update(who->user_id, *id, std::move(update), reason,
                                                  std::move(thread), &*body);
    if (!after) return after.error();
    return ChannelObject(api, who->user_id, std::move(*after));
  });
  if (!channel) co_return ErrorResponse(channel.error());
  co_return Response::Json(200, *channel);
}

Awaitable Delete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  auto reason = AuditLogReason(ctx.request);
  auto channel = co_await api.db.Run([&]() -> Result<json::object> {
    auto gone = api.communities->channels.Delete(who->user_id, *id, reason);
    if (!gone) return gone.error();
    return ChannelObject(api, who->user_id, std::move(*gone));
  });
  if (!channel) co_return ErrorResponse(channel.error());
  co_return Response::Json(200, *channel);
}

Awaitable PutOverwrite(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  Error unknown_overwrite = Error::NotFound("Unknown Overwrite", 10009);
  auto target = PathId(ctx, "overwrite_id", unknown_overwrite);
  if (!target) co_return ErrorResponse(target.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  CommunityFields fields(*body);
  auto overwrite = ReadOverwrite(*body, fields, *target);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run([&] {
    return api.communities->channels.PutOverwrite(who->user_id, *id, *overwrite, reason);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable DeleteOverwrite(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!id) co_return ErrorResponse(id.error());
  Error unknown_overwrite = Error::NotFound("Unknown Overwrite", 10009);
  auto target = PathId(ctx, "overwrite_id", unknown_overwrite);
  if (!target) co_return ErrorResponse(target.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run([&] {
    return api.communities->channels.DeleteOverwrite(who->user_id, *id, *target, reason);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

}  // namespace

void AddChannelRoutes(Router& router, Api& api) {
  router.Add("GET", "/guilds/{guild_id}/channels", [&api](Context& c) { return List(api, c); });
  router.Add("POST", "/guilds/{guild_id}/channels", [&api](Context& c) { return Create(api, c); });
  router.Add("PATCH", "/guilds/{guild_id}/channels",
             [&api](Context& c) { return Reorder(api, c); });
  router.Add("GET", "/channels/{channel_id}", [&api](Context& c) { return Get(api, c); });
  router.Add("PATCH", "/channels/{channel_id}", [&api](Context& c) { return Patch(api, c); });
  router.Add("DELETE", "/channels/{channel_id}", [&api](Context& c) { return Delete(api, c); });
  router.Add("PUT", "/channels/{channel_id}/permissions/{overwrite_id}",
             [&api](Context& c) { return PutOverwrite(api, c); });
  router.Add("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}",
             [&api](Context& c) { return DeleteOverwrite(api, c); });
}

}  // namespace chat::http
