// CommandStore over PostgreSQL. Writes lock the application's row first, so that one
// application's concurrent registrations see each other's commands (the lookup by name, the count
// against the limit and the bulk replacement stay consistent).
#include "store/command_plan.hpp"
#include "store/command_store.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

using domain::ApplicationCommand;
using domain::Snowflake;

constexpr std::string_view kSelectCommand =
    "SELECT id, application_id, guild_id, type, name, description, options, "
    "default_member_permissions, dm_permission, nsfw, version, contexts, integration_types "
    "FROM application_commands ";
// The scope: $1 the application, $2 the guild or 0 for global.
constexpr std::string_view kInScope = "WHERE application_id = $1 AND coalesce(guild_id, 0) = $2 ";

Result<std::vector<ApplicationCommand>> ReadCommands(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<ApplicationCommand> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    ApplicationCommand c;
    c.id = r.Id(0);
    c.application_id = r.Id(1);
    c.guild_id = r.OptId(2);
    c.type = static_cast<domain::CommandType>(r.Int(3));
    c.name = r.Text(4);
    c.description = r.Text(5);
    c.options_json = r.Text(6);
    if (!r.IsNull(7)) c.default_member_permissions = static_cast<std::uint64_t>(r.Int(7));
    c.dm_permission = r.Bool(8);
    c.nsfw = r.Bool(9);
    c.version = r.Id(10);
    if (auto v = r.OptInt(11)) c.contexts = static_cast<int>(*v);
    if (auto v = r.OptInt(12)) c.integration_types = static_cast<int>(*v);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<ApplicationCommand>> LoadScope(Connection& conn, Snowflake app,
                                                  std::optional<Snowflake> guild) {
  return ReadCommands(
      conn.Query(std::string(kSelectCommand) + std::string(kInScope) + "ORDER BY id",
                 Params().Id(app).Id(guild.value_or(0))));
}

std::optional<std::int64_t> Permissions(const ApplicationCommand& c) {
  if (!c.default_member_permissions) return std::nullopt;
  return static_cast<std::int64_t>(*c.default_member_permissions);
}

Result<void> LockApplication(Connection& conn, Snowflake app) {
  auto rows =
      conn.Query("SELECT 1 FROM applications WHERE id = $1 FOR NO KEY UPDATE", Params().Id(app));
  if (!rows) return rows.error();
  if (rows->size() == 0) return Error::NotFound("Unknown Application", 10002);
  return {};
}

std::optional<std::int64_t> OptMask(std::optional<int> mask) {
  if (!mask) return std::nullopt;
  return *mask;
}

Result<void> Insert(Connection& conn, const ApplicationCommand& c) {
  auto rows = conn.Query(
      "INSERT INTO application_commands (id, application_id, guild_id, type, name, description, "
      "options, default_member_permissions, dm_permission, nsfw, version, contexts, "
      "integration_types) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      Params()
          .Id(c.id)
          .Id(c.application_id)
          .OptId(c.guild_id)
          .Int(static_cast<int>(c.type))
          .Text(c.name)
          .Text(c.description)
          .Text(c.options_json)
          .OptInt(Permissions(c))
          .Bool(c.dm_permission)
          .Bool(c.nsfw)
          .Id(c.version)
          .OptInt(OptMask(c.contexts))
          .OptInt(OptMask(c.integration_types)));
  if (!rows) return rows.error();
  return {};
}

// Rewrites the command with c.id (its scope and type stay); the changed row count.
Result<std::int64_t> Update(Connection& conn, const ApplicationCommand& c) {
  auto rows = conn.Query(
      "UPDATE application_commands SET name = $3, description = $4, options = $5, "
      "default_member_permissions = $6, dm_permission = $7, nsfw = $8, version = $9, "
      "contexts = $10, integration_types = $11 WHERE id = $1 AND application_id = $2",
      Params()
          .Id(c.id)
          .Id(c.application_id)
          .Text(c.name)
          .Text(c.description)
          .Text(c.options_json)
          .OptInt(Permissions(c))
          .Bool(c.dm_permission)
          .Bool(c.nsfw)
          .Id(c.version)
          .OptInt(OptMask(c.contexts))
          .OptInt(OptMask(c.integration_types)));
  if (!rows) return rows.error();
  return rows->Affected();
}

}  // namespace

Result<std::vector<ApplicationCommand>> PostgresStore::ListCommands(
    Snowflake application_id, std::optional<Snowflake> guild) {
  return Auto([&](Connection& conn) { return LoadScope(conn, application_id, guild); });
}

