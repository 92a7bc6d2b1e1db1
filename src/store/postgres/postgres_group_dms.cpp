// ChannelStore's group DM calls over PostgreSQL: recipients, owner, name and icon of type 3
// channels. Each write first locks the channel's row, so changes to one group DM take turns and
// the channel read under the lock (its recipients and owner, checked by store/group_dm_rules)
// stays true until the commit.
#include "store/group_dm_rules.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

Result<void> Exec(Connection& conn, std::string_view sql, const Params& params) {
  auto rows = conn.Query(sql, params);
  if (!rows) return rows.error();
  return {};
}

// Locks the channel's row (NO KEY UPDATE: messages, whose key refers to it, are still written
// meanwhile) and reads it as it is now.
Result<domain::Channel> LockChannel(Connection& conn, domain::Snowflake channel_id) {
  if (auto r = Exec(conn, "SELECT 1 FROM channels WHERE id = $1 FOR NO KEY UPDATE",
                    Params().Id(channel_id));
      !r) {
    return r.error();
  }
  return LoadChannel(conn, channel_id);
}

Result<void> SetOwner(Connection& conn, domain::Snowflake channel_id, domain::Snowflake owner) {
  return Exec(conn, "UPDATE channels SET owner_id = $2 WHERE id = $1",
              Params().Id(channel_id).Id(owner));
}

}  // namespace

Result<bool> PostgresStore::AddRecipient(domain::Snowflake channel_id, domain::Snowflake user_id,
                                         domain::Snowflake actor, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto channel = LockChannel(conn, channel_id);
    if (!channel) return channel.error();
    if (auto r = CheckGroupDmActor(*channel, actor); !r) return r.error();
    auto user = UserExists(conn, user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    if (IsRecipientOf(*channel, user_id)) return false;
    if (channel->recipient_ids.size() >= max) return MaxRecipients();
    if (auto r = Exec(conn, "INSERT INTO channel_recipients (channel_id, user_id) VALUES ($1, $2)",
                      Params().Id(channel_id).Id(user_id));
        !r) {
      return r.error();
    }
    return true;
  });
}

Result<RecipientRemoval> PostgresStore::RemoveRecipient(domain::Snowflake channel_id,
                                                        domain::Snowflake user_id,
                                                        domain::Snowflake actor) {
  return Write([&](Connection& conn) -> Result<RecipientRemoval> {
    auto before = LockChannel(conn, channel_id);
    if (!before) return before.error();
    if (auto r = CheckRemoval(*before, user_id, actor); !r) return r.error();
    RecipientRemoval removal{*before, WithoutRecipient(*before, user_id)};
    if (removal.after->recipient_ids.empty()) {
      if (auto r = Exec(conn, "DELETE FROM channels WHERE id = $1", Params().Id(channel_id)); !r) {
        return r.error();
      }
      removal.after.reset();
      return removal;
    }
    if (auto r = Exec(conn, "DELETE FROM channel_recipients WHERE channel_id = $1 AND user_id = $2",
                      Params().Id(channel_id).Id(user_id));
        !r) {
      return r.error();
    }
    if (removal.after->owner_id != before->owner_id) {
      if (auto r = SetOwner(conn, channel_id, *removal.after->owner_id); !r) return r.error();
    }
    return removal;
  });
}

Result<domain::Channel> PostgresStore::UpdateGroupDm(domain::Snowflake channel_id,
                                                     const GroupDmUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    auto channel = LockChannel(conn, channel_id);
    if (!channel) return channel.error();
    if (auto r = CheckGroupDmActor(*channel, update.actor); !r) return r.error();
    if (update.owner_id) {
      if (auto r = CheckNewOwner(*channel, *update.owner_id, update.actor); !r) return r.error();
      if (auto r = SetOwner(conn, channel_id, *update.owner_id); !r) return r.error();
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
