// store/postgres/postgres_rows.hpp — row helpers shared by the postgres_<resource>.cpp files:
// existence checks, PATCH parameters, the inserts a guild's creation reuses, and loaders that
// return whole entities in one query (a channel with its overwrites and recipients as arrays, a
// member with its roles). Each runs on the Connection it is given, inside the caller's
// transaction if there is one.
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
#include "store/postgres/postgres_db.hpp"
#include "store/task_store.hpp"

namespace chat::store::postgres {

std::int64_t NowMs();

// Runs `sql`, which selects at most one row, and says whether it found one.
[[nodiscard]] Result<bool> RowExists(Connection& conn, std::string_view sql, const Params& params);
[[nodiscard]] Result<bool> UserExists(Connection& conn, domain::Snowflake id);
[[nodiscard]] Result<bool> GuildExists(Connection& conn, domain::Snowflake id);
[[nodiscard]] Result<bool> ChannelExists(Connection& conn, domain::Snowflake id);

// A PATCH field as two parameters: $n = "set it" flag, $n+1 = the value (for
// `col = CASE WHEN $n THEN $n+1 ELSE col END`).
void PatchText(Params& params, const std::optional<std::string>& value);
void PatchText(Params& params, const Nullable<std::string>& value);
void PatchBool(Params& params, const std::optional<bool>& value);
template <class T>
void PatchInt(Params& params, const std::optional<T>& value) {
  params.Bool(value.has_value());
  if (value) {
    params.Int(static_cast<std::int64_t>(*value));
  } else {
    params.Null();
  }
}
template <class T>
void PatchNullableInt(Params& params, const Nullable<T>& value) {
  params.Bool(value.has_value());
  if (value && *value) {
    params.Int(static_cast<std::int64_t>(**value));
  } else {
    params.Null();
  }
}

// The outbox rows (postgres_tasks.cpp), for the changes that write or finish a task in their own
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
// Replaces the member's roles; NotFound 10011 for a role outside the guild. @everyone is
// skipped: it is implicit.
[[nodiscard]] Result<void> ReplaceMemberRoles(Connection& conn, domain::Snowflake guild_id,
                                              domain::Snowflake user_id,
                                              std::span<const domain::Snowflake> role_ids);

// Loaders: NotFound with the entity's code when absent.
[[nodiscard]] Result<domain::Guild> LoadGuild(Connection& conn, domain::Snowflake id);
[[nodiscard]] Result<domain::Channel> LoadChannel(Connection& conn, domain::Snowflake id);
// The channels a `where` clause (with its ORDER BY) selects from `channels c`, each whole.
[[nodiscard]] Result<std::vector<domain::Channel>> FindChannels(Connection& conn,
                                                                std::string_view where,
                                                                const Params& params);
[[nodiscard]] Result<bool> IsThreadMember(Connection& conn, domain::Snowflake thread_id,
                                          domain::Snowflake user_id);
[[nodiscard]] Result<domain::Member> LoadMember(Connection& conn, domain::Snowflake guild_id,
                                                domain::Snowflake user_id);
[[nodiscard]] Result<std::vector<domain::Role>> LoadRoles(Connection& conn,
                                                          domain::Snowflake guild_id);
[[nodiscard]] Result<domain::User> LoadUser(Connection& conn, domain::Snowflake id);

}  // namespace chat::store::postgres
