// StageInstanceStore over SQLite.
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"
#include "store/stage_instance_store.hpp"

namespace chat::store::sqlite {

namespace {

using domain::StageInstance;

constexpr std::string_view kSelectStage =
    "SELECT id, server_id, channel_id, topic, scheduled_event_id FROM stage_instances ";

StageInstance ReadStage(const Statement& s) {
  return {s.Id(0), s.Id(1), s.Id(2), s.Text(3), s.IsNull(4) ? 0 : s.Id(4)};
}

Result<StageInstance> LoadStage(Connection& conn, domain::Snowflake channel_id) {
  auto stmt = conn.Prepare(std::string(kSelectStage) + "WHERE channel_id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, channel_id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownStageInstance();
  return ReadStage(*stmt);
}

}  // namespace

Result<void> SqliteStore::CreateStageInstance(const StageInstance& s) {
  return Write([&](Connection& conn) -> Result<void> {
    auto channel = conn.Prepare("SELECT 1 FROM channels WHERE id = ?1 AND server_id = ?2");
    if (!channel) return channel.error();
    channel->BindId(1, s.channel_id).BindId(2, s.guild_id);
    auto found = channel->Step();
    if (!found) return found.error();
    if (!*found) return UnknownChannel();
    auto open = LoadStage(conn, s.channel_id);
    if (open) return StageAlreadyOpen();
    if (open.error().code != Errc::kNotFound) return open.error();
    auto stmt = conn.Prepare(
        "INSERT INTO stage_instances (id, server_id, channel_id, topic, scheduled_event_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, s.id).BindId(2, s.guild_id).BindId(3, s.channel_id).BindText(4, s.topic);
    if (s.scheduled_event_id != 0) {
      stmt->BindId(5, s.scheduled_event_id);
    } else {
      stmt->BindNull(5);
    }
    return stmt->Run();
  });
}

Result<StageInstance> SqliteStore::GetStageInstance(domain::Snowflake channel_id) {
  return Read([&](Connection& conn) { return LoadStage(conn, channel_id); });
}

Result<std::vector<StageInstance>> SqliteStore::ListStageInstances(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<StageInstance>> {
    auto stmt = conn.Prepare(std::string(kSelectStage) + "WHERE server_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    std::vector<StageInstance> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadStage(*stmt));
    }
  });
}

Result<StageInstance> SqliteStore::UpdateStageInstance(domain::Snowflake channel_id,
                                                       const std::string& topic) {
  return Write([&](Connection& conn) -> Result<StageInstance> {
    auto stmt = conn.Prepare("UPDATE stage_instances SET topic = ?2 WHERE channel_id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id).BindText(2, topic);
    if (auto r = stmt->Run(); !r) return r.error();
    return LoadStage(conn, channel_id);
  });
}

Result<StageInstance> SqliteStore::DeleteStageInstance(domain::Snowflake channel_id) {
  return Write([&](Connection& conn) -> Result<StageInstance> {
    auto before = LoadStage(conn, channel_id);
    if (!before) return before.error();
    auto stmt = conn.Prepare("DELETE FROM stage_instances WHERE channel_id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return before;
  });
}

}  // namespace chat::store::sqlite