Result<std::vector<ApplicationCommand>> PostgresStore::ListGuildCommandIndex(Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return ReadCommands(conn.Query(
        "SELECT c.id, c.application_id, c.guild_id, c.type, c.name, c.description, c.options, "
        "c.default_member_permissions, c.dm_permission, c.nsfw, c.version, c.contexts, "
        "c.integration_types "
        "FROM application_commands c JOIN applications a ON a.id = c.application_id "
        "JOIN server_members m ON m.server_id = $1 AND m.user_id = a.bot_user_id "
        "WHERE c.guild_id IS NULL OR c.guild_id = $1 ORDER BY c.application_id, c.id",
        Params().Id(guild_id)));
  });
}

Result<ApplicationCommand> PostgresStore::GetCommand(Snowflake application_id,
                                                     std::optional<Snowflake> guild, Snowflake id) {
  return Auto([&](Connection& conn) -> Result<ApplicationCommand> {
    auto found =
        ReadCommands(conn.Query(std::string(kSelectCommand) + std::string(kInScope) + "AND id = $3",
                                Params().Id(application_id).Id(guild.value_or(0)).Id(id)));
    if (!found) return found.error();
    if (found->empty()) return UnknownCommand();
    return std::move(found->front());
  });
}

Result<std::optional<StoredCommand>> PostgresStore::PutCommand(const ApplicationCommand& command,
                                                               std::size_t max) {
  return Write([&](Connection& conn) -> Result<std::optional<StoredCommand>> {
    if (auto r = LockApplication(conn, command.application_id); !r) return r.error();
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

Result<void> PostgresStore::UpdateCommand(const ApplicationCommand& command) {
  return Write([&](Connection& conn) -> Result<void> {
    if (auto r = LockApplication(conn, command.application_id); !r) return r;
    auto changed = Update(conn, command);
    if (!changed) return changed.error();
    if (*changed == 0) return UnknownCommand();
    return {};
  });
}

Result<void> PostgresStore::DeleteCommand(Snowflake application_id, std::optional<Snowflake> guild,
                                          Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows =
        conn.Query("DELETE FROM application_commands " + std::string(kInScope) + "AND id = $3",
                   Params().Id(application_id).Id(guild.value_or(0)).Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownCommand();
    return {};
  });
}

Result<std::vector<ApplicationCommand>> PostgresStore::ReplaceCommands(
    Snowflake application_id, std::optional<Snowflake> guild,
    std::vector<ApplicationCommand> commands) {
  return Write([&](Connection& conn) -> Result<std::vector<ApplicationCommand>> {
    if (auto r = LockApplication(conn, application_id); !r) return r.error();
    auto scope = LoadScope(conn, application_id, guild);
    if (!scope) return scope.error();
    commands = KeepIds(*scope, std::move(commands));
    auto cleared = conn.Query("DELETE FROM application_commands " + std::string(kInScope),
                              Params().Id(application_id).Id(guild.value_or(0)));
    if (!cleared) return cleared.error();
    for (const auto& c : commands) {
      if (auto r = Insert(conn, c); !r) return r.error();
    }
    return commands;
  });
}

Result<std::vector<CommandPermissionsRow>> PostgresStore::ListCommandPermissions(
    Snowflake application_id, Snowflake guild_id) {
  return Auto([&](Connection& conn) -> Result<std::vector<CommandPermissionsRow>> {
    auto rows = conn.Query(
        "SELECT command_id, permissions FROM command_permissions "
        "WHERE application_id = $1 AND server_id = $2 ORDER BY command_id",
        Params().Id(application_id).Id(guild_id));
    if (!rows) return rows.error();
    std::vector<CommandPermissionsRow> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back({(*rows)[i].Id(0), (*rows)[i].Text(1)});
    return out;
  });
}

Result<void> PostgresStore::PutCommandPermissions(Snowflake application_id, Snowflake guild_id,
                                                  const CommandPermissionsRow& row) {
  return Write([&](Connection& conn) -> Result<void> {
    auto guild = GuildExists(conn, guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    auto rows = row.permissions == "[]"
                    ? conn.Query(
                          "DELETE FROM command_permissions WHERE application_id = $1 "
                          "AND server_id = $2 AND command_id = $3",
                          Params().Id(application_id).Id(guild_id).Id(row.command_id))
                    : conn.Query(
                          "INSERT INTO command_permissions (application_id, server_id, "
                          "command_id, permissions) VALUES ($1, $2, $3, $4) "
                          "ON CONFLICT (server_id, command_id) "
                          "DO UPDATE SET permissions = excluded.permissions",
                          Params()
                              .Id(application_id)
                              .Id(guild_id)
                              .Id(row.command_id)
                              .Text(row.permissions));
    if (!rows) return rows.error();
    return {};
  });
}

}  // namespace chat::store::postgres
