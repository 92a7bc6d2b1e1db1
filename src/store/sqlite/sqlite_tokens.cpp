// TokenStore over SQLite: refresh_tokens. "Use once" is a single conditional UPDATE on the one
// writer connection, so two concurrent refreshes cannot both consume the same token.
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

Result<void> InsertToken(Connection& conn, const RefreshToken& token) {
  // One writer: nothing can raise the version between this read and the insert.
  auto user = conn.Prepare("SELECT token_version FROM users WHERE id = ?1");
  if (!user) return user.error();
  user->BindId(1, token.user_id);
  auto row = user->Step();
  if (!row) return row.error();
  if (!*row) return UnknownUser();
  if (token.token_version && user->Int(0) != *token.token_version) {
    return Error::Conflict("The user's sessions ended meanwhile");
  }
  auto stmt = conn.Prepare(
      "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at, used, "
      "revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->BindText(1, token.token_hash)
      .BindId(2, token.user_id)
      .BindId(3, token.family_id)
      .BindInt(4, token.expires_at_ms)
      .BindInt(5, token.created_at_ms != 0 ? token.created_at_ms : NowMs())
      .BindBool(6, token.used)
      .BindBool(7, token.revoked);
  return stmt->Run();
}

// true: consumed now; false: already used or revoked; NotFound: no such token.
Result<bool> MarkUsed(Connection& conn, std::string_view token_hash) {
  auto stmt = conn.Prepare(
      "UPDATE refresh_tokens SET used = 1 WHERE token_hash = ?1 AND used = 0 AND revoked = 0");
  if (!stmt) return stmt.error();
  stmt->BindText(1, token_hash);
  if (auto r = stmt->Run(); !r) return r.error();
  if (stmt->Changes() == 1) return true;
  auto exists = conn.Prepare("SELECT 1 FROM refresh_tokens WHERE token_hash = ?1");
  if (!exists) return exists.error();
  exists->BindText(1, token_hash);
  auto row = exists->Step();
  if (!row) return row.error();
  if (!*row) return UnknownRefreshToken();
  return false;
}

// Revokes the user's refresh tokens and raises their token version; returns the new version.
Result<std::int64_t> EndSessions(Connection& conn, domain::Snowflake user_id) {
  auto bump = conn.Prepare(
      "UPDATE users SET token_version = token_version + 1 WHERE id = ?1 RETURNING token_version");
  if (!bump) return bump.error();
  bump->BindId(1, user_id);
  auto row = bump->Step();
  if (!row) return row.error();
  if (!*row) return UnknownUser();
  const std::int64_t version = bump->Int(0);
  // Stepped to its end, so that the UPDATE is finished before the next statement.
  if (auto end = bump->Step(); !end) return end.error();
  auto revoke = conn.Prepare("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1");
  if (!revoke) return revoke.error();
  revoke->BindId(1, user_id);
  if (auto r = revoke->Run(); !r) return r.error();
  return version;
}

// Sets the password, then ends the sessions (EndSessions) of the user.
Result<std::int64_t> SetPassword(Connection& conn, domain::Snowflake user_id,
                                 std::string_view password_hash) {
  auto set = conn.Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1");
  if (!set) return set.error();
  set->BindId(1, user_id).BindText(2, password_hash);
  if (auto r = set->Run(); !r) return r.error();
  return EndSessions(conn, user_id);
}

}  // namespace

Result<void> SqliteStore::CreateRefreshToken(const RefreshToken& token) {
  return Write([&](Connection& conn) { return InsertToken(conn, token); });
}

Result<RefreshToken> SqliteStore::FindRefreshToken(std::string_view token_hash) {
  return Read([&](Connection& conn) -> Result<RefreshToken> {
    auto stmt = conn.Prepare(
        "SELECT token_hash, user_id, family_id, expires_at, created_at, used, revoked "
        "FROM refresh_tokens WHERE token_hash = ?1");
    if (!stmt) return stmt.error();
    stmt->BindText(1, token_hash);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownRefreshToken();
    return RefreshToken{stmt->Text(0), stmt->Id(1),   stmt->Id(2),  stmt->Int(3),
                        stmt->Int(4),  stmt->Bool(5), stmt->Bool(6)};
  });
}

Result<bool> SqliteStore::MarkRefreshTokenUsed(std::string_view token_hash) {
  return Write([&](Connection& conn) { return MarkUsed(conn, token_hash); });
}

Result<bool> SqliteStore::RotateRefreshToken(std::string_view old_hash, const RefreshToken& next) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto used = MarkUsed(conn, old_hash);
    if (!used || !*used) return used;
    if (auto r = InsertToken(conn, next); !r) return r.error();
    return true;
  });
}

Result<void> SqliteStore::RevokeTokenFamily(domain::Snowflake family_id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, family_id);
    return stmt->Run();
  });
}

