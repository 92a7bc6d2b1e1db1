// AuditLogStore over SQLite: the audit_log_entries table (migration 0004).
#include <algorithm>
#include <string>

#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

// Absent filters bind NULL and match every row, so one statement serves every combination.
constexpr std::string_view kSelectEntries =
    "SELECT id, server_id, user_id, target_id, action_type, changes, options, reason "
    "FROM audit_log_entries WHERE server_id = ?1 "
    "AND (?2 IS NULL OR user_id = ?2) AND (?3 IS NULL OR action_type = ?3) "
    "AND (?4 IS NULL OR id < ?4) AND (?5 IS NULL OR id > ?5) ";

std::optional<std::int64_t> OptInt(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return *v;
}

}  // namespace

Result<void> SqliteStore::AppendAuditLogEntry(const domain::AuditLogEntry& entry) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, entry.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    auto stmt = conn.Prepare(
        "INSERT INTO audit_log_entries (id, server_id, user_id, target_id, action_type, changes, "
        "options, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, entry.id)
        .BindId(2, entry.guild_id)
        .BindId(3, entry.user_id)
        .BindOptId(4, entry.target_id)
        .BindInt(5, entry.action_type)
        .BindOptText(6, entry.changes.empty() ? std::nullopt : std::optional(entry.changes))
        .BindOptText(7, entry.options.empty() ? std::nullopt : std::optional(entry.options))
        .BindOptText(8, entry.reason);
    return stmt->Run();
  });
}

Result<std::vector<domain::AuditLogEntry>> SqliteStore::ListAuditLogEntries(
    const AuditLogQuery& query) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::AuditLogEntry>> {
    // With only `after`, take the entries right above it (ascending), then turn them around.
    const bool ascending = query.after && !query.before;
    auto stmt =
        conn.Prepare(std::string(kSelectEntries) +
                     (ascending ? "ORDER BY id ASC LIMIT ?6" : "ORDER BY id DESC LIMIT ?6"));
    if (!stmt) return stmt.error();
    stmt->BindId(1, query.guild_id)
        .BindOptId(2, query.user_id)
        .BindOptInt(3, OptInt(query.action_type))
        .BindOptId(4, query.before)
        .BindOptId(5, query.after)
        .BindInt(6, std::clamp(query.limit, 1, kMaxAuditLogPage));
    std::vector<domain::AuditLogEntry> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      domain::AuditLogEntry e;
      e.id = stmt->Id(0);
      e.guild_id = stmt->Id(1);
      e.user_id = stmt->Id(2);
      e.target_id = stmt->OptId(3);
      e.action_type = static_cast<int>(stmt->Int(4));
      e.changes = stmt->OptText(5).value_or("");
      e.options = stmt->OptText(6).value_or("");
      e.reason = stmt->OptText(7);
      out.push_back(std::move(e));
    }
    if (ascending) std::reverse(out.begin(), out.end());
    return out;
  });
}

}  // namespace chat::store::sqlite
