#include "service/auth_service.hpp"

#include <vector>

#include "domain/validation.hpp"
#include "service/auth/secure_token.hpp"

namespace chat::service {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits "Scheme token" into its parts; a bare token has an empty scheme.
std::pair<std::string_view, std::string_view> SplitAuthorization(std::string_view header) {
  header = Trim(header);
  auto space = header.find(' ');
  if (space == std::string_view::npos) return {{}, header};
  return {header.substr(0, space), Trim(header.substr(space + 1))};
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A JWT has three dot-separated parts; our bot tokens have two.
bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

Error BadCredentials() {
  return Error{Errc::kUnauthorized,
               "Invalid login or password",
               50035,
               {{"login", "INVALID_LOGIN", "Login or password is invalid."},
                {"password", "INVALID_LOGIN", "Login or password is invalid."}}};
}

constexpr const char* kSessionsEnded = "401: Unauthorized (sessions ended)";

// An unknown, spent or expired mailed token, as a Validation error on `token`.
Error InvalidMailToken(const char* code, const char* message) {
  return Error::Validation("Invalid Form Body", {{"token", code, message}});
}

}  // namespace

AuthService::AuthService(store::UserStore& users, store::TokenStore& tokens,
                         store::ApplicationStore& apps, domain::SnowflakeGenerator& ids,
                         const auth::JwtCodec& jwt, AuthOptions options, Clock clock)
    : users_(users),
      tokens_(tokens),
      apps_(apps),
      ids_(ids),
      jwt_(jwt),
      options_(options),
      clock_(clock) {}

Result<domain::User> AuthService::Register(const RegisterInput& input) {
  std::vector<FieldError> fields;
  if (auto e = domain::ValidateUsername(input.username)) fields.push_back(*e);
  if (auto e = domain::ValidateEmail(input.email)) fields.push_back(*e);
  if (auto e = domain::CheckPasswordStrength(input.password)) fields.push_back(*e);
  if (!fields.empty()) return Error::Validation("Invalid Form Body", std::move(fields));

  domain::User user;
  user.id = ids_.Next();
  user.username = input.username;
  user.email = input.email;
  user.password_hash = auth::PasswordHasher::Hash(input.password, options_.hash_params);
  user.created_at_ms = clock_();
  if (auto r = users_.CreateUser(user); !r) return r.error();
  user.password_hash.clear();
  return user;
}

// A new mail token for `user`, unless they were sent one of `kind` less than `interval_ms` ago.
Result<std::optional<AccountMail>> AuthService::NewMailToken(store::MailTokenKind kind,
                                                             const domain::User& user,
                                                             std::int64_t ttl_ms,
                                                             std::int64_t interval_ms) {
  AccountMail mail{user.email, user.username, auth::RandomToken(32)};
  const std::int64_t now = clock_();
  store::MailToken row{auth::Sha256Hex(mail.token), user.id, now, now + ttl_ms};
  auto created = tokens_.CreateMailToken(kind, row, now - interval_ms);
  if (!created) return created.error();
  if (!*created) return std::optional<AccountMail>();
  return std::optional<AccountMail>(std::move(mail));
}

Result<std::optional<AccountMail>> AuthService::RequestPasswordReset(std::string_view login) {
  auto user = users_.GetUserByLogin(login);
  if (!user) {
    if (user.error().code == Errc::kNotFound) return std::optional<AccountMail>();
    return user.error();
  }
  if (user->bot || user->email.empty()) return std::optional<AccountMail>();
  return NewMailToken(store::MailTokenKind::kPasswordReset, *user, kPasswordResetTtlMs,
                      kMailIntervalMs);
}

Result<std::optional<AccountMail>> AuthService::RequestEmailVerification(
    domain::Snowflake user_id) {
  auto user = users_.GetUser(user_id);
  if (!user) return user.error();
  if (user->bot || user->verified || user->email.empty()) return std::optional<AccountMail>();
  return NewMailToken(store::MailTokenKind::kEmailVerification, *user, kEmailVerificationTtlMs,
                      kMailIntervalMs);
}

// Spends a mailed token; an unknown, used or expired one is a Validation error on `token`.
Result<domain::Snowflake> AuthService::SpendMailToken(store::MailTokenKind kind,
                                                      std::string_view token,
                                                      const char* invalid_code,
                                                      const char* invalid_message) {
  auto user_id = tokens_.TakeMailToken(kind, auth::Sha256Hex(token), clock_());
  if (user_id || user_id.error().code != Errc::kNotFound) return user_id;
  return InvalidMailToken(invalid_code, invalid_message);
}

Result<domain::User> AuthService::VerifyEmail(std::string_view token) {
  auto user_id = SpendMailToken(store::MailTokenKind::kEmailVerification, token,
                                "EMAIL_VERIFICATION_TOKEN_INVALID",
                                "This verification link is invalid or has expired.");
  if (!user_id) return user_id.error();
  store::UserUpdate update;
  update.verified = true;
  auto user = users_.UpdateUser(*user_id, update);
  if (!user) return user.error();
  user->password_hash.clear();
  return user;
}

Result<TokenPair> AuthService::ResetPassword(std::string_view token, std::string_view password) {
  // The password is checked first, so that a weak one does not spend the token, and the token
  // before hashing, so that guessing tokens costs no argon2 run.
  if (auto weak = domain::CheckPasswordStrength(password)) {
    return Error::Validation("Invalid Form Body", {*weak});
  }
  const std::string token_hash = auth::Sha256Hex(token);
  const auto invalid = [] {
    return InvalidMailToken("PASSWORD_RESET_TOKEN_INVALID",
                            "This password reset link is invalid or has expired.");
  };
  auto live = tokens_.MailTokenLive(store::MailTokenKind::kPasswordReset, token_hash, clock_());
  if (!live) return live.error();
  if (!*live) return invalid();
  const std::string hash = auth::PasswordHasher::Hash(std::string(password), options_.hash_params);
  auto ended = tokens_.ResetPassword(token_hash, clock_(), hash);
  if (!ended) {
    if (ended.error().code == Errc::kNotFound) return invalid();  // spent meanwhile
    return ended.error();
  }
  revocations_.Ended(*ended);
  return IssueTokens(ended->user_id, {}, ended->token_version);
}

Result<TokenPair> AuthService::ChangePassword(domain::Snowflake user_id,
                                              std::string_view new_password) {
  if (auto weak = domain::CheckPasswordStrength(new_password, "new_password")) {
    return Error::Validation("Invalid Form Body", {*weak});
  }
  const std::string hash =
      auth::PasswordHasher::Hash(std::string(new_password), options_.hash_params);
  auto version = tokens_.ChangePassword(user_id, hash);
  if (!version) return version.error();
  revocations_.Ended({user_id, *version});
  return IssueTokens(user_id, {}, *version);
}

Result<void> AuthService::EndSessions(domain::Snowflake user_id) {
  auto version = tokens_.EndUserSessions(user_id);
  if (!version) return version.error();
  revocations_.Ended({user_id, *version});
  return {};
}

Result<TokenPair> AuthService::IssueTokens(domain::Snowflake user_id,
                                           std::optional<domain::Snowflake> family,
                                           std::optional<std::int64_t> version) {
  if (!version) {
    auto user = users_.GetUser(user_id);
    if (!user) return user.error();
    version = user->token_version;
  }
  const std::int64_t now_ms = clock_();
  auth::Claims claims;
  claims.sub = user_id;
  claims.iat = now_ms / 1000;
  claims.exp = claims.iat + options_.access_ttl.count();
  claims.jti = auth::RandomToken(12);
  claims.ver = *version;
  TokenPair pair;
  pair.access_token = jwt_.Sign(claims);
  pair.refresh_token = auth::RandomToken(32);
  pair.expires_in = options_.access_ttl.count();
  pair.user_id = user_id;

  store::RefreshToken row;
  row.token_hash = auth::Sha256Hex(pair.refresh_token);
  row.user_id = user_id;
  row.family_id = family ? *family : ids_.Next();
  row.created_at_ms = now_ms;
  row.expires_at_ms = now_ms + options_.refresh_ttl.count() * 1000;
  row.token_version = *version;
  if (!family) {
    if (auto r = tokens_.CreateRefreshToken(row); !r) {
      if (r.error().code == Errc::kConflict) return Error::Unauthorized(kSessionsEnded);
      return r.error();
    }
  }
  return pair;
}

Result<TokenPair> AuthService::Login(std::string_view login, std::string_view password) {
  if (login.empty() || password.empty() || login.size() > 320 || password.size() > 1024) {
    return BadCredentials();
  }
  auto user = users_.GetUserByLogin(login);
  if (!user) {
    if (user.error().code != Errc::kNotFound) return user.error();
    // Same work and answer as a wrong password, so the reply does not reveal who exists.
    std::call_once(dummy_once_, [this] {
      dummy_hash_ = auth::PasswordHasher::Hash("dummy-password", options_.hash_params);
    });
    (void)auth::PasswordHasher::Verify(dummy_hash_, password);
    return BadCredentials();
  }
  if (user->bot || !auth::PasswordHasher::Verify(user->password_hash, password)) {
    return BadCredentials();
  }
  return IssueTokens(user->id, {}, user->token_version);
}

Result<TokenPair> AuthService::Refresh(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 256) return Error::Unauthorized();
  const std::string hash = auth::Sha256Hex(refresh_token);
  auto found = tokens_.FindRefreshToken(hash);
  if (!found) {
    if (found.error().code == Errc::kNotFound) return Error::Unauthorized();
    return found.error();
  }
  if (found->revoked || found->expires_at_ms <= clock_()) return Error::Unauthorized();
  if (found->used) {
    // A spent token came back: someone holds a copy. End every session of this family.
    (void)tokens_.RevokeTokenFamily(found->family_id);
    return Error::Unauthorized("401: Unauthorized (refresh token reuse; session revoked)");
  }
  auto user = users_.GetUser(found->user_id);
  if (!user) {
    if (user.error().code == Errc::kNotFound) return Error::Unauthorized();
    return user.error();
  }
  auto pair = IssueTokens(found->user_id, found->family_id, user->token_version);
  if (!pair) return pair.error();
  store::RefreshToken next;
  next.token_hash = auth::Sha256Hex(pair->refresh_token);
  next.user_id = found->user_id;
  next.family_id = found->family_id;
  next.created_at_ms = clock_();
  next.expires_at_ms = next.created_at_ms + options_.refresh_ttl.count() * 1000;
  next.token_version = user->token_version;
  auto rotated = tokens_.RotateRefreshToken(hash, next);
  if (!rotated) {
    if (rotated.error().code == Errc::kConflict) return Error::Unauthorized(kSessionsEnded);
    return rotated.error();
  }
  if (!*rotated) {
    // Lost a race with another use of the same token: treat it as reuse.
    (void)tokens_.RevokeTokenFamily(found->family_id);
    return Error::Unauthorized("401: Unauthorized (refresh token reuse; session revoked)");
  }
  return pair;
}