Result<std::int64_t> SqliteStore::EndUserSessions(domain::Snowflake user_id) {
  return Write([&](Connection& conn) { return EndSessions(conn, user_id); });
}

Result<std::int64_t> SqliteStore::ChangePassword(domain::Snowflake user_id,
                                                 std::string_view password_hash) {
  return Write([&](Connection& conn) { return SetPassword(conn, user_id, password_hash); });
}

Result<TokenVersionList> SqliteStore::ListTokenVersions() {
  return Read([&](Connection& conn) -> Result<TokenVersionList> {
    auto stmt = conn.Prepare("SELECT id, token_version FROM users WHERE token_version > 0");
    if (!stmt) return stmt.error();
    TokenVersionList out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.emplace_back(stmt->Id(0), stmt->Int(1));
    }
  });
}

// The table of a kind of mail token; both have the same columns.
static std::string MailTokenTable(MailTokenKind kind) {
  return kind == MailTokenKind::kPasswordReset ? "password_resets" : "email_verifications";
}

Result<bool> SqliteStore::CreateMailToken(MailTokenKind kind, const MailToken& token,
                                          std::int64_t not_before_ms) {
  const std::string table = MailTokenTable(kind);
  return Write([&](Connection& conn) -> Result<bool> {
    auto user = UserExists(conn, token.user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    auto recent =
        conn.Prepare("SELECT 1 FROM " + table + " WHERE user_id = ?1 AND created_at >= ?2 LIMIT 1");
    if (!recent) return recent.error();
    recent->BindId(1, token.user_id).BindInt(2, not_before_ms);
    auto found = recent->Step();
    if (!found) return found.error();
    if (*found) return false;
    auto old = conn.Prepare("DELETE FROM " + table + " WHERE user_id = ?1 OR expires_at <= ?2");
    if (!old) return old.error();
    old->BindId(1, token.user_id).BindInt(2, token.created_at_ms);
    if (auto r = old->Run(); !r) return r.error();
    auto insert = conn.Prepare("INSERT INTO " + table +
                               " (token_hash, user_id, created_at, expires_at) "
                               "VALUES (?1, ?2, ?3, ?4)");
    if (!insert) return insert.error();
    insert->BindText(1, token.token_hash)
        .BindId(2, token.user_id)
        .BindInt(3, token.created_at_ms)
        .BindInt(4, token.expires_at_ms);
    if (auto r = insert->Run(); !r) return r.error();
    return true;
  });
}

// Deletes the token and returns its user; NotFound when it is unknown or expired at `now_ms`.
static Result<domain::Snowflake> TakeToken(Connection& conn, const std::string& table,
                                           std::string_view token_hash, std::int64_t now_ms) {
  auto stmt =
      conn.Prepare("DELETE FROM " + table + " WHERE token_hash = ?1 RETURNING user_id, expires_at");
  if (!stmt) return stmt.error();
  stmt->BindText(1, token_hash);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return Error::NotFound("Unknown mail token");
  const domain::Snowflake user = stmt->Id(0);
  const bool expired = stmt->Int(1) <= now_ms;
  // Stepped to its end, so that the DELETE is finished before the writer commits.
  if (auto end = stmt->Step(); !end) return end.error();
  if (expired) return Error::NotFound("Unknown mail token");
  return user;
}

Result<domain::Snowflake> SqliteStore::TakeMailToken(MailTokenKind kind,
                                                     std::string_view token_hash,
                                                     std::int64_t now_ms) {
  const std::string table = MailTokenTable(kind);
  return Write([&](Connection& conn) { return TakeToken(conn, table, token_hash, now_ms); });
}

Result<bool> SqliteStore::MailTokenLive(MailTokenKind kind, std::string_view token_hash,
                                        std::int64_t now_ms) {
  const std::string table = MailTokenTable(kind);
  return Read([&](Connection& conn) -> Result<bool> {
    auto stmt =
        conn.Prepare("SELECT 1 FROM " + table + " WHERE token_hash = ?1 AND expires_at > ?2");
    if (!stmt) return stmt.error();
    stmt->BindText(1, token_hash).BindInt(2, now_ms);
    auto row = stmt->Step();
    if (!row) return row.error();
    return *row;
  });
}

Result<SessionsEnded> SqliteStore::ResetPassword(std::string_view token_hash, std::int64_t now_ms,
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

Result<std::int64_t> SqliteStore::DeleteExpiredRefreshTokens(std::int64_t now_ms) {
  return Write([&](Connection& conn) -> Result<std::int64_t> {
    auto stmt = conn.Prepare("DELETE FROM refresh_tokens WHERE expires_at < ?1");
    if (!stmt) return stmt.error();
    stmt->BindInt(1, now_ms);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes();
  });
}

}  // namespace chat::store::sqlite
