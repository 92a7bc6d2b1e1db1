// domain/json/command_json.hpp — Discord v10 application command objects: reading what an
// application registers (every field validated as Discord does, the options rebuilt from what was
// understood, so only checked data is stored) and writing what it is answered.
#pragma once

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domain/application_command.hpp"

namespace chat::domain::json {

// A command from its JSON body (POST, or one element of a bulk PUT). Ids, scope and version are
// the caller's to fill. Validation errors name the field under `prefix` ("0.options.1.name").
Result<ApplicationCommand> ParseCommand(const boost::json::object& body,
                                        const std::string& prefix = "");

// Merges a PATCH body into an existing command and validates the result.
Result<ApplicationCommand> PatchCommand(const ApplicationCommand& current,
                                        const boost::json::object& patch);

// {id, application_id, guild_id?, type, name, description, options?, default_member_permissions,
//  dm_permission?, nsfw, version, name_localizations, description_localizations}
boost::json::object CommandJson(const ApplicationCommand& command);

}  // namespace chat::domain::json