Result<void> AuthService::Logout(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 256) return {};
  auto found = tokens_.FindRefreshToken(auth::Sha256Hex(refresh_token));
  if (!found) {
    if (found.error().code == Errc::kNotFound) return {};
    return found.error();
  }
  return tokens_.RevokeTokenFamily(found->family_id);
}

std::string_view AuthService::TokenOf(std::string_view authorization) {
  return SplitAuthorization(authorization).second;
}

bool AuthService::IsBotToken(std::string_view authorization) {
  auto [scheme, token] = SplitAuthorization(authorization);
  if (IEquals(scheme, "Bot")) return true;
  return scheme.empty() && !LooksLikeJwt(token) && auth::BotTokenUserId(token).has_value();
}

Result<Principal> AuthService::VerifyAccessToken(std::string_view token) const {
  auto claims = jwt_.Verify(token, clock_() / 1000);
  if (!claims) return claims.error();
  const std::int64_t current = revocations_.VersionOf(claims->sub);
  if (claims->ver < current) return Error::Unauthorized(kSessionsEnded);
  return Principal{claims->sub, false, claims->ver};
}

Result<Principal> AuthService::Authenticate(std::string_view authorization) {
  auto [scheme, token] = SplitAuthorization(authorization);
  if (token.empty()) return Error::Unauthorized();
  const bool bot_scheme = IEquals(scheme, "Bot");
  if (!scheme.empty() && !bot_scheme && !IEquals(scheme, "Bearer")) return Error::Unauthorized();
  if (!bot_scheme && LooksLikeJwt(token)) return VerifyAccessToken(token);
  // Discord's libraries send "Bot <token>"; the seed sends "Bearer <jwt>". A user's access
  // token under "Bot" is accepted too, so one token works with either client.
  if (bot_scheme && LooksLikeJwt(token)) return VerifyAccessToken(token);
  auto bot_user = auth::BotTokenUserId(token);
  if (!bot_user) return Error::Unauthorized();
  auto app = apps_.GetApplicationByBotUser(*bot_user);
  if (!app) {
    if (app.error().code == Errc::kNotFound) return Error::Unauthorized();
    return app.error();
  }
  if (!auth::ConstantTimeEquals(app->bot_token_hash, auth::Sha256Hex(token))) {
    return Error::Unauthorized();
  }
  return Principal{*bot_user, true, revocations_.VersionOf(*bot_user)};
}

bool AuthService::CheckPassword(const domain::User& user, std::string_view password) const {
  return !user.password_hash.empty() && auth::PasswordHasher::Verify(user.password_hash, password);
}

}  // namespace chat::service
