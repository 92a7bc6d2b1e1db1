// WebhookStore over PostgreSQL.
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kWebhookColumns =
    "id, server_id, channel_id, creator_id, name, avatar, token, type, source_channel_id";

domain::Webhook ReadWebhook(const Row& r) {
  return domain::Webhook{r.Id(0),   r.Id(1),      r.Id(2),   r.Id(3),
                         r.Text(4), r.OptText(5), r.Text(6), static_cast<int>(r.Int(7)),
                         r.OptId(8)};
}

Result<std::vector<domain::Webhook>> ReadAll(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<domain::Webhook> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) out.push_back(ReadWebhook((*rows)[i]));
  return out;
}

Result<std::vector<domain::Webhook>> ListWhere(Connection& conn, std::string_view where,
                                               domain::Snowflake id) {
  return ReadAll(conn.Query("SELECT " + std::string(kWebhookColumns) + " FROM webhooks " +
                                std::string(where) + " ORDER BY id",
                            Params().Id(id)));
}

}  // namespace

Result<bool> PostgresStore::CreateWebhook(const domain::Webhook& w, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    // The channel row's lock orders concurrent creations: each counts what the one before stored.
    auto channel = conn.Query("SELECT 1 FROM channels WHERE id = $1 AND server_id = $2 FOR UPDATE",
                              Params().Id(w.channel_id).Id(w.guild_id));
    if (!channel) return channel.error();
    if (channel->size() == 0) return UnknownChannel();
    auto found = conn.Query(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1), "
        "(SELECT count(*) FROM webhooks WHERE channel_id = $2)",
        Params().Id(w.creator_id).Id(w.channel_id));
    if (!found) return found.error();
    if (!(*found)[0].Bool(0)) return UnknownUser();
    if (static_cast<std::size_t>((*found)[0].Int(1)) >= max) return false;
    auto rows = conn.Query(
        "INSERT INTO webhooks (id, server_id, channel_id, creator_id, name, avatar, token, type, "
        "source_channel_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Params()
            .Id(w.id)
            .Id(w.guild_id)
            .Id(w.channel_id)
            .Id(w.creator_id)
            .Text(w.name)
            .OptText(w.avatar)
            .Text(w.token)
            .Int(w.type)
            .OptId(w.source_channel_id));
    if (!rows) return rows.error();
    return true;
  });
}

Result<domain::Webhook> PostgresStore::GetWebhook(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<domain::Webhook> {
    auto found = ListWhere(conn, "WHERE id = $1", id);
    if (!found) return found.error();
    if (found->empty()) return UnknownWebhook();
    return std::move(found->front());
  });
}

Result<std::vector<domain::Webhook>> PostgresStore::ListChannelWebhooks(
    domain::Snowflake channel_id) {
  return Auto(
      [&](Connection& conn) { return ListWhere(conn, "WHERE channel_id = $1", channel_id); });
}

Result<std::vector<domain::Webhook>> PostgresStore::ListChannelFollowers(
    domain::Snowflake source_channel_id) {
  return Auto([&](Connection& conn) {
    return ListWhere(conn, "WHERE source_channel_id = $1 AND type = 2", source_channel_id);
  });
}

Result<std::vector<domain::Webhook>> PostgresStore::ListGuildWebhooks(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) { return ListWhere(conn, "WHERE server_id = $1", guild_id); });
}

Result<domain::Webhook> PostgresStore::UpdateWebhook(domain::Snowflake id,
                                                     const WebhookUpdate& update) {
  return Auto([&](Connection& conn) -> Result<domain::Webhook> {
    Params params;
    params.Id(id);
    PatchText(params, update.name);
    PatchText(params, update.avatar);
    PatchInt(params, update.channel_id);
    auto rows = ReadAll(conn.Query(
        "UPDATE webhooks SET name = CASE WHEN $2 THEN $3 ELSE name END, "
        "avatar = CASE WHEN $4 THEN $5 ELSE avatar END, "
        "channel_id = CASE WHEN $6 THEN $7 ELSE channel_id END WHERE id = $1 RETURNING " +
            std::string(kWebhookColumns),
        params));
    if (!rows) return rows.error();
    if (rows->empty()) return UnknownWebhook();
    return std::move(rows->front());
  });
}

Result<void> PostgresStore::DeleteWebhook(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM webhooks WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownWebhook();
    return {};
  });
}

}  // namespace chat::store::postgres
