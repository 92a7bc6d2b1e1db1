// domain/json/command_permissions_json.hpp — application command permissions on the wire (a PUT's
// `permissions`, and the guild application command permissions object) and as stored (the same
// array, as JSON text).
#pragma once

#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domain/command_permissions.hpp"

namespace chat::domain::json {

// A PUT body's `permissions`: at most 100 of {id, type (1 role, 2 user, 3 channel), permission},
// one per target. Ids are read as strings or integers; whether they name real roles, members and
// channels is the caller's to check.
Result<std::vector<CommandPermission>> ParseCommandPermissions(const boost::json::object& body);

boost::json::array CommandPermissionsJson(const std::vector<CommandPermission>& permissions);

// Discord's guild application command permissions object.
boost::json::object GuildCommandPermissionsJson(Snowflake command_id, Snowflake application_id,
                                                Snowflake guild_id,
                                                const std::vector<CommandPermission>& permissions);

// The stored form, and back: a stored entry that does not read as one is left out.
std::string StoredCommandPermissions(const std::vector<CommandPermission>& permissions);
std::vector<CommandPermission> LoadCommandPermissions(std::string_view stored);

}  // namespace chat::domain::json
