// http/routes/auth_routes.cpp — the seed's auth contract: register, login (JSON or form),
// refresh rotation, logout; and a forgotten password reset by mail. Parse → service on a worker
// pool → JSON.
#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/user_json.hpp"
#include "http/api.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/routes/routes.hpp"
#include "mail/mailer.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;

json::object TokenJson(const service::TokenPair& pair) {
  return {{"access_token", pair.access_token},
          {"refresh_token", pair.refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", pair.expires_in},
          {"token", pair.access_token},
          {"user_id", domain::ToString(pair.user_id)}};
}

mail::Mail VerificationMail(const service::AccountMail& verify) {
  mail::Mail m;
  m.to = verify.to;
  m.subject = "Confirm your chat-server email address";
  m.text = "Hello " + verify.username +
           ",\n\n"
           "Confirm that this address is yours with this token, within 24 hours:\n\n"
           "Verification token: " +
           verify.token +
           "\n\n"
           "POST /api/v10/auth/verify {\"token\": \"...\"}\n\n"
           "If you did not create an account, ignore this mail.\n";
  return m;
}

// Queues the verification mail of `user_id`, made on the mail thread (nothing without mail).
void MailVerification(Api& api, domain::Snowflake user_id) {
  if (api.mail == nullptr) return;
  auto& auth = api.auth;  // lives until after the mail queue has stopped (app.cpp)
  const bool queued = api.mail->Enqueue([&auth, user_id]() -> std::optional<mail::Mail> {
    auto verify = auth.RequestEmailVerification(user_id);
    if (!verify) {
      log::Warn("auth", "email verification failed", {{"error", verify.error().message}});
      return std::nullopt;
    }
    if (!*verify) return std::nullopt;
    return VerificationMail(**verify);
  });
  if (!queued) log::Warn("auth", "mail queue full: a verification mail was dropped");
}

Awaitable Register(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  service::RegisterInput input;
  input.username = fields.String("username", true, 256).value_or("");
  input.email = fields.String("email", true, 512).value_or("");
  input.password = fields.String("password", true, 1024).value_or("");
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto user = co_await api.hash.Run([&] { return api.auth.Register(input); });
  if (!user) co_return ErrorResponse(user.error());
  MailVerification(api, user->id);
  co_return Response::Json(201, domain::json::UserJson(*user, true));
}

Awaitable Login(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request, /*allow_form=*/true);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  // The seed sends `username`; Discord clients send `login` (a username or an email).
  auto login = fields.String("login", false, 512);
  if (!login) login = fields.String("username", false, 512);
  if (!login) login = fields.String("email", false, 512);
  auto password = fields.String("password", true, 1024);
  if (!login) {
    Error e = Error::Validation("Invalid Form Body",
                                {{"login", "BASE_TYPE_REQUIRED", "This field is required"}});
    co_return ErrorResponse(e);
  }
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());

  const std::string& address = ctx.request.remote_address;
  // The throttle runs beside the hash: with several nodes its counts are in Redis (blocking).
  auto* throttle = api.login_throttle;
  auto pair = co_await api.hash.Run([&]() -> Result<service::TokenPair> {
    if (throttle != nullptr) {
      if (auto wait = throttle->Check(*login, address)) {
        return Error::RateLimited(*wait, "Too many failed logins; try again later.");
      }
    }
    auto issued = api.auth.Login(*login, *password);
    if (throttle != nullptr) {
      if (issued) {
        throttle->RecordSuccess(*login);
      } else if (issued.error().code == Errc::kUnauthorized) {
        throttle->RecordFailure(*login, address);
      }
    }
    return issued;
  });
  if (!pair) co_return ErrorResponse(pair.error());
  co_return Response::Json(200, TokenJson(*pair));
}

Awaitable Refresh(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request, true);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  auto token = fields.String("refresh_token", true, 512);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto pair = co_await api.db.Run([&] { return api.auth.Refresh(*token); });
  if (!pair) co_return ErrorResponse(pair.error());
  co_return Response::Json(200, TokenJson(*pair));
}

