// CommandStore over SQLite.
#include "store/command_plan.hpp"
#include "store/command_store.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

using domain::ApplicationCommand;
using domain::Snowflake;

constexpr std::string_view kSelectCommand =
    "SELECT id, application_id, guild_id, type, name, description, options, "
    "default_member_permissions, dm_permission, nsfw, version, contexts, integration_types "
    "FROM application_commands ";
// The scope: ?1 the application, ?2 the guild or 0 for global.
constexpr std::string_view kInScope = "WHERE application_id = ?1 AND coalesce(guild_id, 0) = ?2 ";

ApplicationCommand ReadCommand(const Statement& s) {
  ApplicationCommand c;
  c.id = s.Id(0);
  c.application_id = s.Id(1);
  c.guild_id = s.OptId(2);
  c.type = static_cast<domain::CommandType>(s.Int(3));
  c.name = s.Text(4);
  c.description = s.Text(5);
  c.options_json = s.Text(6);
  if (auto p = s.OptInt(7)) c.default_member_permissions = static_cast<std::uint64_t>(*p);
  c.dm_permission = s.Bool(8);
  c.nsfw = s.Bool(9);
  c.version = s.Id(10);
  if (auto v = s.OptInt(11)) c.contexts = static_cast<int>(*v);
  if (auto v = s.OptInt(12)) c.integration_types = static_cast<int>(*v);
  return c;
}

Result<std::vector<ApplicationCommand>> Collect(Statement& stmt) {
  std::vector<ApplicationCommand> out;
  for (;;) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(ReadCommand(stmt));
  }
}

Result<std::vector<ApplicationCommand>> LoadScope(Connection& conn, Snowflake app,
                                                  std::optional<Snowflake> guild) {
  auto stmt = conn.Prepare(std::string(kSelectCommand) + std::string(kInScope) + "ORDER BY id");
  if (!stmt) return stmt.error();
  stmt->BindId(1, app).BindId(2, guild.value_or(0));
  return Collect(*stmt);
}

std::optional<std::int64_t> Permissions(const ApplicationCommand& c) {
  if (!c.default_member_permissions) return std::nullopt;
  return static_cast<std::int64_t>(*c.default_member_permissions);
}

Result<void> Insert(Connection& conn, const ApplicationCommand& c) {
  auto stmt = conn.Prepare(
      "INSERT INTO application_commands (id, application_id, guild_id, type, name, description, "
      "options, default_member_permissions, dm_permission, nsfw, version, contexts, "
      "integration_types) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!stmt) return stmt.error();
  stmt->BindId(1, c.id).BindId(2, c.application_id).BindOptId(3, c.guild_id);
  stmt->BindInt(4, static_cast<int>(c.type)).BindText(5, c.name).BindText(6, c.description);
  stmt->BindText(7, c.options_json).BindOptInt(8, Permissions(c)).BindBool(9, c.dm_permission);
  stmt->BindBool(10, c.nsfw).BindId(11, c.version);
  stmt->BindOptInt(12, c.contexts).BindOptInt(13, c.integration_types);
  return stmt->Run();
}

// Rewrites the command with c.id (its scope and type stay); the changed row count.
Result<std::int64_t> Update(Connection& conn, const ApplicationCommand& c) {
  auto stmt = conn.Prepare(
      "UPDATE application_commands SET name = ?3, description = ?4, options = ?5, "
      "default_member_permissions = ?6, dm_permission = ?7, nsfw = ?8, version = ?9, "
      "contexts = ?10, integration_types = ?11 WHERE id = ?1 AND application_id = ?2");
  if (!stmt) return stmt.error();
  stmt->BindId(1, c.id).BindId(2, c.application_id).BindText(3, c.name);
  stmt->BindText(4, c.description).BindText(5, c.options_json).BindOptInt(6, Permissions(c));
  stmt->BindBool(7, c.dm_permission).BindBool(8, c.nsfw).BindId(9, c.version);
  stmt->BindOptInt(10, c.contexts).BindOptInt(11, c.integration_types);
  if (auto r = stmt->Run(); !r) return r.error();
  return stmt->Changes();
}

}  // namespace

Result<std::vector<ApplicationCommand>> SqliteStore::ListCommands(Snowflake application_id,
                                                                  std::optional<Snowflake> guild) {
  return Read([&](Connection& conn) { return LoadScope(conn, application_id, guild); });
}

