// ChannelStore's group DM calls over SQLite: recipients, owner, name and icon of type 3 channels.
// Writes are serialized by SQLite itself, so the channel read at the start of a write transaction
// (its recipients and owner, checked by store/group_dm_rules) stays true until its commit.
#include "store/group_dm_rules.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

Result<void> SetOwner(Connection& conn, domain::Snowflake channel_id, domain::Snowflake owner) {
  auto stmt = conn.Prepare("UPDATE channels SET owner_id = ?2 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, channel_id).BindId(2, owner);
  return stmt->Run();
}

}  // namespace

Result<bool> SqliteStore::AddRecipient(domain::Snowflake channel_id, domain::Snowflake user_id,
                                       domain::Snowflake actor, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto channel = LoadChannel(conn, channel_id);
    if (!channel) return channel.error();
    if (auto r = CheckGroupDmActor(*channel, actor); !r) return r.error();
    auto user = UserExists(conn, user_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    if (IsRecipientOf(*channel, user_id)) return false;
    if (channel->recipient_ids.size() >= max) return MaxRecipients();
    auto insert =
        conn.Prepare("INSERT INTO channel_recipients (channel_id, user_id) VALUES (?1, ?2)");
    if (!insert) return insert.error();
    insert->BindId(1, channel_id).BindId(2, user_id);
    if (auto r = insert->Run(); !r) return r.error();
    return true;
  });
}

Result<RecipientRemoval> SqliteStore::RemoveRecipient(domain::Snowflake channel_id,
                                                      domain::Snowflake user_id,
                                                      domain::Snowflake actor) {
  return Write([&](Connection& conn) -> Result<RecipientRemoval> {
    auto before = LoadChannel(conn, channel_id);
    if (!before) return before.error();
    if (auto r = CheckRemoval(*before, user_id, actor); !r) return r.error();
    RecipientRemoval removal{*before, WithoutRecipient(*before, user_id)};
    if (removal.after->recipient_ids.empty()) {
      auto drop = conn.Prepare("DELETE FROM channels WHERE id = ?1");
      if (!drop) return drop.error();
      drop->BindId(1, channel_id);
      if (auto r = drop->Run(); !r) return r.error();
      removal.after.reset();
      return removal;
    }
    auto remove =
        conn.Prepare("DELETE FROM channel_recipients WHERE channel_id = ?1 AND user_id = ?2");
    if (!remove) return remove.error();
    remove->BindId(1, channel_id).BindId(2, user_id);
    if (auto r = remove->Run(); !r) return r.error();
    if (removal.after->owner_id != before->owner_id) {
      if (auto r = SetOwner(conn, channel_id, *removal.after->owner_id); !r) return r.error();
    }
    return removal;
  });
}

Result<domain::Channel> SqliteStore::UpdateGroupDm(domain::Snowflake channel_id,
                                                   const GroupDmUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Channel> {
    auto channel = LoadChannel(conn, channel_id);
    if (!channel) return channel.error();
    if (auto r = CheckGroupDmActor(*channel, update.actor); !r) return r.error();
    if (update.owner_id) {
      if (auto r = CheckNewOwner(*channel, *update.owner_id, update.actor); !r) return r.error();
      if (auto r = SetOwner(conn, channel_id, *update.owner_id); !r) return r.error();
    }
    if (update.name) {
      auto stmt = conn.Prepare("UPDATE channels SET name = ?2 WHERE id = ?1");
      if (!stmt) return stmt.error();
      stmt->BindId(1, channel_id).BindText(2, *update.name);
      if (auto r = stmt->Run(); !r) return r.error();
    }
    if (update.icon) {
      auto stmt = conn.Prepare(
          "UPDATE channels SET icon_hash = ?2, icon_type = ?3, icon_data = ?4 WHERE id = ?1");
      if (!stmt) return stmt.error();
      stmt->BindId(1, channel_id);
      if (const auto& icon = *update.icon) {
        stmt->BindText(2, icon->hash).BindText(3, icon->content_type).BindText(4, icon->base64);
      } else {
        stmt->BindNull(2).BindNull(3).BindNull(4);
      }
      if (auto r = stmt->Run(); !r) return r.error();
    }
    return LoadChannel(conn, channel_id);
  });
}

Result<domain::StoredImage> SqliteStore::GetChannelIcon(domain::Snowflake channel_id) {
  return Read([&](Connection& conn) -> Result<domain::StoredImage> {
    auto stmt = conn.Prepare(
        "SELECT icon_hash, icon_type, icon_data FROM channels "
        "WHERE id = ?1 AND icon_hash IS NOT NULL");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownChannel();
    return domain::StoredImage{stmt->Text(0), stmt->Text(1), stmt->Text(2)};
  });
}

}  // namespace chat::store::sqlite
