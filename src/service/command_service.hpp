// service/command_service.hpp — applications' commands (Discord's /applications/{id}/commands and
// /applications/{id}/guilds/{guild_id}/commands): registered, listed, edited and deleted by the
// application's bot or its owner, globally or in a guild the bot is a member of. Registering a
// command of an existing name replaces it (and keeps its id); a bulk overwrite makes the scope's
// commands exactly the given list. Every change gives the command a new `version`.
// Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/application_command.hpp"
#include "service/community_common.hpp"
#include "store/application_store.hpp"
#include "store/command_store.hpp"

namespace chat::service {

// The commands of one application in one scope, as an actor asks for them.
struct CommandScope {
  domain::Snowflake actor_id = 0;
  domain::Snowflake application_id = 0;
  std::optional<domain::Snowflake> guild_id;  // none: global
};

struct CommandIndex {
  std::vector<store::Application> applications;
  std::vector<domain::ApplicationCommand> commands;
};

class CommandService {
 public:
  explicit CommandService(CommunityDeps deps) : deps_(deps) {}

  [[nodiscard]] Result<std::vector<domain::ApplicationCommand>> List(const CommandScope& scope);
  [[nodiscard]] Result<domain::ApplicationCommand> Get(const CommandScope& scope,
                                                       domain::Snowflake id);
  // 400 50035 for an invalid command; 400 30032 when the scope holds the maximum of its type.
  [[nodiscard]] Result<store::StoredCommand> Create(const CommandScope& scope,
                                                    const boost::json::object& body);
  [[nodiscard]] Result<domain::ApplicationCommand> Edit(const CommandScope& scope,
                                                        domain::Snowflake id,
                                                        const boost::json::object& patch);
  [[nodiscard]] Result<void> Delete(const CommandScope& scope, domain::Snowflake id);
  // Discord's application-command index of a guild, for its members' clients: the commands they
  // may run there (USE_APPLICATION_COMMANDS, each command's default_member_permissions) of the
  // applications whose bot is in the guild, and those applications.
  [[nodiscard]] Result<CommandIndex> Index(domain::Snowflake user_id, domain::Snowflake guild_id);
  // The scope's commands become `body`'s (an array of commands), all validated first.
  [[nodiscard]] Result<std::vector<domain::ApplicationCommand>> Overwrite(
      const CommandScope& scope, const boost::json::array& body);

 private:
  // Only the application's bot or owner; a guild scope needs the bot in the guild.
  Result<void> Authorize(const CommandScope& scope);

  CommunityDeps deps_;
};

}  // namespace chat::service
