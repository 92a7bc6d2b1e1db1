// AccessStore over PostgreSQL: the rows of a permission check on one leased connection, statement
// by statement as the separate reads were (a REPEATABLE READ transaction would add two round
// trips to every request).
#include "store/access_rows.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

Result<GuildAccessRows> PostgresStore::ReadGuildAccess(domain::Snowflake guild_id,
                                                       domain::Snowflake user_id) {
  return Auto([&](Connection& conn) { return ReadGuildAccessRows(conn, guild_id, user_id); });
}

Result<ChannelAccessRows> PostgresStore::ReadChannelAccess(domain::Snowflake channel_id,
                                                           domain::Snowflake user_id,
                                                           bool with_user) {
  return Auto([&](Connection& conn) {
    return ReadChannelAccessRows(conn, channel_id, user_id, with_user);
  });
}

}  // namespace chat::store::postgres
