// store/command_store.hpp — applications' commands, global (guild_id none) or per guild. A
// command's name is unique per application, scope and type. Deleting the application or the guild
// deletes its commands. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/application_command.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kUnknownCommand = 10063;
inline Error UnknownCommand() {
  return Error::NotFound("Unknown application command", kUnknownCommand);
}

// What storing one command did.
struct StoredCommand {
  domain::ApplicationCommand command;
  bool created = false;  // false: it replaced the command of the same name and type
};

// One command's permissions in a guild, as stored (service/command_service reads them).
struct CommandPermissionsRow {
  domain::Snowflake command_id = 0;  // the application's id: all of its commands
  std::string permissions;           // Discord's JSON array of {id, type, permission}
};

class CommandStore {
 public:
  virtual ~CommandStore() = default;

  // Ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::ApplicationCommand>> ListCommands(
      domain::Snowflake application_id, std::optional<domain::Snowflake> guild_id) = 0;
  // NotFound 10063 unless the command is the application's, in that scope.
  [[nodiscard]] virtual Result<domain::ApplicationCommand> GetCommand(
      domain::Snowflake application_id, std::optional<domain::Snowflake> guild_id,
      domain::Snowflake id) = 0;
  // Discord's POST: a command of the same name and type in the scope is replaced (it keeps its
  // id); otherwise it is added unless the scope already has `max` of its type, which returns
  // nothing and stores nothing. One transaction.
  [[nodiscard]] virtual Result<std::optional<StoredCommand>> PutCommand(
      const domain::ApplicationCommand& command, std::size_t max) = 0;
  // PATCH: the command's new fields (same id, scope and type). NotFound 10063; Conflict when the
  // new name is another command's.
  [[nodiscard]] virtual Result<void> UpdateCommand(const domain::ApplicationCommand& command) = 0;
  [[nodiscard]] virtual Result<void> DeleteCommand(domain::Snowflake application_id,
                                                   std::optional<domain::Snowflake> guild_id,
                                                   domain::Snowflake id) = 0;
  // What a guild's members may run: the global commands and this guild's of every application
  // whose bot is a member of the guild. Ascending by application, then id.
  [[nodiscard]] virtual Result<std::vector<domain::ApplicationCommand>> ListGuildCommandIndex(
      domain::Snowflake guild_id) = 0;
  // Discord's bulk PUT: the scope's commands become `commands`, in one transaction. One whose
  // name and type match a stored command keeps that command's id; the rest are deleted.
  // Returns what is stored, ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::ApplicationCommand>> ReplaceCommands(
      domain::Snowflake application_id, std::optional<domain::Snowflake> guild_id,
      std::vector<domain::ApplicationCommand> commands) = 0;

  // The application's command permissions in the guild, ascending by command id.
  [[nodiscard]] virtual Result<std::vector<CommandPermissionsRow>> ListCommandPermissions(
      domain::Snowflake application_id, domain::Snowflake guild_id) = 0;
  // Replaces one command's permissions in the guild; an empty array deletes them. NotFound 10004
  // for an unknown guild.
  [[nodiscard]] virtual Result<void> PutCommandPermissions(domain::Snowflake application_id,
                                                           domain::Snowflake guild_id,
                                                           const CommandPermissionsRow& row) = 0;
};

}  // namespace chat::store