Awaitable Logout(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request, true);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  auto token = fields.String("refresh_token", true, 512);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto done = co_await api.db.Run([&] { return api.auth.Logout(*token); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// The token is the whole proof: whoever reads this mail may set the password, for one hour.
mail::Mail ResetMail(const service::AccountMail& reset) {
  mail::Mail m;
  m.to = reset.to;
  m.subject = "Reset your chat-server password";
  m.text = "Hello " + reset.username +
           ",\n\n"
           "Someone, hopefully you, asked to reset the password of your account.\n\n"
           "Reset token: " +
           reset.token +
           "\n\n"
           "Send it with your new password within one hour:\n"
           "POST /api/v10/auth/reset {\"token\": \"...\", \"password\": \"...\"}\n"
           "Your other sessions end when the password changes.\n\n"
           "If you did not ask for this, ignore this mail: your password stays as it is.\n";
  return m;
}

// Discord's POST /auth/forgot: 204 whether or not the account exists. The lookup, the reset and
// the mail all happen on the mail queue's thread after the answer, so neither the answer nor its
// timing tells whether the account exists.
Awaitable Forgot(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request, /*allow_form=*/true);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  auto login = fields.String("login", false, 512);
  if (!login) login = fields.String("email", false, 512);
  if (!login) login = fields.String("username", false, 512);
  if (!login) {
    Error e = Error::Validation("Invalid Form Body",
                                {{"login", "BASE_TYPE_REQUIRED", "This field is required"}});
    co_return ErrorResponse(e);
  }
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  if (api.mail == nullptr) {
    co_return ErrorResponse(Error::Unavailable("email is not configured on this server"));
  }
  auto& auth = api.auth;  // lives until after the mail queue has stopped (app.cpp)
  const bool queued = api.mail->Enqueue([&auth, login = *login]() -> std::optional<mail::Mail> {
    auto reset = auth.RequestPasswordReset(login);
    if (!reset) {
      log::Warn("auth", "password reset failed", {{"error", reset.error().message}});
      return std::nullopt;
    }
    if (!*reset) return std::nullopt;
    return ResetMail(**reset);
  });
  if (!queued) log::Warn("auth", "mail queue full: a password reset request was dropped");
  co_return Response::NoContent();
}

Awaitable Reset(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request, /*allow_form=*/true);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  auto token = fields.String("token", true, 512);
  auto password = fields.String("password", true, 1024);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto pair = co_await api.hash.Run([&] { return api.auth.ResetPassword(*token, *password); });
  if (!pair) co_return ErrorResponse(pair.error());
  co_return Response::Json(200, TokenJson(*pair));
}

// Discord's POST /auth/verify: the mailed token marks the account's email verified.
Awaitable Verify(Api& api, Context& ctx) {
  auto body = ReadObject(ctx.request, /*allow_form=*/true);
  if (!body) co_return ErrorResponse(body.error());
  FieldReader fields(*body);
  auto token = fields.String("token", true, 512);
  if (auto r = fields.Finish(); !r) co_return ErrorResponse(r.error());
  auto user = co_await api.db.Run([&] { return api.auth.VerifyEmail(*token); });
  if (!user) co_return ErrorResponse(user.error());
  co_return Response::Json(200, domain::json::UserJson(*user, true));
}

// Discord's POST /auth/verify/resend: mails the signed-in user a new token (at most once a
// minute; nothing when verified already).
Awaitable ResendVerification(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  if (api.mail == nullptr) {
    co_return ErrorResponse(Error::Unavailable("email is not configured on this server"));
  }
  MailVerification(api, who->user_id);
  co_return Response::NoContent();
}

}  // namespace

void AddAuthRoutes(Router& router, Api& api) {
  router.Add("POST", "/auth/register", [&api](Context& c) { return Register(api, c); });
  router.Add("POST", "/auth/login", [&api](Context& c) { return Login(api, c); });
  router.Add("POST", "/auth/refresh", [&api](Context& c) { return Refresh(api, c); });
  router.Add("POST", "/auth/logout", [&api](Context& c) { return Logout(api, c); });
  router.Add("POST", "/auth/forgot", [&api](Context& c) { return Forgot(api, c); });
  router.Add("POST", "/auth/reset", [&api](Context& c) { return Reset(api, c); });
  router.Add("POST", "/auth/verify", [&api](Context& c) { return Verify(api, c); });
  router.Add("POST", "/auth/verify/resend",
             [&api](Context& c) { return ResendVerification(api, c); });
}

}  // namespace chat::http
