// http/routes/audit_log_reason.hpp — the X-Audit-Log-Reason header, which every mutating
// community route passes to its service for the audit log entry (and a ban for the ban).
#pragma once

#include <optional>
#include <string>

#include "http/request.hpp"

namespace chat::http {

// The header percent-decoded (Discord clients URL-encode it), cut to 512 code points. Absent,
// blank, or not valid UTF-8 after decoding: no reason (the action itself still proceeds, as
// Discord ignores an unusable reason rather than refusing the change).
std::optional<std::string> AuditLogReason(const Request& request);

}  // namespace chat::http
