// AccessStore over SQLite: the rows of a permission check in one read transaction.
#include "store/access_rows.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

Result<GuildAccessRows> SqliteStore::ReadGuildAccess(domain::Snowflake guild_id,
                                                     domain::Snowflake user_id) {
  return Read([&](Connection& conn) { return ReadGuildAccessRows(conn, guild_id, user_id); });
}

Result<ChannelAccessRows> SqliteStore::ReadChannelAccess(domain::Snowflake channel_id,
                                                         domain::Snowflake user_id,
                                                         bool with_user) {
  return Read([&](Connection& conn) {
    return ReadChannelAccessRows(conn, channel_id, user_id, with_user);
  });
}

}  // namespace chat::store::sqlite
