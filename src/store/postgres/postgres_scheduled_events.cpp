// ScheduledEventStore over PostgreSQL.
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"
#include "store/scheduled_event_store.hpp"

namespace chat::store::postgres {

namespace {

using domain::ScheduledEvent;

constexpr std::string_view kEventColumns =
    "id, server_id, channel_id, creator_id, name, description, start_ms, end_ms, status, "
    "entity_type, location, image_hash";

Result<std::vector<ScheduledEvent>> ReadEvents(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<ScheduledEvent> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    ScheduledEvent e;
    e.id = r.Id(0);
    e.guild_id = r.Id(1);
    e.channel_id = r.IsNull(2) ? 0 : r.Id(2);
    e.creator_id = r.Id(3);
    e.name = r.Text(4);
    e.description = r.IsNull(5) ? "" : r.Text(5);
    e.start_ms = r.Int(6);
    e.end_ms = r.IsNull(7) ? 0 : r.Int(7);
    e.status = static_cast<domain::EventStatus>(r.Int(8));
    e.entity_type = static_cast<domain::EventEntityType>(r.Int(9));
    e.location = r.IsNull(10) ? "" : r.Text(10);
    e.image_hash = r.IsNull(11) ? "" : r.Text(11);
    out.push_back(std::move(e));
  }
  return out;
}

std::string Select(std::string_view where) {
  return "SELECT " + std::string(kEventColumns) + " FROM scheduled_events " + std::string(where);
}

// $1 the id, then $2…$9: the columns an update writes, in the insert's order.
Params EventParams(const ScheduledEvent& e) {
  Params p;
  p.Id(e.id);
  if (e.channel_id != 0) {
    p.Id(e.channel_id);
  } else {
    p.Null();
  }
  p.Text(e.name);
  if (e.description.empty()) {
    p.Null();
  } else {
    p.Text(e.description);
  }
  p.Int(e.start_ms);
  if (e.end_ms != 0) {
    p.Int(e.end_ms);
  } else {
    p.Null();
  }
  p.Int(static_cast<int>(e.status)).Int(static_cast<int>(e.entity_type));
  if (e.location.empty()) {
    p.Null();
  } else {
    p.Text(e.location);
  }
  return p;
}

// Appends the cover parameters: whether to write them, then hash, type, data.
void AddCover(Params& p, const ScheduledEventStore::CoverWrite* cover) {
  const bool set = cover && *cover;
  p.Bool(cover != nullptr)
      .OptText(set ? std::optional((*cover)->hash) : std::nullopt)
      .OptText(set ? std::optional((*cover)->content_type) : std::nullopt)
      .OptText(set ? std::optional((*cover)->base64) : std::nullopt);
}

Result<ScheduledEvent> LoadEvent(Connection& conn, domain::Snowflake id) {
  auto found = ReadEvents(conn.Query(Select("WHERE id = $1"), Params().Id(id)));
  if (!found) return found.error();
  if (found->empty()) return UnknownScheduledEvent();
  return std::move(found->front());
}

// Locks the event's row against deletion for the rest of the transaction; false when absent.
Result<bool> LockEvent(Connection& conn, domain::Snowflake id) {
  auto rows =
      conn.Query("SELECT 1 FROM scheduled_events WHERE id = $1 FOR KEY SHARE", Params().Id(id));
  if (!rows) return rows.error();
  return rows->size() > 0;
}

constexpr std::string_view kSubscribers =
    "FROM scheduled_event_users u JOIN scheduled_events e ON e.id = u.event_id "
    "JOIN server_members m ON m.server_id = e.server_id AND m.user_id = u.user_id "
    "WHERE u.event_id = $1 ";

}  // namespace

