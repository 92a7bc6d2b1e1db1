#include "service/command_service.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "domain/json/command_json.hpp"
#include "domain/json/command_permissions_json.hpp"
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

Error UnknownCommandPermissions() {
  return Error::NotFound("Unknown application command permissions", 10066);
}

// The stored permissions of the command and of its whole application, in this guild.
struct Levels {
  std::vector<domain::CommandPermission> command;
  std::vector<domain::CommandPermission> application;
};

// Picked from the application's stored rows in the guild (CommandStore::ListCommandPermissions).
Levels LevelsOf(const std::vector<store::CommandPermissionsRow>& rows,
                domain::Snowflake application_id, domain::Snowflake command_id) {
  Levels out;
  for (const auto& row : rows) {
    if (row.command_id == command_id) {
      out.command = domain::json::LoadCommandPermissions(row.permissions);
    } else if (row.command_id == application_id) {
      out.application = domain::json::LoadCommandPermissions(row.permissions);
    }
  }
  return out;
}

// MayRunCommand over the application's rows, read once by the caller.
bool MayRunGiven(const std::vector<store::CommandPermissionsRow>& rows,
                 const ApplicationCommand& command, const GuildAccess& access,
                 std::uint64_t permissions, domain::Snowflake channel_id) {
  namespace perm = domain::perm;
  if (access.owner || perm::Has(permissions, perm::kAdministrator)) return true;
  const Levels levels = LevelsOf(rows, command.application_id, command.id);
  domain::CommandUser user;
  user.guild_id = access.guild.id;
  user.user_id = access.member.user_id;
  user.role_ids = access.member.role_ids;
  user.channel_id = channel_id;
  switch (domain::EvaluateCommandPermissions(levels.command, levels.application, user)) {
    case domain::CommandVerdict::kAllowed:
      return true;
    case domain::CommandVerdict::kDenied:
      return false;
    case domain::CommandVerdict::kUnset:
      break;
  }
  if (!command.default_member_permissions) return true;
  const std::uint64_t needed = *command.default_member_permissions;
  return needed != 0 && (permissions & needed) == needed;
}

}  // namespace

boost::json::object CommandPermissionsViewJson(const CommandPermissionsView& v) {
  return domain::json::GuildCommandPermissionsJson(v.command_id, v.application_id, v.guild_id,
                                                   v.permissions);
}

