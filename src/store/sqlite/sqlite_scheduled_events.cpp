// ScheduledEventStore over SQLite.
#include "store/errors.hpp"
#include "store/scheduled_event_store.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

using domain::ScheduledEvent;

constexpr std::string_view kSelectEvent =
    "SELECT id, server_id, channel_id, creator_id, name, description, start_ms, end_ms, status, "
    "entity_type, location, image_hash FROM scheduled_events ";

ScheduledEvent ReadEvent(const Statement& s) {
  ScheduledEvent e;
  e.id = s.Id(0);
  e.guild_id = s.Id(1);
  e.channel_id = s.IsNull(2) ? 0 : s.Id(2);
  e.creator_id = s.Id(3);
  e.name = s.Text(4);
  e.description = s.IsNull(5) ? "" : s.Text(5);
  e.start_ms = s.Int(6);
  e.end_ms = s.IsNull(7) ? 0 : s.Int(7);
  e.status = static_cast<domain::EventStatus>(s.Int(8));
  e.entity_type = static_cast<domain::EventEntityType>(s.Int(9));
  e.location = s.IsNull(10) ? "" : s.Text(10);
  e.image_hash = s.IsNull(11) ? "" : s.Text(11);
  return e;
}

// Binds ?2…?10 from the event: the columns an update writes, in the insert's order.
void BindFields(Statement& s, const ScheduledEvent& e) {
  if (e.channel_id != 0) {
    s.BindId(2, e.channel_id);
  } else {
    s.BindNull(2);
  }
  s.BindText(3, e.name);
  if (e.description.empty()) {
    s.BindNull(4);
  } else {
    s.BindText(4, e.description);
  }
  s.BindInt(5, e.start_ms);
  if (e.end_ms != 0) {
    s.BindInt(6, e.end_ms);
  } else {
    s.BindNull(6);
  }
  s.BindInt(7, static_cast<int>(e.status)).BindInt(8, static_cast<int>(e.entity_type));
  if (e.location.empty()) {
    s.BindNull(9);
  } else {
    s.BindText(9, e.location);
  }
}

// Binds the cover columns at `first`…`first + 3`: whether to write them, then hash, type, data.
void BindCover(Statement& s, int first, const ScheduledEventStore::CoverWrite* cover) {
  const bool set = cover && *cover;
  s.BindBool(first, cover != nullptr)
      .BindOptText(first + 1, set ? std::optional((*cover)->hash) : std::nullopt)
      .BindOptText(first + 2, set ? std::optional((*cover)->content_type) : std::nullopt)
      .BindOptText(first + 3, set ? std::optional((*cover)->base64) : std::nullopt);
}

Result<std::vector<ScheduledEvent>> ReadEvents(Statement& stmt) {
  std::vector<ScheduledEvent> out;
  for (;;) {
    auto row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(ReadEvent(stmt));
  }
}

Result<ScheduledEvent> LoadEvent(Connection& conn, domain::Snowflake id) {
  auto stmt = conn.Prepare(std::string(kSelectEvent) + "WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  auto found = ReadEvents(*stmt);
  if (!found) return found.error();
  if (found->empty()) return UnknownScheduledEvent();
  return std::move(found->front());
}

Result<bool> EventExists(Connection& conn, domain::Snowflake id) {
  auto stmt = conn.Prepare("SELECT 1 FROM scheduled_events WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  return stmt->Step();
}

}  // namespace

Result<bool> SqliteStore::CreateScheduledEvent(const ScheduledEvent& e, std::size_t max,
                                               const CoverWrite* cover) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto guild = GuildExists(conn, e.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    if (e.channel_id != 0) {
      auto channel = conn.Prepare("SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2");
      if (!channel) return channel.error();
      channel->BindId(1, e.channel_id).BindId(2, e.guild_id);
      auto row = channel->Step();
      if (!row) return row.error();
      if (!*row) return UnknownChannel();
    }
    // One writer: the count and the insert cannot interleave with another creation.
    auto count = conn.Prepare(
        "SELECT count(*) FROM scheduled_events WHERE server_id = ?1 AND status IN (1, 2)");
    if (!count) return count.error();
    count->BindId(1, e.guild_id);
    auto row = count->Step();
    if (!row) return row.error();
    if (static_cast<std::size_t>(count->Int(0)) >= max) return false;
    auto stmt = conn.Prepare(
        "INSERT INTO scheduled_events (channel_id, name, description, start_ms, end_ms, status, "
        "entity_type, location, id, server_id, creator_id, image_hash, image_type, image_data) "
        "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?1, ?10, ?11, CASE WHEN ?12 THEN ?13 END, ?14, "
        "?15)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, e.id);
    BindFields(*stmt, e);
    stmt->BindId(10, e.guild_id).BindId(11, e.creator_id);
    BindCover(*stmt, 12, cover);
    if (auto r = stmt->Run(); !r) return r.error();
    return true;
  });
}

Result<domain::EventCover> SqliteStore::GetScheduledEventCover(domain::Snowflake id) {
  return Read([&](Connection& conn) -> Result<domain::EventCover> {
    auto stmt = conn.Prepare(
        "SELECT image_hash, image_type, image_data FROM scheduled_events "
        "WHERE id = ?1 AND image_hash IS NOT NULL");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownScheduledEvent();
    return domain::EventCover{stmt->Text(0), stmt->Text(1), stmt->Text(2)};
  });
}

Result<ScheduledEvent> SqliteStore::GetScheduledEvent(domain::Snowflake id) {
  return Read([&](Connection& conn) { return LoadEvent(conn, id); });
}