Result<bool> PostgresStore::CreateScheduledEvent(const ScheduledEvent& e, std::size_t max,
                                                 const CoverWrite* cover) {
  return Write([&](Connection& conn) -> Result<bool> {
    // The guild row's lock orders concurrent creations: each counts what the one before stored.
    auto guild = conn.Query("SELECT 1 FROM servers WHERE id = $1 FOR NO KEY UPDATE",
                            Params().Id(e.guild_id));
    if (!guild) return guild.error();
    if (guild->size() == 0) return UnknownGuild();
    if (e.channel_id != 0) {
      auto channel =
          conn.Query("SELECT 1 FROM channels WHERE id = $1 AND server_id = $2 FOR KEY SHARE",
                     Params().Id(e.channel_id).Id(e.guild_id));
      if (!channel) return channel.error();
      if (channel->size() == 0) return UnknownChannel();
    }
    auto count = conn.Query(
        "SELECT count(*) FROM scheduled_events WHERE server_id = $1 AND status IN (1, 2)",
        Params().Id(e.guild_id));
    if (!count) return count.error();
    if (static_cast<std::size_t>((*count)[0].Int(0)) >= max) return false;
    auto rows = conn.Query(
        "INSERT INTO scheduled_events (id, channel_id, name, description, start_ms, end_ms, "
        "status, entity_type, location, server_id, creator_id, image_hash, image_type, "
        "image_data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "CASE WHEN $12 THEN $13 END, $14, $15)",
        [&] {
          Params p = EventParams(e);
          p.Id(e.guild_id).Id(e.creator_id);
          AddCover(p, cover);
          return p;
        }());
    if (!rows) return rows.error();
    return true;
  });
}

Result<domain::EventCover> PostgresStore::GetScheduledEventCover(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<domain::EventCover> {
    auto rows = conn.Query(
        "SELECT image_hash, image_type, image_data FROM scheduled_events "
        "WHERE id = $1 AND image_hash IS NOT NULL",
        Params().Id(id));
    if (!rows) return rows.error();
    if (rows->size() == 0) return UnknownScheduledEvent();
    const Row r = (*rows)[0];
    return domain::EventCover{r.Text(0), r.Text(1), r.Text(2)};
  });
}

Result<ScheduledEvent> PostgresStore::GetScheduledEvent(domain::Snowflake id) {
  return Auto([&](Connection& conn) { return LoadEvent(conn, id); });
}

Result<std::vector<ScheduledEvent>> PostgresStore::ListScheduledEvents(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return ReadEvents(
        conn.Query(Select("WHERE server_id = $1 ORDER BY id"), Params().Id(guild_id)));
  });
}

Result<bool> PostgresStore::UpdateScheduledEvent(const ScheduledEvent& e,
                                                 domain::EventStatus expected_status,
                                                 const CoverWrite* cover) {
  return Write([&](Connection& conn) -> Result<bool> {
    Params params = EventParams(e);
    params.Int(static_cast<int>(expected_status));
    AddCover(params, cover);
    auto rows = conn.Query(
        "UPDATE scheduled_events SET channel_id = $2, name = $3, description = $4, "
        "start_ms = $5, end_ms = $6, status = $7, entity_type = $8, location = $9, "
        "image_hash = CASE WHEN $11 THEN $12 ELSE image_hash END, "
        "image_type = CASE WHEN $11 THEN $13 ELSE image_type END, "
        "image_data = CASE WHEN $11 THEN $14 ELSE image_data END "
        "WHERE id = $1 AND status = $10",
        params);
    if (!rows) return rows.error();
    if (rows->Affected() > 0) return true;
    auto exists = conn.Query("SELECT 1 FROM scheduled_events WHERE id = $1", Params().Id(e.id));
    if (!exists) return exists.error();
    if (exists->size() == 0) return UnknownScheduledEvent();
    return false;
  });
}

Result<bool> PostgresStore::SetScheduledEventStatus(domain::Snowflake id, domain::EventStatus from,
                                                    domain::EventStatus to) {
  return Auto([&](Connection& conn) -> Result<bool> {
    auto rows = conn.Query("UPDATE scheduled_events SET status = $3 WHERE id = $1 AND status = $2",
                           Params().Id(id).Int(static_cast<int>(from)).Int(static_cast<int>(to)));
    if (!rows) return rows.error();
    return rows->Affected() > 0;
  });
}

