// http/routes/command_routes.cpp — applications' commands, global
// (/applications/{application_id}/commands[/{command_id}]) and per guild
// (/applications/{application_id}/guilds/{guild_id}/commands[/{command_id}]), and their
// permissions in a guild (.../guilds/{guild_id}/commands[/{command_id}]/permissions). Glue only:
// CommandService holds the rules, domain/json/command_json the validation.
#include <boost/json.hpp>

#include "domain/json/command_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/community_services.hpp"
#include "http/routes/routes.hpp"
#include "service/command_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

struct Target {
  service::CommandScope scope;
  Snowflake command_id = 0;  // 0 on the list routes
};

boost::asio::awaitable<Result<Target>> Resolve(Api& api, Context& ctx, bool guild,
                                               bool with_command) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  auto app = PathId(ctx, "application_id", store::UnknownApplication());
  if (!app) co_return app.error();
  Target t{{who->user_id, *app, std::nullopt}, 0};
  if (guild) {
    auto id = PathId(ctx, "guild_id", store::UnknownGuild());
    if (!id) co_return id.error();
    t.scope.guild_id = *id;
  }
  if (with_command) {
    auto id = PathId(ctx, "command_id", store::UnknownCommand());
    if (!id) co_return id.error();
    t.command_id = *id;
  }
  co_return t;
}

json::array ListJson(const std::vector<domain::ApplicationCommand>& commands) {
  json::array out;
  for (const auto& c : commands) out.push_back(domain::json::CommandJson(c));
  return out;
}

Awaitable List(Api& api, Context& ctx, bool guild) {
  auto t = co_await Resolve(api, ctx, guild, false);
  if (!t) co_return ErrorResponse(t.error());
  auto list = co_await api.db.Run([&] { return api.communities->commands.List(t->scope); });
  if (!list) co_return ErrorResponse(list.error());
  co_return Response::Json(200, ListJson(*list));
}

Awaitable Get(Api& api, Context& ctx, bool guild) {
  auto t = co_await Resolve(api, ctx, guild, true);
  if (!t) co_return ErrorResponse(t.error());
  auto c =
      co_await api.db.Run([&] { return api.communities->commands.Get(t->scope, t->command_id); });
  if (!c) co_return ErrorResponse(c.error());
  co_return Response::Json(200, domain::json::CommandJson(*c));
}

// Discord answers 201 for a new command and 200 when one of the same name was replaced.
Awaitable Create(Api& api, Context& ctx, bool guild) {
  auto t = co_await Resolve(api, ctx, guild, false);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto stored =
      co_await api.db.Run([&] { return api.communities->commands.Create(t->scope, *body); });
  if (!stored) co_return ErrorResponse(stored.error());
  co_return Response::Json(stored->created ? 201 : 200, domain::json::CommandJson(stored->command));
}

Awaitable Overwrite(Api& api, Context& ctx, bool guild) {
  auto t = co_await Resolve(api, ctx, guild, false);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadArray(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->commands.Overwrite(t->scope, *body); });
  if (!list) co_return ErrorResponse(list.error());
  co_return Response::Json(200, ListJson(*list));
}

Awaitable Edit(Api& api, Context& ctx, bool guild) {
  auto t = co_await Resolve(api, ctx, guild, true);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto c = co_await api.db.Run(
      [&] { return api.communities->commands.Edit(t->scope, t->command_id, *body); });
  if (!c) co_return ErrorResponse(c.error());
  co_return Response::Json(200, domain::json::CommandJson(*c));
}

