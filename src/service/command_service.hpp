// service/command_service.hpp — applications' commands (Discord's /applications/{id}/commands and
// /applications/{id}/guilds/{guild_id}/commands): registered, listed, edited and deleted by the
// application's bot or its owner, globally or in a guild the bot is a member of. Registering a
// command of an existing name replaces it (and keeps its id); a bulk overwrite makes the scope's
// commands exactly the given list. Every change gives the command a new `version`.
// A guild's managers restrict who may run them there (command permissions: per command, or for
// all of an application's commands), which MayRunCommand applies.
// Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/application_command.hpp"
#include "domain/command_permissions.hpp"
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

// One command's (or, under the application's id, all of its commands') permissions in a guild.
struct CommandPermissionsView {
  domain::Snowflake command_id = 0;
  domain::Snowflake application_id = 0;
  domain::Snowflake guild_id = 0;
  std::vector<domain::CommandPermission> permissions;
};
boost::json::object CommandPermissionsViewJson(const CommandPermissionsView& view);

// Whether a member may run `command` in the guild: the guild's command permissions for the
// member and `channel_id` (0: any channel, for the command index), else the command's
// default_member_permissions over `permissions` (the member's, in that channel). The owner and
// administrators always may.
Result<bool> MayRunCommand(store::CommandStore& store, const domain::ApplicationCommand& command,
                           const GuildAccess& access, std::uint64_t permissions,
                           domain::Snowflake channel_id);

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

  // The guild's permissions of the application's commands (scope.guild_id is set): for the
  // application's bot or owner, and for the guild's managers. Get: 10066 when the command has none.
  [[nodiscard]] Result<std::vector<CommandPermissionsView>> ListPermissions(
      const CommandScope& scope);
  [[nodiscard]] Result<CommandPermissionsView> GetPermissions(const CommandScope& scope,
                                                              domain::Snowflake command_id);
  // A guild manager (MANAGE_GUILD and MANAGE_ROLES; a person, not a bot: 20001) replaces one
  // command's permissions, or the application's (command_id = its id). The entries must name the
  // guild's roles, users and channels. Audited (121) and told to the application's bot as
  // APPLICATION_COMMAND_PERMISSIONS_UPDATE.
  [[nodiscard]] Result<CommandPermissionsView> PutPermissions(const CommandScope& scope,
                                                              domain::Snowflake command_id,
                                                              const boost::json::object& body,
                                                              const AuditReason& reason = {});

 private:
  // Only the application's bot or owner; a guild scope needs the bot in the guild.
  Result<void> Authorize(const CommandScope& scope);
  // As Authorize, or a manager of the scope's guild (MANAGE_GUILD and MANAGE_ROLES), whose access
  // is returned.
  Result<std::optional<GuildAccess>> AuthorizeManager(const CommandScope& scope);

  CommunityDeps deps_;
};

}  // namespace chat::service