Result<void> PostgresStore::DeleteScheduledEvent(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM scheduled_events WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownScheduledEvent();
    return {};
  });
}

Result<std::vector<ScheduledEvent>> PostgresStore::ListScheduledEventsDue(std::int64_t now_ms,
                                                                          std::size_t limit) {
  return Auto([&](Connection& conn) {
    // domain::DueStatus, as a condition.
    return ReadEvents(conn.Query(Select("WHERE (status = 1 AND entity_type = 3 AND start_ms <= $1) "
                                        "OR (status = 2 AND entity_type = 3 AND end_ms <= $1) "
                                        "OR (status = 1 AND start_ms <= $2) "
                                        "ORDER BY start_ms, id LIMIT $3"),
                                 Params()
                                     .Int(now_ms)
                                     .Int(now_ms - domain::kUnstartedEventGraceMs)
                                     .Int(static_cast<std::int64_t>(limit))));
  });
}

Result<bool> PostgresStore::AddScheduledEventUser(domain::Snowflake event_id,
                                                  domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto exists = LockEvent(conn, event_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownScheduledEvent();
    auto rows = conn.Query(
        "INSERT INTO scheduled_event_users (event_id, user_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        Params().Id(event_id).Id(user_id));
    if (!rows) return rows.error();
    return rows->Affected() > 0;
  });
}

Result<bool> PostgresStore::RemoveScheduledEventUser(domain::Snowflake event_id,
                                                     domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto exists = LockEvent(conn, event_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownScheduledEvent();
    auto rows = conn.Query("DELETE FROM scheduled_event_users WHERE event_id = $1 AND user_id = $2",
                           Params().Id(event_id).Id(user_id));
    if (!rows) return rows.error();
    return rows->Affected() > 0;
  });
}

Result<std::vector<domain::Snowflake>> PostgresStore::ListScheduledEventUsers(
    domain::Snowflake event_id, domain::Snowflake before, domain::Snowflake after,
    std::size_t limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    const std::string sql =
        before != 0 ? "SELECT user_id FROM (SELECT u.user_id " + std::string(kSubscribers) +
                          "AND u.user_id < $2 ORDER BY u.user_id DESC LIMIT $3) s ORDER BY user_id"
                    : "SELECT u.user_id " + std::string(kSubscribers) +
                          "AND u.user_id > $2 ORDER BY u.user_id LIMIT $3";
    auto rows = conn.Query(sql, Params()
                                    .Id(event_id)
                                    .Id(before != 0 ? before : after)
                                    .Int(static_cast<std::int64_t>(limit)));
    if (!rows) return rows.error();
    std::vector<domain::Snowflake> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back((*rows)[i].Id(0));
    return out;
  });
}

Result<std::vector<std::int64_t>> PostgresStore::CountScheduledEventUsers(
    const std::vector<domain::Snowflake>& event_ids) {
  return Auto([&](Connection& conn) -> Result<std::vector<std::int64_t>> {
    // One round trip for the whole list (with_user_count on up to 100 events).
    auto rows = conn.Query(
        "SELECT u.event_id, count(*) FROM scheduled_event_users u "
        "JOIN scheduled_events e ON e.id = u.event_id "
        "JOIN server_members m ON m.server_id = e.server_id AND m.user_id = u.user_id "
        "WHERE u.event_id = ANY($1::bigint[]) GROUP BY u.event_id",
        Params().IdArray(event_ids));
    if (!rows) return rows.error();
    std::vector<std::int64_t> out(event_ids.size(), 0);
    for (int i = 0; i < rows->size(); ++i) {
      const auto id = (*rows)[i].Id(0);
      for (std::size_t k = 0; k < event_ids.size(); ++k) {
        if (event_ids[k] == id) out[k] = (*rows)[i].Int(1);
      }
    }
    return out;
  });
}

}  // namespace chat::store::postgres
