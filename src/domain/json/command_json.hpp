// domain/json/command_json.hpp — Discord v10 application command objects: reading what an
// application registers (every field validated as Discord does, the options rebuilt from what was
// understood, so only checked data is stored) and writing what it is answered.
#pragma once

#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

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

namespace chat::domain::json {

// The ids an invocation's options name, for its `resolved` object.
struct OptionTargets {
  std::vector<Snowflake> users;         // USER options
  std::vector<Snowflake> roles;         // ROLE options
  std::vector<Snowflake> channels;      // CHANNEL options
  std::vector<Snowflake> mentionables;  // MENTIONABLE: a user or a role, the caller resolves
  // CHANNEL options whose declaration limits the channel types: the id and those types.
  std::vector<std::pair<Snowflake, std::vector<int>>> channel_types;
};

// The options a user gave when invoking `command` (`data.options`, null or absent for none),
// checked against the command's own: known names, the declared types, values of that type within
// bounds and choices, each required option present, and exactly one subcommand (within its
// group) where the command has subcommands. Returns them rebuilt ({type, name, value} or
// {type, name, options}) and fills `targets`. ATTACHMENT options are not supported.
// `autocomplete`: the options of an autocomplete request, typed so far: required ones may be
// missing, and exactly one option that autocompletes is `focused` with the partial text.
Result<boost::json::array> CheckInvocationOptions(const ApplicationCommand& command,
                                                  const boost::json::value* given,
                                                  OptionTargets& targets,
                                                  bool autocomplete = false);

}  // namespace chat::domain::json
