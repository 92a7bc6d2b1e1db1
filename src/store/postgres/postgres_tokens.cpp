// TokenStore over PostgreSQL: refresh_tokens. "Use once" is one conditional UPDATE: of two
// concurrent callers, the second waits for the first's row lock, re-checks `NOT used` on the new
// row version and matches nothing, so exactly one of them consumes the token, even across nodes.
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

// Holds the user row (FOR SHARE) until the transaction ends: EndSessions, which raises the
// version with an UPDATE of that row, waits for this insert, and its revocation then sees the
// new token; or it went first, and the version no longer matches.
Result<void> InsertToken(Connection& conn, const RefreshToken& token) {
  auto user = conn.Query("SELECT token_version FROM users WHERE id = $1 FOR SHARE",
                         Params().Id(token.user_id));
  if (!user) return user.error();
  if (user->empty()) return UnknownUser();
  if (token.token_version && (*user)[0].Int(0) != *token.token_version) {
    return Error::Conflict("The user's sessions ended meanwhile");
  }
  auto rows = conn.Query(
      "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at, used, "
      "revoked) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      Params()
          .Text(token.token_hash)
          .Id(token.user_id)
          .Id(token.family_id)
          .Int(token.expires_at_ms)
          .Int(token.created_at_ms != 0 ? token.created_at_ms : NowMs())
          .Bool(token.used)
          .Bool(token.revoked));
  if (!rows) return rows.error();
  return {};
}

// true: consumed now; false: already used or revoked; NotFound: no such token.
Result<bool> MarkUsed(Connection& conn, std::string_view token_hash) {
  auto updated = conn.Query(
      "UPDATE refresh_tokens SET used = true "
      "WHERE token_hash = $1 AND NOT used AND NOT revoked RETURNING 1",
      Params().Text(token_hash));
  if (!updated) return updated.error();
  if (updated->size() == 1) return true;
  auto exists = RowExists(conn, "SELECT 1 FROM refresh_tokens WHERE token_hash = $1",
                          Params().Text(token_hash));
  if (!exists) return exists.error();
  if (!*exists) return UnknownRefreshToken();
  return false;
}

// Raises the user's token version and revokes their refresh tokens; returns the new version.
Result<std::int64_t> EndSessions(Connection& conn, domain::Snowflake user_id) {
  auto bumped = conn.Query(
      "UPDATE users SET token_version = token_version + 1 WHERE id = $1 RETURNING token_version",
      Params().Id(user_id));
  if (!bumped) return bumped.error();
  if (bumped->empty()) return UnknownUser();
  const std::int64_t version = (*bumped)[0].Int(0);
  auto revoked = conn.Query("UPDATE refresh_tokens SET revoked = true WHERE user_id = $1",
                            Params().Id(user_id));
  if (!revoked) return revoked.error();
  return version;
}

// Sets the password, then ends the sessions (EndSessions) of the user.
Result<std::int64_t> SetPassword(Connection& conn, domain::Snowflake user_id,
                                 std::string_view password_hash) {
  auto set = conn.Query("UPDATE users SET password_hash = $2 WHERE id = $1",
                        Params().Id(user_id).Text(password_hash));
  if (!set) return set.error();
  return EndSessions(conn, user_id);
}

// Deletes the token and returns its user; NotFound when it is unknown or expired at `now_ms`.
Result<domain::Snowflake> TakeToken(Connection& conn, const std::string& table,
                                    std::string_view token_hash, std::int64_t now_ms) {
  auto rows =
      conn.Query("DELETE FROM " + table + " WHERE token_hash = $1 RETURNING user_id, expires_at",
                 Params().Text(token_hash));
  if (!rows) return rows.error();
  if (rows->empty()) return Error::NotFound("Unknown mail token");
  Row r = (*rows)[0];
  if (r.Int(1) <= now_ms) return Error::NotFound("Unknown mail token");
  return r.Id(0);
}

}  // namespace

Result<void> PostgresStore::CreateRefreshToken(const RefreshToken& token) {
  return Write([&](Connection& conn) { return InsertToken(conn, token); });
}

Result<RefreshToken> PostgresStore::FindRefreshToken(std::string_view token_hash) {
  return Auto([&](Connection& conn) -> Result<RefreshToken> {
    auto rows = conn.Query(
        "SELECT token_hash, user_id, family_id, expires_at, created_at, used, revoked "
        "FROM refresh_tokens WHERE token_hash = $1",
        Params().Text(token_hash));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownRefreshToken();
    Row r = (*rows)[0];
    return RefreshToken{r.Text(0), r.Id(1), r.Id(2), r.Int(3), r.Int(4), r.Bool(5), r.Bool(6)};
  });
}

Result<bool> PostgresStore::MarkRefreshTokenUsed(std::string_view token_hash) {
  return Auto([&](Connection& conn) { return MarkUsed(conn, token_hash); });
}

