// AuditLogStore over PostgreSQL: the audit_log_entries table (migration 0004).
#include <algorithm>
#include <string>

#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

// Absent filters bind NULL and match every row, so one statement serves every combination.
constexpr std::string_view kSelectEntries =
    "SELECT id, server_id, user_id, target_id, action_type, changes, options, reason "
    "FROM audit_log_entries WHERE server_id = $1 "
    "AND ($2::bigint IS NULL OR user_id = $2) AND ($3::integer IS NULL OR action_type = $3) "
    "AND ($4::bigint IS NULL OR id < $4) AND ($5::bigint IS NULL OR id > $5) ";

std::optional<std::int64_t> OptInt(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return *v;
}

}  // namespace

Result<void> PostgresStore::AppendAuditLogEntry(const domain::AuditLogEntry& entry) {
  return Auto([&](Connection& conn) -> Result<void> {
    // The guild check and the insert are one statement: a guild deleted meanwhile inserts
    // nothing instead of failing on the foreign key.
    auto rows = conn.Query(
        "INSERT INTO audit_log_entries (id, server_id, user_id, target_id, action_type, changes, "
        "options, reason) SELECT $1, id, $3, $4, $5, $6, $7, $8 FROM servers WHERE id = $2",
        Params()
            .Id(entry.id)
            .Id(entry.guild_id)
            .Id(entry.user_id)
            .OptId(entry.target_id)
            .Int(entry.action_type)
            .OptText(entry.changes.empty() ? std::nullopt : std::optional(entry.changes))
            .OptText(entry.options.empty() ? std::nullopt : std::optional(entry.options))
            .OptText(entry.reason));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownGuild();
    return {};
  });
}

Result<std::vector<domain::AuditLogEntry>> PostgresStore::ListAuditLogEntries(
    const AuditLogQuery& query) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::AuditLogEntry>> {
    // With only `after`, take the entries right above it (ascending), then turn them around.
    const bool ascending = query.after && !query.before;
    auto rows = conn.Query(std::string(kSelectEntries) + (ascending ? "ORDER BY id ASC LIMIT $6"
                                                                    : "ORDER BY id DESC LIMIT $6"),
                           Params()
                               .Id(query.guild_id)
                               .OptId(query.user_id)
                               .OptInt(OptInt(query.action_type))
                               .OptId(query.before)
                               .OptId(query.after)
                               .Int(std::clamp(query.limit, 1, kMaxAuditLogPage)));
    if (!rows) return rows.error();
    std::vector<domain::AuditLogEntry> out;
    for (int i = 0; i < rows->size(); ++i) {
      const Row r = (*rows)[i];
      domain::AuditLogEntry e;
      e.id = r.Id(0);
      e.guild_id = r.Id(1);
      e.user_id = r.Id(2);
      e.target_id = r.OptId(3);
      e.action_type = static_cast<int>(r.Int(4));
      e.changes = r.OptText(5).value_or("");
      e.options = r.OptText(6).value_or("");
      e.reason = r.OptText(7);
      out.push_back(std::move(e));
    }
    if (ascending) std::reverse(out.begin(), out.end());
    return out;
  });
}

}  // namespace chat::store::postgres
