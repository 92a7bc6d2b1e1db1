// ChannelStore's group DM calls over PostgreSQL: recipients, owner, name and icon of type 3
// channels. Each write first locks the channel's row, so changes to one group DM's recipients
// take turns and a count read under the lock stays true until the commit.
#include <algorithm>

#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

Result<void> LockGroupDm(Connection& conn, domain::Snowflake channel_id) {
  auto locked = RowExists(conn, "SELECT 1 FROM channels WHERE id = $1 AND type = 3 FOR UPDATE",
                          Params().Id(channel_id));
  if (!locked) return locked.error();
  if (!*locked) return UnknownChannel();
  return {};
}

Result<bool> IsRecipient(Connection& conn, domain::Snowflake channel_id,
                         domain::Snowflake user_id) {
  return RowExists(conn, "SELECT 1 FROM channel_recipients WHERE channel_id = $1 AND user_id = $2",
                   Params().Id(channel_id).Id(user_id));
}

Result<void> Exec(Connection& conn, std::string_view sql, const Params& params) {
  auto rows = conn.Query(sql, params);
  if (!rows) return rows.error();
  return {};
}

}  // namespace

Result<bool> PostgresStore::AddRecipient(domain::Snowflake channel_id, domain::Snowflake user_id,
                                         std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    if (auto r = LockGroupDm(conn, channel_id); !r) return r.error();
    auto user = UserExists(conn, user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    auto already = IsRecipient(conn, channel_id, user_id);
    if (!already) return already.error();
    if (*already) return false;
    auto count = conn.Query("SELECT count(*) FROM channel_recipients WHERE channel_id = $1",
                            Params().Id(channel_id));
    if (!count) return count.error();
    if (static_cast<std::size_t>((*count)[0].Int(0)) >= max) return MaxRecipients();
    if (auto r = Exec(conn, "INSERT INTO channel_recipients (channel_id, user_id) VALUES ($1, $2)",
                      Params().Id(channel_id).Id(user_id));
        !r) {
      return r.error();
    }
    return true;
  });
}

Result<std::optional<domain::Channel>> PostgresStore::RemoveRecipient(domain::Snowflake channel_id,
                                                                      domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<std::optional<domain::Channel>> {
    if (auto r = LockGroupDm(conn, channel_id); !r) return r.error();
    auto channel = LoadChannel(conn, channel_id);
    if (!channel) return channel.error();
    auto& ids = channel->recipient_ids;
    auto it = std::find(ids.begin(), ids.end(), user_id);
    if (it == ids.end()) return UnknownUser();
    ids.erase(it);
    if (ids.empty()) {
      if (auto r = Exec(conn, "DELETE FROM channels WHERE id = $1", Params().Id(channel_id)); !r) {
        return r.error();
      }
      return std::optional<domain::Channel>();
    }
    if (auto r = Exec(conn, "DELETE FROM channel_recipients WHERE channel_id = $1 AND user_id = $2",
                      Params().Id(channel_id).Id(user_id));
        !r) {
      return r.error();
    }
    if (channel->owner_id == user_id || !channel->owner_id) {
      channel->owner_id = ids.front();  // recipients come ascending by id
      if (auto r = Exec(conn, "UPDATE channels SET owner_id = $2 WHERE id = $1",
                        Params().Id(channel_id).Id(ids.front()));
          !r) {
        return r.error();
      }
    }
    return std::optional<domain::Channel>(std::move(*channel));
  });
}

Result<domain::Channel> PostgresStore::UpdateGroupDm(domain::Snowflake channel_id,
                                                     const GroupDmUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    if (auto r = LockGroupDm(conn, channel_id); !r) return r.error();
    if (update.owner_id) {
      auto recipient = IsRecipient(conn, channel_id, *update.owner_id);
      if (!recipient) return recipient.error();
      if (!*recipient) return UnknownUser();
      if (auto r = Exec(conn, "UPDATE channels SET owner_id = $2 WHERE id = $1",
                        Params().Id(channel_id).Id(*update.owner_id));
          !r) {
        return r.error();
      }
    }
    if (update.name) {
      if (auto r = Exec(conn, "UPDATE channels SET name = $2 WHERE id = $1",
                        Params().Id(channel_id).Text(*update.name));
          !r) {
        return r.error();
      }
    }
    if (update.icon) {
      Params params;
      params.Id(channel_id);
      if (const auto& icon = *update.icon) {
        params.Text(icon->hash).Text(icon->content_type).Text(icon->base64);
      } else {
        params.Null().Null().Null();
      }
      if (auto r = Exec(conn,
                        "UPDATE channels SET icon_hash = $2, icon_type = $3, icon_data = $4 "
                        "WHERE id = $1",
                        params);
          !r) {
        return r.error();
      }
    }
    return LoadChannel(conn, channel_id);
  });
}

Result<domain::StoredImage> PostgresStore::GetChannelIcon(domain::Snowflake channel_id) {
  return Auto([&](Connection& conn) -> Result<domain::StoredImage> {
    auto rows = conn.Query(
        "SELECT icon_hash, icon_type, icon_data FROM channels "
        "WHERE id = $1 AND icon_hash IS NOT NULL",
        Params().Id(channel_id));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownChannel();
    const Row r = (*rows)[0];
    return domain::StoredImage{r.Text(0), r.Text(1), r.Text(2)};
  });
}

}  // namespace chat::store::postgres
