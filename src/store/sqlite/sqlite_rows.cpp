#include "store/sqlite/sqlite_rows.hpp"

#include <chrono>

#include "store/errors.hpp"

namespace chat::store::sqlite {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string JsonIdArray(std::span<const domain::Snowflake> ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) out += ',';
    out += std::to_string(ids[i]);
  }
  out += ']';
  return out;
}

Result<bool> RowExists(Connection& conn, std::string_view sql, domain::Snowflake id) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  return stmt->Step();
}

Result<bool> RowExists(Connection& conn, std::string_view sql, domain::Snowflake a,
                       domain::Snowflake b) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) return stmt.error();
  stmt->BindId(1, a).BindId(2, b);
  return stmt->Step();
}

Result<bool> UserExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM users WHERE id = ?1", id);
}

Result<bool> GuildExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM servers WHERE id = ?1", id);
}

void BindPatchText(Statement& stmt, int index, const std::optional<std::string>& value) {
  stmt.BindBool(index, value.has_value());
  stmt.BindOptText(index + 1, value);
}

void BindPatchText(Statement& stmt, int index, const Nullable<std::string>& value) {
  stmt.BindBool(index, value.has_value());
  if (value) {
    stmt.BindOptText(index + 1, *value);
  } else {
    stmt.BindNull(index + 1);
  }
}

void BindPatchInt(Statement& stmt, int index, const std::optional<std::int64_t>& value) {
  stmt.BindBool(index, value.has_value());
  stmt.BindOptInt(index + 1, value);
}

void BindPatchInt(Statement& stmt, int index, const Nullable<std::int64_t>& value) {
  stmt.BindBool(index, value.has_value());
  if (value) {
    stmt.BindOptInt(index + 1, *value);
  } else {
    stmt.BindNull(index + 1);
  }
}

void BindPatchInt(Statement& stmt, int index, const std::optional<int>& value) {
  stmt.BindBool(index, value.has_value());
  stmt.BindInt(index + 1, value.value_or(0));
}

void BindPatchBool(Statement& stmt, int index, const std::optional<bool>& value) {
  stmt.BindBool(index, value.has_value());
  stmt.BindBool(index + 1, value.value_or(false));
}

void BindPatchId(Statement& stmt, int index, const std::optional<domain::Snowflake>& value) {
  stmt.BindBool(index, value.has_value());
  stmt.BindOptId(index + 1, value);
}

void BindPatchId(Statement& stmt, int index, const Nullable<domain::Snowflake>& value) {
  stmt.BindBool(index, value.has_value());
  if (value) {
    stmt.BindOptId(index + 1, *value);
  } else {
    stmt.BindNull(index + 1);
  }
}

}  // namespace chat::store::sqlite
