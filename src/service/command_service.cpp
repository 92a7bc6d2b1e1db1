#include "service/command_service.hpp"

#include <set>
#include <string>
#include <utility>

#include "domain/json/command_json.hpp"
#include "domain/permissions.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {

using domain::ApplicationCommand;

Error TooManyCommands(domain::CommandType type) {
  return Error{Errc::kValidation,
               "Maximum number of application commands reached (" +
                   std::to_string(domain::MaxCommands(type)) + ")",
               30032,
               {}};
}

}  // namespace

Result<void> CommandService::Authorize(const CommandScope& scope) {
  auto app = deps_.store.GetApplication(scope.application_id);
  if (!app) return app.error();
  // Someone else's application is as good as absent, as on /applications/{id}.
  if (app->owner_id != scope.actor_id && app->bot_user_id != scope.actor_id) {
    return store::UnknownApplication();
  }
  if (!scope.guild_id) return {};
  // Discord answers 50001 for a guild the application was not added to.
  if (!app->bot_user_id) return Error::Forbidden("Missing Access", 50001);
  auto member = deps_.store.GetMember(*scope.guild_id, *app->bot_user_id);
  if (!member) {
    if (member.error().code == Errc::kNotFound) return Error::Forbidden("Missing Access", 50001);
    return member.error();
  }
  return {};
}

Result<std::vector<ApplicationCommand>> CommandService::List(const CommandScope& scope) {
  if (auto r = Authorize(scope); !r) return r.error();
  return deps_.store.ListCommands(scope.application_id, scope.guild_id);
}

Result<ApplicationCommand> CommandService::Get(const CommandScope& scope, domain::Snowflake id) {
  if (auto r = Authorize(scope); !r) return r.error();
  return deps_.store.GetCommand(scope.application_id, scope.guild_id, id);
}

Result<store::StoredCommand> CommandService::Create(const CommandScope& scope,
                                                    const boost::json::object& body) {
  auto command = domain::json::ParseCommand(body);
  if (!command) return command.error();
  if (auto r = Authorize(scope); !r) return r.error();
  command->id = deps_.ids.Next();
  command->application_id = scope.application_id;
  command->guild_id = scope.guild_id;
  command->version = deps_.ids.Next();
  auto stored = deps_.store.PutCommand(*command, domain::MaxCommands(command->type));
  if (!stored) return stored.error();
  if (!*stored) return TooManyCommands(command->type);
  return std::move(**stored);
}

Result<ApplicationCommand> CommandService::Edit(const CommandScope& scope, domain::Snowflake id,
                                                const boost::json::object& patch) {
  if (auto r = Authorize(scope); !r) return r.error();
  auto current = deps_.store.GetCommand(scope.application_id, scope.guild_id, id);
  if (!current) return current.error();
  auto next = domain::json::PatchCommand(*current, patch);
  if (!next) return next.error();
  next->version = deps_.ids.Next();
  auto stored = deps_.store.UpdateCommand(*next);
  if (!stored) {
    if (stored.error().code == Errc::kConflict) {
      return Error::Validation("Invalid Form Body", {{"name", "APPLICATION_COMMAND_ALREADY_EXISTS",
                                                      "A command with this name already exists"}});
    }
    return stored.error();
  }
  return next;
}

Result<CommandIndex> CommandService::Index(domain::Snowflake user_id, domain::Snowflake guild_id) {
  auto access = deps_.access.Guild(user_id, guild_id);
  if (!access) return access.error();
  CommandIndex index;
  namespace perm = domain::perm;
  if (!perm::Has(access->permissions, perm::kUseApplicationCommands)) return index;
  auto commands = deps_.store.ListGuildCommandIndex(guild_id);
  if (!commands) return commands.error();
  const bool admin = perm::Has(access->permissions, perm::kAdministrator);
  for (auto& c : *commands) {
    if (c.default_member_permissions && !admin &&
        (*c.default_member_permissions == 0 ||
         !perm::Has(access->permissions, *c.default_member_permissions))) {
      continue;
    }
    if (index.applications.empty() || index.applications.back().id != c.application_id) {
      auto app = deps_.store.GetApplication(c.application_id);
      if (!app) return app.error();
      index.applications.push_back(std::move(*app));
    }
    index.commands.push_back(std::move(c));
  }
  return index;
}

Result<void> CommandService::Delete(const CommandScope& scope, domain::Snowflake id) {
  if (auto r = Authorize(scope); !r) return r;
  return deps_.store.DeleteCommand(scope.application_id, scope.guild_id, id);
}

Result<std::vector<ApplicationCommand>> CommandService::Overwrite(const CommandScope& scope,
                                                                  const boost::json::array& body) {
  std::vector<ApplicationCommand> commands;
  std::vector<FieldError> errors;
  std::set<std::pair<int, std::string>> names;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < body.size(); ++i) {
    const std::string at = std::to_string(i);
    if (!body[i].is_object()) {
      errors.push_back({at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"});
      continue;
    }
    auto command = domain::json::ParseCommand(body[i].as_object(), at);
    if (!command) {
      for (auto& f : command.error().fields) errors.push_back(std::move(f));
      continue;
    }
    const int type = static_cast<int>(command->type);
    if (!names.emplace(type, command->name).second) {
      errors.push_back({at + ".name", "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        "Application command names must be unique"});
    }
    if (++counts[type] == domain::MaxCommands(command->type) + 1) {
      return TooManyCommands(command->type);
    }
    commands.push_back(std::move(*command));
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  if (auto r = Authorize(scope); !r) return r.error();
  for (auto& c : commands) {
    c.id = deps_.ids.Next();
    c.application_id = scope.application_id;
    c.guild_id = scope.guild_id;
    c.version = deps_.ids.Next();
  }
  return deps_.store.ReplaceCommands(scope.application_id, scope.guild_id, std::move(commands));
}

}  // namespace chat::service