Awaitable Delete(Api& api, Context& ctx, bool guild) {
  auto t = co_await Resolve(api, ctx, guild, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.communities->commands.Delete(t->scope, t->command_id); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// GET /guilds/{guild_id}/application-command-index: what a member's client offers after "/".
Awaitable GuildIndex(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto guild = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!guild) co_return ErrorResponse(guild.error());
  auto index =
      co_await api.db.Run([&] { return api.communities->commands.Index(who->user_id, *guild); });
  if (!index) co_return ErrorResponse(index.error());
  json::array apps;
  for (const auto& a : index->applications) {
    json::object o{{"id", domain::ToString(a.id)},
                   {"name", a.name},
                   {"description", a.description},
                   {"icon", a.icon ? json::value(*a.icon) : nullptr}};
    if (a.bot_user_id) o["bot_id"] = domain::ToString(*a.bot_user_id);
    apps.push_back(std::move(o));
  }
  co_return Response::Json(200, json::object{{"applications", std::move(apps)},
                                             {"application_commands", ListJson(index->commands)}});
}

Awaitable ListPermissions(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true, false);
  if (!t) co_return ErrorResponse(t.error());
  auto list =
      co_await api.db.Run([&] { return api.communities->commands.ListPermissions(t->scope); });
  if (!list) co_return ErrorResponse(list.error());
  json::array out;
  for (const auto& v : *list) out.push_back(service::CommandPermissionsViewJson(v));
  co_return Response::Json(200, out);
}

// The command id may also be the application's own: its permissions for all of its commands.
boost::asio::awaitable<Result<Target>> ResolvePermissionsTarget(Api& api, Context& ctx) {
  auto t = co_await Resolve(api, ctx, true, false);
  if (!t) co_return t.error();
  auto id = PathId(ctx, "command_id", store::UnknownCommand());
  if (!id) co_return id.error();
  t->command_id = *id;
  co_return t;
}

Awaitable GetPermissions(Api& api, Context& ctx) {
  auto t = co_await ResolvePermissionsTarget(api, ctx);
  if (!t) co_return ErrorResponse(t.error());
  auto view = co_await api.db.Run(
      [&] { return api.communities->commands.GetPermissions(t->scope, t->command_id); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, service::CommandPermissionsViewJson(*view));
}

Awaitable PutPermissions(Api& api, Context& ctx) {
  auto t = co_await ResolvePermissionsTarget(api, ctx);
  if (!t) co_return ErrorResponse(t.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto reason = AuditLogReason(ctx.request);
  auto view = co_await api.db.Run([&] {
    return api.communities->commands.PutPermissions(t->scope, t->command_id, *body, reason);
  });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, service::CommandPermissionsViewJson(*view));
}

}  // namespace

void AddCommandRoutes(Router& router, Api& api) {
  router.Add("GET", "/guilds/{guild_id}/application-command-index",
             [&api](Context& c) { return GuildIndex(api, c); });
  // Before .../commands/{command_id}: the literal segment must win (router.hpp).
  const std::string permissions =
      "/applications/{application_id}/guilds/{guild_id}/commands/permissions";
  router.Add("GET", permissions, [&api](Context& c) { return ListPermissions(api, c); });
  const std::string one_permissions =
      "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}/permissions";
  router.Add("GET", one_permissions, [&api](Context& c) { return GetPermissions(api, c); });
  router.Add("PUT", one_permissions, [&api](Context& c) { return PutPermissions(api, c); });
  for (const bool guild : {false, true}) {
    const std::string base = guild ? "/applications/{application_id}/guilds/{guild_id}/commands"
                                   : "/applications/{application_id}/commands";
    router.Add("GET", base, [&api, guild](Context& c) { return List(api, c, guild); });
    router.Add("POST", base, [&api, guild](Context& c) { return Create(api, c, guild); });
    router.Add("PUT", base, [&api, guild](Context& c) { return Overwrite(api, c, guild); });
    const std::string one = base + "/{command_id}";
    router.Add("GET", one, [&api, guild](Context& c) { return Get(api, c, guild); });
    router.Add("PATCH", one, [&api, guild](Context& c) { return Edit(api, c, guild); });
    router.Add("DELETE", one, [&api, guild](Context& c) { return Delete(api, c, guild); });
  }
}

}  // namespace chat::http
