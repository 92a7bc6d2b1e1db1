// store/sqlite/sqlite_rows.hpp — row helpers shared by the sqlite_<resource>.cpp files: inserts
// a guild's creation reuses, loaders that return whole entities (a channel with its overwrites,
// a member with its roles) and small utilities. Each runs on the Connection it is given, inside
// the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"
#include "store/nullable.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/task_store.hpp"

namespace chat::store::sqlite {

std::int64_t NowMs();

// `ids` as a JSON array ("[1,2,3]"), bound to one parameter and read back with json_each: one
// statement for any number of ids, which SQLite's statement cache keeps.
std::string JsonIdArray(std::span<const domain::Snowflake> ids);

// Runs `sql`, which selects one row by the ?1 id, and says whether it found one.
[[nodiscard]] Result<bool> RowExists(Connection& conn, std::string_view sql, domain::Snowflake id);
[[nodiscard]] Result<bool> RowExists(Connection& conn, std::string_view sql, domain::Snowflake a,
                                     domain::Snowflake b);
[[nodiscard]] Result<bool> UserExists(Connection& conn, domain::Snowflake id);
[[nodiscard]] Result<bool> GuildExists(Connection& conn, domain::Snowflake id);

// Binds a PATCH field as two parameters: ?index = "set it" flag, ?index+1 = the value.
void BindPatchText(Statement& stmt, int index, const std::optional<std::string>& value);
void BindPatchText(Statement& stmt, int index, const Nullable<std::string>& value);
void BindPatchInt(Statement& stmt, int index, const std::optional<std::int64_t>& value);
void BindPatchInt(Statement& stmt, int index, const Nullable<std::int64_t>& value);
void BindPatchInt(Statement& stmt, int index, const std::optional<int>& value);
void BindPatchBool(Statement& stmt, int index, const std::optional<bool>& value);
void BindPatchId(Statement& stmt, int index, const std::optional<domain::Snowflake>& value);
void BindPatchId(Statement& stmt, int index, const Nullable<domain::Snowflake>& value);

// The outbox rows (sqlite_tasks.cpp), for the changes that write or finish a task in their own
// transaction. InsertTask takes over a task of the same key (its lease is the new writer's);
// DeleteTask says whether the task was there (see TaskStore::CompleteTask for the due time).
[[nodiscard]] Result<void> InsertTask(Connection& conn, const NewTask& task);
[[nodiscard]] Result<bool> DeleteTask(Connection& conn, TaskKey key,
                                      std::int64_t only_if_due_at_ms = 0);

// Inserts (guild_id taken from the argument, not the struct).
[[nodiscard]] Result<void> InsertRole(Connection& conn, domain::Snowflake guild_id,
                                      const domain::Role& role);
// Inserts the channel row, its overwrites and its recipients.
[[nodiscard]] Result<void> InsertChannel(Connection& conn, const domain::Channel& channel);
// Inserts the member row and its roles; NotFound 10011 for a role outside the guild.
[[nodiscard]] Result<void> InsertMember(Connection& conn, domain::Snowflake guild_id,
                                        const domain::Member& member);
// Replaces the member's roles; NotFound 10011 for a role outside the guild.
[[nodiscard]] Result<void> ReplaceMemberRoles(Connection& conn, domain::Snowflake guild_id,
                                              domain::Snowflake user_id,
                                              std::span<const domain::Snowflake> role_ids);

// Loaders: NotFound with the entity's code when absent.
[[nodiscard]] Result<domain::Guild> LoadGuild(Connection& conn, domain::Snowflake id);
[[nodiscard]] Result<domain::Channel> LoadChannel(Connection& conn, domain::Snowflake id);
[[nodiscard]] Result<domain::Member> LoadMember(Connection& conn, domain::Snowflake guild_id,
                                                domain::Snowflake user_id);
[[nodiscard]] Result<std::vector<domain::Role>> LoadRoles(Connection& conn,
                                                          domain::Snowflake guild_id);
[[nodiscard]] Result<domain::User> LoadUser(Connection& conn, domain::Snowflake id);
// Fills channel.thread (a thread's metadata and counts); LoadChannel calls it for threads.
[[nodiscard]] Result<void> LoadThreadMetadata(Connection& conn, domain::Channel& channel);
[[nodiscard]] Result<bool> IsThreadMember(Connection& conn, domain::Snowflake thread_id,
                                          domain::Snowflake user_id);

}  // namespace chat::store::sqlite
