// WebhookStore over SQLite.
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectWebhook =
    "SELECT id, server_id, channel_id, creator_id, name, avatar, token, type, source_channel_id "
    "FROM webhooks ";

domain::Webhook ReadWebhook(const Statement& s) {
  return domain::Webhook{s.Id(0),   s.Id(1),      s.Id(2),   s.Id(3),
                         s.Text(4), s.OptText(5), s.Text(6), static_cast<int>(s.Int(7)),
                         s.OptId(8)};
}

Result<std::vector<domain::Webhook>> ListWhere(Connection& conn, std::string_view where,
                                               domain::Snowflake id) {
  auto stmt = conn.Prepare(std::string(kSelectWebhook) + std::string(where) + " ORDER BY id");
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  std::vector<domain::Webhook> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(ReadWebhook(*stmt));
  }
}

Result<domain::Webhook> GetOne(Connection& conn, domain::Snowflake id) {
  auto found = ListWhere(conn, "WHERE id = ?1", id);
  if (!found) return found.error();
  if (found->empty()) return UnknownWebhook();
  return std::move(found->front());
}

}  // namespace

Result<bool> SqliteStore::CreateWebhook(const domain::Webhook& w, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto channel = RowExists(conn, "SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2",
                             w.channel_id, w.guild_id);
    if (!channel) return channel.error();
    if (!*channel) return UnknownChannel();
    auto user = UserExists(conn, w.creator_id);
    if (!user) return user.error();
    if (!*user) return UnknownUser();
    // One writer: the count and the insert cannot interleave with another creation.
    auto count = conn.Prepare("SELECT count(*) FROM webhooks WHERE channel_id = ?1");
    if (!count) return count.error();
    count->BindId(1, w.channel_id);
    auto row = count->Step();
    if (!row) return row.error();
    if (static_cast<std::size_t>(count->Int(0)) >= max) return false;
    auto stmt = conn.Prepare(
        "INSERT INTO webhooks (id, server_id, channel_id, creator_id, name, avatar, token, type, "
        "source_channel_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, w.id)
        .BindId(2, w.guild_id)
        .BindId(3, w.channel_id)
        .BindId(4, w.creator_id)
        .BindText(5, w.name)
        .BindOptText(6, w.avatar)
        .BindText(7, w.token)
        .BindInt(8, w.type)
        .BindOptId(9, w.source_channel_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return true;
  });
}

Result<domain::Webhook> SqliteStore::GetWebhook(domain::Snowflake id) {
  return Read([&](Connection& conn) { return GetOne(conn, id); });
}

Result<std::vector<domain::Webhook>> SqliteStore::ListChannelWebhooks(
    domain::Snowflake channel_id) {
  return Read(
      [&](Connection& conn) { return ListWhere(conn, "WHERE channel_id = ?1", channel_id); });
}

Result<std::vector<domain::Webhook>> SqliteStore::ListGuildWebhooks(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) { return ListWhere(conn, "WHERE server_id = ?1", guild_id); });
}

Result<std::vector<domain::Webhook>> SqliteStore::ListChannelFollowers(
    domain::Snowflake source_channel_id) {
  return Read([&](Connection& conn) {
    return ListWhere(conn, "WHERE source_channel_id = ?1 AND type = 2", source_channel_id);
  });
}

Result<domain::Webhook> SqliteStore::UpdateWebhook(domain::Snowflake id,
                                                   const WebhookUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Webhook> {
    auto stmt = conn.Prepare(
        "UPDATE webhooks SET name = CASE WHEN ?2 THEN ?3 ELSE name END, "
        "avatar = CASE WHEN ?4 THEN ?5 ELSE avatar END, "
        "channel_id = CASE WHEN ?6 THEN ?7 ELSE channel_id END WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    BindPatchText(*stmt, 2, update.name);
    BindPatchText(*stmt, 4, update.avatar);
    BindPatchId(*stmt, 6, update.channel_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return GetOne(conn, id);
  });
}

Result<void> SqliteStore::DeleteWebhook(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM webhooks WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownWebhook();
    return {};
  });
}

}  // namespace chat::store::sqlite
