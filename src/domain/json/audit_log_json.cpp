#include "domain/json/audit_log_json.hpp"

#include <boost/json.hpp>

namespace chat::domain::json {
namespace {

// The stored text was written by the service; a row that does not parse (hand-edited, say) is
// shown without that part rather than failing the whole page.
std::optional<boost::json::value> Parse(const std::string& text) {
  if (text.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

}  // namespace

boost::json::object AuditLogEntryJson(const AuditLogEntry& entry, bool with_guild_id) {
  boost::json::object o{
      {"id", ToString(entry.id)},
      {"target_id", entry.target_id ? boost::json::value(ToString(*entry.target_id)) : nullptr},
      {"user_id", ToString(entry.user_id)},
      {"action_type", entry.action_type}};
  if (with_guild_id) o["guild_id"] = ToString(entry.guild_id);
  if (auto changes = Parse(entry.changes); changes && changes->is_array()) {
    o["changes"] = std::move(*changes);
  }
  if (auto options = Parse(entry.options); options && options->is_object()) {
    o["options"] = std::move(*options);
  }
  if (entry.reason) o["reason"] = *entry.reason;
  return o;
}

}  // namespace chat::domain::json
