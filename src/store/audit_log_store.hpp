// store/audit_log_store.hpp — the guild audit log: append-only entries, read newest first with
// Discord's filters. Deleting a guild deletes its entries. Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "common/result.hpp"
#include "domain/audit_log.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kMaxAuditLogPage = 100;

struct AuditLogQuery {
  domain::Snowflake guild_id = 0;
  std::optional<domain::Snowflake> user_id;  // the actor
  std::optional<int> action_type;
  std::optional<domain::Snowflake> before;  // entry ids below
  std::optional<domain::Snowflake> after;   // entry ids above
  int limit = 50;                           // clamped to 1..kMaxAuditLogPage
};

class AuditLogStore {
 public:
  virtual ~AuditLogStore() = default;

  // NotFound 10004 when the guild does not exist (it may have been deleted meanwhile).
  [[nodiscard]] virtual Result<void> AppendAuditLogEntry(const domain::AuditLogEntry& entry) = 0;
  // Newest first. With `after`, the `limit` entries right above it (still newest first), so
  // that paging forward from an id skips nothing, as Discord pages.
  [[nodiscard]] virtual Result<std::vector<domain::AuditLogEntry>> ListAuditLogEntries(
      const AuditLogQuery& query) = 0;
};

}  // namespace chat::store