Result<std::vector<ApplicationCommand>> SqliteStore::ListGuildCommandIndex(Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<ApplicationCommand>> {
    auto stmt = conn.Prepare(
        "SELECT c.id, c.application_id, c.guild_id, c.type, c.name, c.description, c.options, "
        "c.default_member_permissions, c.dm_permission, c.nsfw, c.version, c.contexts, "
        "c.integration_types "
        "FROM application_commands c JOIN applications a ON a.id = c.application_id "
        "JOIN server_members m ON m.server_id = ?1 AND m.user_id = a.bot_user_id "
        "WHERE c.guild_id IS NULL OR c.guild_id = ?1 ORDER BY c.application_id, c.id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    return Collect(*stmt);
  });
}

Result<ApplicationCommand> SqliteStore::GetCommand(Snowflake application_id,
                                                   std::optional<Snowflake> guild, Snowflake id) {
  return Read([&](Connection& conn) -> Result<ApplicationCommand> {
    auto stmt = conn.Prepare(std::string(kSelectCommand) + std::string(kInScope) + "AND id = ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, application_id).BindId(2, guild.value_or(0)).BindId(3, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownCommand();
    return ReadCommand(*stmt);
  });
}

Result<std::optional<StoredCommand>> SqliteStore::PutCommand(const ApplicationCommand& command,
                                                             std::size_t max) {
  return Write([&](Connection& conn) -> Result<std::optional<StoredCommand>> {
    // One writer: the lookup, the count and the insert cannot interleave with another.
    auto scope = LoadScope(conn, command.application_id, command.guild_id);
    if (!scope) return scope.error();
    auto plan = PlanPut(*scope, command, max);
    if (!plan) return plan;  // the scope is full
    if (plan->created) {
      if (auto r = Insert(conn, plan->command); !r) return r.error();
    } else if (auto r = Update(conn, plan->command); !r) {
      return r.error();
    }
    return plan;
  });
}

Result<void> SqliteStore::UpdateCommand(const ApplicationCommand& command) {
  return Write([&](Connection& conn) -> Result<void> {
    auto changed = Update(conn, command);
    if (!changed) return changed.error();
    if (*changed == 0) return UnknownCommand();
    return {};
  });
}

Result<void> SqliteStore::DeleteCommand(Snowflake application_id, std::optional<Snowflake> guild,
                                        Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt =
        conn.Prepare("DELETE FROM application_commands " + std::string(kInScope) + "AND id = ?3");
    if (!stmt) return stmt.error();
    stmt->BindId(1, application_id).BindId(2, guild.value_or(0)).BindId(3, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownCommand();
    return {};
  });
}

Result<std::vector<ApplicationCommand>> SqliteStore::ReplaceCommands(
    Snowflake application_id, std::optional<Snowflake> guild,
    std::vector<ApplicationCommand> commands) {
  return Write([&](Connection& conn) -> Result<std::vector<ApplicationCommand>> {
    auto scope = LoadScope(conn, application_id, guild);
    if (!scope) return scope.error();
    commands = KeepIds(*scope, std::move(commands));
    auto clear = conn.Prepare("DELETE FROM application_commands " + std::string(kInScope));
    if (!clear) return clear.error();
    clear->BindId(1, application_id).BindId(2, guild.value_or(0));
    if (auto r = clear->Run(); !r) return r.error();
    for (const auto& c : commands) {
      if (auto r = Insert(conn, c); !r) return r.error();
    }
    return commands;
  });
}

Result<std::vector<CommandPermissionsRow>> SqliteStore::ListCommandPermissions(
    Snowflake application_id, Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<CommandPermissionsRow>> {
    auto stmt = conn.Prepare(
        "SELECT command_id, permissions FROM command_permissions "
        "WHERE application_id = ?1 AND server_id = ?2 ORDER BY command_id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, application_id).BindId(2, guild_id);
    std::vector<CommandPermissionsRow> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back({stmt->Id(0), stmt->Text(1)});
    }
  });
}

Result<void> SqliteStore::PutCommandPermissions(Snowflake application_id, Snowflake guild_id,
                                                const CommandPermissionsRow& row) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    const bool clear = row.permissions == "[]";
    auto stmt = conn.Prepare(
        clear ? "DELETE FROM command_permissions WHERE server_id = ?2 AND command_id = ?3 "
                "AND application_id = ?1"
              : "INSERT INTO command_permissions (application_id, server_id, command_id, "
                "permissions) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (server_id, command_id) "
                "DO UPDATE SET permissions = excluded.permissions");
    if (!stmt) return stmt.error();
    stmt->BindId(1, application_id).BindId(2, guild_id).BindId(3, row.command_id);
    if (!clear) stmt->BindText(4, row.permissions);
    return stmt->Run();
  });
}

}  // namespace chat::store::sqlite
