#include "store/postgres/postgres_rows.hpp"

#include <chrono>

namespace chat::store::postgres {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<bool> RowExists(Connection& conn, std::string_view sql, const Params& params) {
  auto rows = conn.Query(sql, params);
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<bool> UserExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM users WHERE id = $1", Params().Id(id));
}

Result<bool> GuildExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM servers WHERE id = $1", Params().Id(id));
}

Result<bool> ChannelExists(Connection& conn, domain::Snowflake id) {
  return RowExists(conn, "SELECT 1 FROM channels WHERE id = $1", Params().Id(id));
}

void PatchText(Params& params, const std::optional<std::string>& value) {
  params.Bool(value.has_value());
  params.OptText(value);
}

void PatchText(Params& params, const Nullable<std::string>& value) {
  params.Bool(value.has_value());
  if (value) {
    params.OptText(*value);
  } else {
    params.Null();
  }
}

void PatchBool(Params& params, const std::optional<bool>& value) {
  params.Bool(value.has_value());
  if (value) {
    params.Bool(*value);
  } else {
    params.Null();
  }
}

}  // namespace chat::store::postgres
