// domain/json/audit_log_json.hpp — Discord v10 audit log entry objects, for GET
// /guilds/{id}/audit-logs and the GUILD_AUDIT_LOG_ENTRY_CREATE dispatch.
#pragma once

#include <boost/json/object.hpp>

#include "domain/audit_log.hpp"

namespace chat::domain::json {

// {id, target_id, user_id, action_type, changes?, options?, reason?}; `with_guild_id` adds
// guild_id, as the gateway dispatch carries it.
boost::json::object AuditLogEntryJson(const AuditLogEntry& entry, bool with_guild_id = false);

}  // namespace chat::domain::json