Result<std::vector<ScheduledEvent>> SqliteStore::ListScheduledEvents(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<ScheduledEvent>> {
    auto stmt = conn.Prepare(std::string(kSelectEvent) + "WHERE server_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    return ReadEvents(*stmt);
  });
}

Result<bool> SqliteStore::UpdateScheduledEvent(const ScheduledEvent& e,
                                               domain::EventStatus expected_status,
                                               const CoverWrite* cover) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt = conn.Prepare(
        "UPDATE scheduled_events SET channel_id = ?2, name = ?3, description = ?4, start_ms = ?5, "
        "end_ms = ?6, status = ?7, entity_type = ?8, location = ?9, "
        "image_hash = CASE WHEN ?11 THEN ?12 ELSE image_hash END, "
        "image_type = CASE WHEN ?11 THEN ?13 ELSE image_type END, "
        "image_data = CASE WHEN ?11 THEN ?14 ELSE image_data END "
        "WHERE id = ?1 AND status = ?10");
    if (!stmt) return stmt.error();
    stmt->BindId(1, e.id);
    BindFields(*stmt, e);
    stmt->BindInt(10, static_cast<int>(expected_status));
    BindCover(*stmt, 11, cover);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() > 0) return true;
    auto exists = EventExists(conn, e.id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownScheduledEvent();
    return false;
  });
}

Result<bool> SqliteStore::SetScheduledEventStatus(domain::Snowflake id, domain::EventStatus from,
                                                  domain::EventStatus to) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt =
        conn.Prepare("UPDATE scheduled_events SET status = ?3 WHERE id = ?1 AND status = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id).BindInt(2, static_cast<int>(from)).BindInt(3, static_cast<int>(to));
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() > 0;
  });
}

Result<void> SqliteStore::DeleteScheduledEvent(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM scheduled_events WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownScheduledEvent();
    return {};
  });
}

Result<std::vector<ScheduledEvent>> SqliteStore::ListScheduledEventsDue(std::int64_t now_ms,
                                                                        std::size_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<ScheduledEvent>> {
    // domain::DueStatus, as a condition.
    auto stmt = conn.Prepare(std::string(kSelectEvent) +
                             "WHERE (status = 1 AND entity_type = 3 AND start_ms <= ?1) "
                             "OR (status = 2 AND entity_type = 3 AND end_ms <= ?1) "
                             "OR (status = 1 AND start_ms <= ?2) "
                             "ORDER BY start_ms, id LIMIT ?3");
    if (!stmt) return stmt.error();
    stmt->BindInt(1, now_ms).BindInt(2, now_ms - domain::kUnstartedEventGraceMs);
    stmt->BindInt(3, static_cast<std::int64_t>(limit));
    return ReadEvents(*stmt);
  });
}

Result<bool> SqliteStore::AddScheduledEventUser(domain::Snowflake event_id,
                                                domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto exists = EventExists(conn, event_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownScheduledEvent();
    auto stmt = conn.Prepare(
        "INSERT INTO scheduled_event_users (event_id, user_id) VALUES (?1, ?2) "
        "ON CONFLICT DO NOTHING");
    if (!stmt) return stmt.error();
    stmt->BindId(1, event_id).BindId(2, user_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() > 0;
  });
}

Result<bool> SqliteStore::RemoveScheduledEventUser(domain::Snowflake event_id,
                                                   domain::Snowflake user_id) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto exists = EventExists(conn, event_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownScheduledEvent();
    auto stmt =
        conn.Prepare("DELETE FROM scheduled_event_users WHERE event_id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, event_id).BindId(2, user_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() > 0;
  });
}

Result<std::vector<domain::Snowflake>> SqliteStore::ListScheduledEventUsers(
    domain::Snowflake event_id, domain::Snowflake before, domain::Snowflake after,
    std::size_t limit) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    constexpr std::string_view kMembers =
        "SELECT u.user_id FROM scheduled_event_users u "
        "JOIN scheduled_events e ON e.id = u.event_id "
        "JOIN server_members m ON m.server_id = e.server_id AND m.user_id = u.user_id "
        "WHERE u.event_id = ?1 ";
    const std::string sql =
        before != 0 ? "SELECT user_id FROM (" + std::string(kMembers) +
                          "AND u.user_id < ?2 ORDER BY u.user_id DESC LIMIT ?3) ORDER BY user_id"
                    : std::string(kMembers) + "AND u.user_id > ?2 ORDER BY u.user_id LIMIT ?3";
    auto stmt = conn.Prepare(sql);
    if (!stmt) return stmt.error();
    stmt->BindId(1, event_id).BindId(2, before != 0 ? before : after);
    stmt->BindInt(3, static_cast<std::int64_t>(limit));
    std::vector<domain::Snowflake> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(stmt->Id(0));
    }
  });
}

Result<std::vector<std::int64_t>> SqliteStore::CountScheduledEventUsers(
    const std::vector<domain::Snowflake>& event_ids) {
  return Read([&](Connection& conn) -> Result<std::vector<std::int64_t>> {
    constexpr std::string_view kCount =
        "SELECT count(*) FROM scheduled_event_users u "
        "JOIN scheduled_events e ON e.id = u.event_id "
        "JOIN server_members m ON m.server_id = e.server_id AND m.user_id = u.user_id "
        "WHERE u.event_id = ?1";
    std::vector<std::int64_t> out;
    out.reserve(event_ids.size());
    for (auto id : event_ids) {
      auto stmt = conn.Prepare(kCount);  // cached: one preparation for the whole list
      if (!stmt) return stmt.error();
      stmt->BindId(1, id);
      auto row = stmt->Step();
      if (!row) return row.error();
      out.push_back(*row ? stmt->Int(0) : 0);
    }
    return out;
  });
}

}  // namespace chat::store::sqlite