Result<bool> MayRunCommand(store::CommandStore& store, const ApplicationCommand& command,
                           const GuildAccess& access, std::uint64_t permissions,
                           domain::Snowflake channel_id) {
  namespace perm = domain::perm;
  if (access.owner || perm::Has(permissions, perm::kAdministrator)) return true;
  auto rows = store.ListCommandPermissions(command.application_id, access.guild.id);
  if (!rows) return rows.error();
  return MayRunGiven(*rows, command, access, permissions, channel_id);
}

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
  // Commands come grouped by application: each application's permissions are read once.
  std::vector<store::CommandPermissionsRow> rows;
  domain::Snowflake rows_of = 0;
  for (auto& c : *commands) {
    if (rows_of != c.application_id) {
      auto read = deps_.store.ListCommandPermissions(c.application_id, guild_id);
      if (!read) return read.error();
      rows = std::move(*read);
      rows_of = c.application_id;
    }
    if (!domain::RunsIn(c, /*in_guild=*/true)) continue;
    if (!MayRunGiven(rows, c, *access, access->permissions, 0)) continue;
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

Result<std::optional<GuildAccess>> CommandService::AuthorizeManager(const CommandScope& scope) {
  auto app = Authorize(scope);
  if (app) return std::optional<GuildAccess>();
  if (app.error().code != Errc::kNotFound || !scope.guild_id) return app.error();
  // Not the application's: a manager of the guild may still read and set its permissions there.
  namespace perm = domain::perm;
  auto access = deps_.access.Guild(scope.actor_id, *scope.guild_id);
  if (!access) return access.error();
  if (!perm::Has(access->permissions, perm::kManageGuild | perm::kManageRoles)) {
    return MissingPermissions();
  }
  auto application = deps_.store.GetApplication(scope.application_id);
  if (!application) return application.error();
  if (!application->bot_user_id) return Error::Forbidden("Missing Access", 50001);
  auto bot = deps_.store.GetMember(*scope.guild_id, *application->bot_user_id);
  if (!bot) {
    if (bot.error().code == Errc::kNotFound) return Error::Forbidden("Missing Access", 50001);
    return bot.error();
  }
  return std::optional<GuildAccess>(std::move(*access));
}

Result<std::vector<CommandPermissionsView>> CommandService::ListPermissions(
    const CommandScope& scope) {
  if (auto r = AuthorizeManager(scope); !r) return r.error();
  auto rows = deps_.store.ListCommandPermissions(scope.application_id, *scope.guild_id);
  if (!rows) return rows.error();
  std::vector<CommandPermissionsView> out;
  for (auto& row : *rows) {
    // A deleted command's entries stay behind, unused; they are not shown.
    if (row.command_id != scope.application_id) {
      auto command = deps_.store.GetCommand(scope.application_id, scope.guild_id, row.command_id);
      if (!command && command.error().code == Errc::kNotFound) {
        command = deps_.store.GetCommand(scope.application_id, std::nullopt, row.command_id);
      }
      if (!command) {
        if (command.error().code == Errc::kNotFound) continue;
        return command.error();
      }
    }
    out.push_back({row.command_id, scope.application_id, *scope.guild_id,
                   domain::json::LoadCommandPermissions(row.permissions)});
  }
  return out;
}

Result<CommandPermissionsView> CommandService::GetPermissions(const CommandScope& scope,
                                                              domain::Snowflake command_id) {
  auto all = ListPermissions(scope);
  if (!all) return all.error();
  for (auto& v : *all) {
    if (v.command_id == command_id) return std::move(v);
  }
  return UnknownCommandPermissions();
}

Result<CommandPermissionsView> CommandService::PutPermissions(const CommandScope& scope,
                                                              domain::Snowflake command_id,
                                                              const boost::json::object& body,
                                                              const AuditReason& reason) {
  namespace perm = domain::perm;
  const auto guild_id = *scope.guild_id;
  auto actor = deps_.store.GetUser(scope.actor_id);
  if (!actor) return actor.error();
  if (actor->bot) return Error::Forbidden("Bots cannot use this endpoint", 20001);
  auto access = deps_.access.Guild(scope.actor_id, guild_id);
  if (!access) return access.error();
  if (!perm::Has(access->permissions, perm::kManageGuild | perm::kManageRoles)) {
    return MissingPermissions();
  }
  auto app = deps_.store.GetApplication(scope.application_id);
  if (!app) return app.error();
  if (!app->bot_user_id) return Error::Forbidden("Missing Access", 50001);
  if (auto bot = deps_.store.GetMember(guild_id, *app->bot_user_id); !bot) {
    if (bot.error().code == Errc::kNotFound) return Error::Forbidden("Missing Access", 50001);
    return bot.error();
  }
  if (command_id != scope.application_id) {
    auto command = deps_.store.GetCommand(scope.application_id, guild_id, command_id);
    if (!command && command.error().code == Errc::kNotFound) {
      command = deps_.store.GetCommand(scope.application_id, std::nullopt, command_id);
    }
    if (!command) return command.error();
    // Discord: one edits the permissions only of a command one may run oneself.
    auto may = MayRunCommand(deps_.store, *command, *access, access->permissions, 0);
    if (!may) return may.error();
    if (!*may) return MissingPermissions();
  }
  auto entries = domain::json::ParseCommandPermissions(body);
  if (!entries) return entries.error();
  // Each entry names something of this guild.
  auto channels = deps_.store.ListChannels(guild_id);
  if (!channels) return channels.error();
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const auto& e = (*entries)[i];
    bool known = false;
    switch (e.type) {
      case domain::CommandPermissionType::kRole:
        known = std::any_of(access->roles.begin(), access->roles.end(),
                            [&](const domain::Role& r) { return r.id == e.id; });
        break;
      case domain::CommandPermissionType::kUser:
        known = deps_.store.GetUser(e.id).has_value();
        break;
      case domain::CommandPermissionType::kChannel:
        known = e.id == domain::AllChannels(guild_id) ||
                std::any_of(channels->begin(), channels->end(),
                            [&](const domain::Channel& c) { return c.id == e.id; });
        break;
    }
    if (!known) {
      errors.push_back({"permissions." + std::to_string(i) + ".id",
                        "APPLICATION_COMMAND_PERMISSIONS_INVALID_ID",
                        "Not a role, user or channel of this guild."});
    }
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  auto stored = deps_.store.ListCommandPermissions(scope.application_id, guild_id);
  if (!stored) return stored.error();
  // The row of `command_id` itself, whether a command's or (the application's id) all of them.
  const auto old_entries = LevelsOf(*stored, scope.application_id, command_id).command;
  if (auto r = deps_.store.PutCommandPermissions(
          scope.application_id, guild_id,
          {command_id, domain::json::StoredCommandPermissions(*entries)});
      !r) {
    return r.error();
  }
  // Audited as Discord does: one change per target, keyed by its id.
  boost::json::array changes;
  auto find = [](const std::vector<domain::CommandPermission>& list,
                 const domain::CommandPermission& p) {
    return std::find_if(list.begin(), list.end(), [&](const domain::CommandPermission& x) {
      return x.id == p.id && x.type == p.type;
    });
  };
  auto entry = [](const domain::CommandPermission& p) {
    return boost::json::object{{"id", domain::ToString(p.id)},
                               {"type", static_cast<int>(p.type)},
                               {"permission", p.permission}};
  };
  for (const auto& p : *entries) {
    auto old = find(old_entries, p);
    if (old != old_entries.end() && old->permission == p.permission) continue;
    boost::json::object c{{"key", domain::ToString(p.id)}, {"new_value", entry(p)}};
    if (old != old_entries.end()) c["old_value"] = entry(*old);
    changes.push_back(std::move(c));
  }
  for (const auto& p : old_entries) {
    if (find(*entries, p) == entries->end()) {
      changes.push_back(
          boost::json::object{{"key", domain::ToString(p.id)}, {"old_value", entry(p)}});
    }
  }
  RecordAudit(deps_.audit, guild_id, scope.actor_id, command_id,
              domain::AuditLogAction::kApplicationCommandPermissionUpdate, std::move(changes),
              reason,
              boost::json::object{{"application_id", domain::ToString(scope.application_id)}});
  CommandPermissionsView view{command_id, scope.application_id, guild_id, std::move(*entries)};
  PublishTo(deps_.bus, "APPLICATION_COMMAND_PERMISSIONS_UPDATE", guild_id, {*app->bot_user_id},
            bus::Intent::kNone, CommandPermissionsViewJson(view));
  return view;
}

}  // namespace chat::service
