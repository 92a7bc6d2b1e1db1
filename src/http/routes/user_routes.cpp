// http/routes/user_routes.cpp — /users/@me and /users/{user_id}.
#include <boost/json.hpp>

#include "domain/json/user_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/routes.hpp"

namespace chat::http {
namespace {
using Awaitable = boost::asio::awaitable<Response>;

Awaitable GetMe(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto user = co_await api.db.Run([&] { return api.users.Get(who->user_id); });
  // A valid token for a user that no longer exists is a bad token.
  if (!user && user.error().code == Errc::kNotFound) {
    Error e = Error::Unauthorized();
    co_return ErrorResponse(e);
  }
  if (!user) co_return ErrorResponse(user.error());
  co_return Response::Json(200, domain::json::UserJson(*user, true));
}

Awaitable PatchMe(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  service::ProfileUpdate update;
  update.username = fields.String("username", false, 256);
  update.global_name = fields.NullableString("global_name", 256);
  update.avatar = fields.NullableString("avatar", 1 << 16);
  update.password = fields.String("password", false, 1024);
  update.new_password = fields.String("new_password", false, 1024);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  // Guessing the current password here is throttled as logins are (per account, under a key of
  // its own): a stolen access token must not make a brute force of it cheap.
  const std::string account = "@" + domain::ToString(who->user_id);
  const std::string& address = ctx.request.remote_address;
  auto* throttle = update.password ? api.login_throttle : nullptr;
  auto updated = co_await api.hash.Run([&]() -> Result<service::UpdatedProfile> {
    if (throttle != nullptr) {
      if (auto wait = throttle->Check(account, address)) {
        return Error::RateLimited(*wait, "Too many wrong passwords; try again later.");
      }
    }
    auto result = api.users.Update(who->user_id, update);
    if (throttle != nullptr && !result) {
      for (const auto& f : result.error().fields) {
        if (f.code == "PASSWORD_DOES_NOT_MATCH") throttle->RecordFailure(account, address);
      }
    }
    return result;
  });
  if (!updated) co_return ErrorResponse(updated.error());
  auto out = domain::json::UserJson(updated->user, true);
  if (updated->tokens) {
    // As Discord: the session that changed the password goes on with the token in the answer.
    out["token"] = updated->tokens->access_token;
    out["refresh_token"] = updated->tokens->refresh_token;
  }
  co_return Response::Json(200, std::move(out));
}

Awaitable GetUser(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = domain::ParseSnowflake(ctx.Param("user_id"));
  if (!id) {
    Error e = Error::NotFound("Unknown User", 10013);
    co_return ErrorResponse(e);
  }
  auto user = co_await api.db.Run([&] { return api.users.Get(*id); });
  if (!user) co_return ErrorResponse(user.error());
  co_return Response::Json(200, domain::json::UserJson(*user, *id == who->user_id));
}

}  // namespace

void AddUserRoutes(Router& router, Api& api) {
  router.Add("GET", "/users/@me", [&api](Context& c) { return GetMe(api, c); });
  router.Add("PATCH", "/users/@me", [&api](Context& c) { return PatchMe(api, c); });
  router.Add("GET", "/users/{user_id}", [&api](Context& c) { return GetUser(api, c); });
}

}  // namespace chat::http
