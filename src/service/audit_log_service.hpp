// service/audit_log_service.hpp — the guild audit log (FEATURE_AUDIT_LOGGING): the community and
// message services Record() an entry after each moderation change commits, with Discord's action
// type, the old/new values of what changed and the X-Audit-Log-Reason the route read; List()
// serves GET /guilds/{id}/audit-logs to members with VIEW_AUDIT_LOG. Recording never fails the
// user's action: a store failure is logged and the entry lost. Each new entry is also
// dispatched as GUILD_AUDIT_LOG_ENTRY_CREATE to the members who may view the log.
// Synchronous (store calls): run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "domain/audit_log.hpp"
#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"
#include "domain/webhook.hpp"
#include "service/access_service.hpp"
#include "store/audit_log_store.hpp"
#include "store/invite_store.hpp"
#include "store/store.hpp"

namespace chat::service {

// The X-Audit-Log-Reason of the request, already percent-decoded and capped.
using AuditReason = std::optional<std::string>;

struct AuditRecord {
  domain::Snowflake guild_id = 0;
  domain::Snowflake user_id = 0;  // who acted
  std::optional<domain::Snowflake> target_id;
  domain::AuditLogAction action = domain::AuditLogAction::kGuildUpdate;
  boost::json::array changes;   // {key, old_value?, new_value?}
  boost::json::object options;  // empty: none
  AuditReason reason;
};

struct AuditLogView {
  std::vector<domain::AuditLogEntry> entries;  // newest first
  std::vector<domain::User> users;             // actors and targeted users
  std::vector<domain::Webhook> webhooks;       // targeted webhooks that still exist
};

// Discord's `changes` between two snapshots of the audited fields: one change per key whose
// value differs, a null side left out (so a create has only new_value, a delete only old_value).
boost::json::array AuditDiff(const boost::json::object& before, const boost::json::object& after);

// The audited fields of each kind of target, with Discord's keys and value types.
boost::json::object AuditFields(const domain::Guild& guild);
boost::json::object AuditFields(const domain::Channel& channel);
boost::json::object AuditFields(const domain::Role& role);
boost::json::object AuditFields(const domain::PermissionOverwrite& overwrite);
boost::json::object AuditFields(const store::Invite& invite);

class AuditLogService {
 public:
  // `enabled` is FEATURE_AUDIT_LOGGING: when false Record() does nothing (List() still works).
  AuditLogService(store::Store& store, AccessService& access, bus::EventBus& bus,
                  domain::SnowflakeGenerator& ids, bool enabled)
      : store_(store), access_(access), bus_(bus), ids_(ids), enabled_(enabled) {}
  AuditLogService(const AuditLogService&) = delete;
  AuditLogService& operator=(const AuditLogService&) = delete;

  void Record(const AuditRecord& record);

  // VIEW_AUDIT_LOG in the guild (403 50013 without it; outsiders as AccessService answers).
  [[nodiscard]] Result<AuditLogView> List(domain::Snowflake user_id,
                                          const store::AuditLogQuery& query);

 private:
  void Announce(const domain::AuditLogEntry& entry);

  store::Store& store_;
  AccessService& access_;
  bus::EventBus& bus_;
  domain::SnowflakeGenerator& ids_;
  const bool enabled_;
};

// Record() through an optional service (null when a caller was built without one).
inline void RecordAudit(AuditLogService* audit, domain::Snowflake guild_id,
                        domain::Snowflake user_id, std::optional<domain::Snowflake> target_id,
                        domain::AuditLogAction action, boost::json::array changes,
                        const AuditReason& reason, boost::json::object options = {}) {
  if (!audit) return;
  audit->Record(
      {guild_id, user_id, target_id, action, std::move(changes), std::move(options), reason});
}

}  // namespace chat::service
