// service/auth_service.hpp — accounts and tokens: register, login, refresh rotation with reuse
// detection, logout, and resolving an Authorization header to a user. Synchronous; every method
// blocks (argon2, the store) and runs on a worker pool, never on an I/O thread — except
// VerifyAccessToken, which is a pure HMAC check. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"
#include "service/auth/jwt.hpp"
#include "service/auth/password_hasher.hpp"
#include "service/session_revocations.hpp"
#include "store/application_store.hpp"
#include "store/token_store.hpp"
#include "store/user_store.hpp"

namespace chat::service {

struct AuthOptions {
  std::chrono::seconds access_ttl{15 * 60};
  std::chrono::seconds refresh_ttl{7 * 24 * 3600};
  auth::HashParams hash_params = auth::PasswordHasher::Seed();
};

struct TokenPair {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;  // seconds
  domain::Snowflake user_id = 0;
};

struct RegisterInput {
  std::string username;
  std::string email;
  std::string password;
};

// A token to mail to an account (a password reset, an email verification): the raw token exists
// only here and in the mail.
struct AccountMail {
  std::string to;  // the account's email
  std::string username;
  std::string token;
};
// How long a mailed token stays good, and how soon the same account may be mailed again (per
// kind).
inline constexpr std::int64_t kPasswordResetTtlMs = 60 * 60 * 1000;
inline constexpr std::int64_t kEmailVerificationTtlMs = 24 * 60 * 60 * 1000;
inline constexpr std::int64_t kMailIntervalMs = 60 * 1000;

// Who a request acts as.
struct Principal {
  domain::Snowflake user_id = 0;
  bool bot = false;
  // The user's token version the credential was issued under (a bot token: the current one).
  // The gateway keeps it with a session: ending the user's sessions closes those below the new
  // version.
  std::int64_t token_version = 0;
};

class AuthService {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds
  AuthService(store::UserStore& users, store::TokenStore& tokens, store::ApplicationStore& apps,
              domain::SnowflakeGenerator& ids, const auth::JwtCodec& jwt, AuthOptions options,
              Clock clock = &domain::SnowflakeGenerator::SystemClockMs);
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // Validation error naming each bad field; Conflict on a taken username or email.
  [[nodiscard]] Result<domain::User> Register(const RegisterInput& input);
  // `login` is a username or an email. Unknown user and wrong password are the same 401.
  [[nodiscard]] Result<TokenPair> Login(std::string_view login, std::string_view password);
  // Rotates: the presented token is spent and a new pair issued. Presenting a spent token
  // revokes its whole family (a stolen token was used) and answers 401.
  [[nodiscard]] Result<TokenPair> Refresh(std::string_view refresh_token);
  // Revokes the refresh token's family. Unknown tokens are fine (idempotent).
  [[nodiscard]] Result<void> Logout(std::string_view refresh_token);

  // Authorization header value: "Bearer <jwt>", "Bot <token>" or a bare token of either kind.
  // Pure for access tokens; bot tokens need the store (call from a worker thread).
  [[nodiscard]] Result<Principal> Authenticate(std::string_view authorization);
  // Only the JWT part; never touches the store, safe on an I/O thread.
  [[nodiscard]] Result<Principal> VerifyAccessToken(std::string_view token) const;
  // True when the header carries a bot token, which needs the store to check.
  // The token of an Authorization header without its scheme ("Bot x", "Bearer x", "x").
  static std::string_view TokenOf(std::string_view authorization);
  static bool IsBotToken(std::string_view authorization);

  // The token pair for a user whose token version is `version` (read from the store when not
  // given). A new refresh token is stored only while the stored version still is that one: a
  // login or refresh racing the end of the user's sessions gets 401 rather than a session that
  // outlives it. With `family`, the refresh token is the caller's to store (a rotation).
  [[nodiscard]] Result<TokenPair> IssueTokens(domain::Snowflake user_id,
                                              std::optional<domain::Snowflake> family = {},
                                              std::optional<std::int64_t> version = {});

  // POST /auth/forgot: a reset for the account named by `login` (username or email), to be
  // mailed; nullopt when there is no such account with an email, or it was mailed a reset less
  // than kMailIntervalMs ago (the caller answers alike, so the answer tells nothing).
  [[nodiscard]] Result<std::optional<AccountMail>> RequestPasswordReset(std::string_view login);
  // After registering, or POST /auth/verify/resend: a verification token to mail; nullopt when the
  // account is verified already, has no email, or was mailed one less than kMailIntervalMs ago.
  [[nodiscard]] Result<std::optional<AccountMail>> RequestEmailVerification(
      domain::Snowflake user_id);
  // POST /auth/verify: spends the token and marks its account verified; a Validation error on
  // `token` when it is unknown, used or expired.
  [[nodiscard]] Result<domain::User> VerifyEmail(std::string_view token);
  // POST /auth/reset: spends the token, sets the account's password (strength-checked, argon2)
  // and ends every session of the account (refresh tokens, access tokens, gateway sessions) in
  // one transaction, then signs it in. Validation error on a bad password; on an unknown, used or
  // expired token, a Validation error on `token`.
  [[nodiscard]] Result<TokenPair> ResetPassword(std::string_view token, std::string_view password);

  // Sets a new password (strength-checked, argon2) and ends every session of the user, in one
  // transaction, then signs them in anew: the caller confirmed the old password.
  [[nodiscard]] Result<TokenPair> ChangePassword(domain::Snowflake user_id,
                                                 std::string_view new_password);
  // Ends every session of the user on every node: refresh tokens revoked, access tokens issued
  // before refused, gateway sessions closed (4004). A new bot token does this for its bot.
  [[nodiscard]] Result<void> EndSessions(domain::Snowflake user_id);
  SessionRevocations& revocations() { return revocations_; }

  // Verifies `password` against the user's stored hash (used by PATCH /users/@me).
  [[nodiscard]] bool CheckPassword(const domain::User& user, std::string_view password) const;

 private:
  Result<domain::Snowflake> SpendMailToken(store::MailTokenKind kind, std::string_view token,
                                           const char* invalid_code, const char* invalid_message);
  Result<std::optional<AccountMail>> NewMailToken(store::MailTokenKind kind,
                                                  const domain::User& user, std::int64_t ttl_ms,
                                                  std::int64_t interval_ms);

  store::UserStore& users_;
  store::TokenStore& tokens_;
  store::ApplicationStore& apps_;
  domain::SnowflakeGenerator& ids_;
  const auth::JwtCodec& jwt_;
  const AuthOptions options_;
  const Clock clock_;
  SessionRevocations revocations_;
  // What a login of an unknown user verifies against: a hash at options_.hash_params, so that it
  // costs what a wrong password of an account hashed at the current settings costs (accounts
  // hashed at an older cost still differ). Made on first use (a hash takes tens of milliseconds).
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace chat::service