Result<bool> PostgresStore::RotateRefreshToken(std::string_view old_hash,
                                               const RefreshToken& next) {
  return Write([&](Connection& conn) -> Result<bool> {
    // The user row before the token row, in the order EndSessions takes them: the other order
    // deadlocks a refresh against a password change.
    auto user =
        conn.Query("SELECT 1 FROM users WHERE id = $1 FOR SHARE", Params().Id(next.user_id));
    if (!user) return user.error();
    auto used = MarkUsed(conn, old_hash);
    if (!used || !*used) return used;
    if (auto r = InsertToken(conn, next); !r) return r.error();
    return true;
  });
}

Result<void> PostgresStore::RevokeTokenFamily(domain::Snowflake family_id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("UPDATE refresh_tokens SET revoked = true WHERE family_id = $1",
                           Params().Id(family_id));
    if (!rows) return rows.error();
    return {};
  });
}

Result<std::int64_t> PostgresStore::EndUserSessions(domain::Snowflake user_id) {
  return Write([&](Connection& conn) { return EndSessions(conn, user_id); });
}

Result<std::int64_t> PostgresStore::ChangePassword(domain::Snowflake user_id,
                                                   std::string_view password_hash) {
  return Write([&](Connection& conn) { return SetPassword(conn, user_id, password_hash); });
}

Result<TokenVersionList> PostgresStore::ListTokenVersions() {
  return Auto([&](Connection& conn) -> Result<TokenVersionList> {
    auto rows = conn.Query("SELECT id, token_version FROM users WHERE token_version > 0", Params());
    if (!rows) return rows.error();
    TokenVersionList out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int i = 0; i < rows->size(); ++i) {
      Row r = (*rows)[i];
      out.emplace_back(r.Id(0), r.Int(1));
    }
    return out;
  });
}

// The table of a kind of mail token; both have the same columns.
static std::string MailTokenTable(MailTokenKind kind) {
  return kind == MailTokenKind::kPasswordReset ? "password_resets" : "email_verifications";
}

Result<bool> PostgresStore::CreateMailToken(MailTokenKind kind, const MailToken& token,
                                            std::int64_t not_before_ms) {
  const std::string table = MailTokenTable(kind);
  // One transaction, the user's row locked first: two requests for one user cannot both pass
  // the "none recent" check.
  return Write([&](Connection& conn) -> Result<bool> {
    auto user =
        conn.Query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", Params().Id(token.user_id));
    if (!user) return user.error();
    if (user->empty()) return UnknownUser();
    auto recent = RowExists(
        conn, "SELECT 1 FROM " + table + " WHERE user_id = $1 AND created_at >= $2 LIMIT 1",
        Params().Id(token.user_id).Int(not_before_ms));
    if (!recent) return recent.error();
    if (*recent) return false;
    auto old = conn.Query("DELETE FROM " + table + " WHERE user_id = $1 OR expires_at <= $2",
                          Params().Id(token.user_id).Int(token.created_at_ms));
    if (!old) return old.error();
    auto insert = conn.Query("INSERT INTO " + table +
                                 " (token_hash, user_id, created_at, expires_at) "
                                 "VALUES ($1, $2, $3, $4)",
                             Params()
                                 .Text(token.token_hash)
                                 .Id(token.user_id)
                                 .Int(token.created_at_ms)
                                 .Int(token.expires_at_ms));
    if (!insert) return insert.error();
    return true;
  });
}

Result<domain::Snowflake> PostgresStore::TakeMailToken(MailTokenKind kind,
                                                       std::string_view token_hash,
                                                       std::int64_t now_ms) {
  const std::string table = MailTokenTable(kind);
  return Auto([&](Connection& conn) { return TakeToken(conn, table, token_hash, now_ms); });
}

Result<bool> PostgresStore::MailTokenLive(MailTokenKind kind, std::string_view token_hash,
                                          std::int64_t now_ms) {
  const std::string table = MailTokenTable(kind);
  return Auto([&](Connection& conn) {
    return RowExists(conn, "SELECT 1 FROM " + table + " WHERE token_hash = $1 AND expires_at > $2",
                     Params().Text(token_hash).Int(now_ms));
  });
}

Result<SessionsEnded> PostgresStore::ResetPassword(std::string_view token_hash, std::int64_t now_ms,
                                                   std::string_view password_hash) {
  const std::string table = MailTokenTable(MailTokenKind::kPasswordReset);
  return Write([&](Connection& conn) -> Result<SessionsEnded> {
    auto user = TakeToken(conn, table, token_hash, now_ms);
    if (!user) return user.error();
    auto version = SetPassword(conn, *user, password_hash);
    if (!version) return version.error();
    return SessionsEnded{*user, *version};
  });
}

Result<std::int64_t> PostgresStore::DeleteExpiredRefreshTokens(std::int64_t now_ms) {
  return Auto([&](Connection& conn) -> Result<std::int64_t> {
    auto rows =
        conn.Query("DELETE FROM refresh_tokens WHERE expires_at < $1", Params().Int(now_ms));
    if (!rows) return rows.error();
    return rows->Affected();
  });
}

}  // namespace chat::store::postgres
