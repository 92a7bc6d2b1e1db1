// store/token_store.hpp — refresh tokens (by hash; the raw token is never stored) with rotation
// and reuse detection: a token may be used once; presenting a used one lets the service revoke
// its whole family. Thread-safe; the "use once" step is atomic across threads and processes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

struct RefreshToken {
  std::string token_hash;
  domain::Snowflake user_id = 0;
  domain::Snowflake family_id = 0;  // all tokens rotated from one login share it
  std::int64_t expires_at_ms = 0;
  std::int64_t created_at_ms = 0;  // 0 on create means "now"
  bool used = false;
  bool revoked = false;
  // When set, the token is created only while the user's token version still is this one
  // (checked under the user row's lock); Conflict otherwise: the user's sessions ended meanwhile.
  std::optional<std::int64_t> token_version;
};

// A one-use token sent by mail, by hash (the raw token is only in the mail): a password reset
// (POST /auth/forgot) or an email verification (registration, a changed email).
enum class MailTokenKind { kPasswordReset, kEmailVerification };
struct MailToken {
  std::string token_hash;
  domain::Snowflake user_id = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
};

// A user whose sessions all ended, and the token version that ended them: access tokens issued
// under an older version are refused from now on (users.token_version).
struct SessionsEnded {
  domain::Snowflake user_id = 0;
  std::int64_t token_version = 0;
};

// (user id, token version) of every user whose version is above 0.
using TokenVersionList = std::vector<std::pair<domain::Snowflake, std::int64_t>>;

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // Conflict if the hash already exists; NotFound 10013 if the user does not.
  [[nodiscard]] virtual Result<void> CreateRefreshToken(const RefreshToken& token) = 0;
  // NotFound UnknownRefreshToken() when absent. Expired tokens are returned: the caller decides.
  [[nodiscard]] virtual Result<RefreshToken> FindRefreshToken(std::string_view token_hash) = 0;
  // One atomic step: marks the token used if it is neither used nor revoked. true: this call
  // consumed it; false: it was already used or revoked (possible reuse). NotFound when absent.
  [[nodiscard]] virtual Result<bool> MarkRefreshTokenUsed(std::string_view token_hash) = 0;
  // MarkRefreshTokenUsed(old_hash) and, only if it succeeded, CreateRefreshToken(next), in one
  // transaction. false (and nothing written) when the old token was already used or revoked.
  [[nodiscard]] virtual Result<bool> RotateRefreshToken(std::string_view old_hash,
                                                        const RefreshToken& next) = 0;
  [[nodiscard]] virtual Result<void> RevokeTokenFamily(domain::Snowflake family_id) = 0;
  // Revokes every refresh token of the user and raises their token version, in one transaction;
  // returns the new version. NotFound 10013 when the user does not exist.
  [[nodiscard]] virtual Result<std::int64_t> EndUserSessions(domain::Snowflake user_id) = 0;
  // Sets the user's password_hash and ends their sessions (as EndUserSessions), in one
  // transaction; returns the new token version. NotFound 10013 when the user does not exist.
  [[nodiscard]] virtual Result<std::int64_t> ChangePassword(domain::Snowflake user_id,
                                                            std::string_view password_hash) = 0;
  // Every user whose token version is above 0, with it (a node loads them at start).
  [[nodiscard]] virtual Result<TokenVersionList> ListTokenVersions() = 0;
  // Stores `token` in place of the user's earlier ones of its kind, unless one of those was
  // created at or after `not_before_ms` (then nothing changes: false). Expired tokens of the kind
  // go too. NotFound 10013 when the user does not exist.
  [[nodiscard]] virtual Result<bool> CreateMailToken(MailTokenKind kind, const MailToken& token,
                                                     std::int64_t not_before_ms) = 0;
  // Deletes the token and returns its user, if it exists and has not expired at `now_ms`;
  // NotFound otherwise. Of concurrent callers with one token, at most one gets the user.
  [[nodiscard]] virtual Result<domain::Snowflake> TakeMailToken(MailTokenKind kind,
                                                                std::string_view token_hash,
                                                                std::int64_t now_ms) = 0;
  // Whether the token exists and has not expired at `now_ms`; changes nothing.
  [[nodiscard]] virtual Result<bool> MailTokenLive(MailTokenKind kind, std::string_view token_hash,
                                                   std::int64_t now_ms) = 0;
  // POST /auth/reset, all or nothing in one transaction: takes the password-reset token (as
  // TakeMailToken), sets its user's password_hash and ends their sessions (as EndUserSessions).
  // NotFound when the token is unknown, spent or expired.
  [[nodiscard]] virtual Result<SessionsEnded> ResetPassword(std::string_view token_hash,
                                                            std::int64_t now_ms,
                                                            std::string_view password_hash) = 0;
  // Housekeeping: removes tokens that expired before `now_ms`. Returns how many went.
  [[nodiscard]] virtual Result<std::int64_t> DeleteExpiredRefreshTokens(std::int64_t now_ms) = 0;
};

}  // namespace chat::store
