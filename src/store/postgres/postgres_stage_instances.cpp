// StageInstanceStore over PostgreSQL.
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"
#include "store/stage_instance_store.hpp"

namespace chat::store::postgres {

namespace {

using domain::StageInstance;

constexpr std::string_view kStageColumns = "id, server_id, channel_id, topic, scheduled_event_id";

Result<std::vector<StageInstance>> ReadStages(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<StageInstance> out;
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back({r.Id(0), r.Id(1), r.Id(2), r.Text(3), r.IsNull(4) ? 0 : r.Id(4)});
  }
  return out;
}

Result<StageInstance> First(Result<std::vector<StageInstance>> found) {
  if (!found) return found.error();
  if (found->empty()) return UnknownStageInstance();
  return std::move(found->front());
}

}  // namespace

Result<void> PostgresStore::CreateStageInstance(const StageInstance& s) {
  return Write([&](Connection& conn) -> Result<void> {
    // The channel row's lock orders two stages started at once: the second sees the first.
    auto channel =
        conn.Query("SELECT 1 FROM channels WHERE id = $1 AND server_id = $2 FOR NO KEY UPDATE",
                   Params().Id(s.channel_id).Id(s.guild_id));
    if (!channel) return channel.error();
    if (channel->size() == 0) return UnknownChannel();
    auto open = conn.Query("SELECT 1 FROM stage_instances WHERE channel_id = $1",
                           Params().Id(s.channel_id));
    if (!open) return open.error();
    if (open->size() > 0) return StageAlreadyOpen();
    Params p;
    p.Id(s.id).Id(s.guild_id).Id(s.channel_id).Text(s.topic);
    if (s.scheduled_event_id != 0) {
      p.Id(s.scheduled_event_id);
    } else {
      p.Null();
    }
    auto rows = conn.Query(
        "INSERT INTO stage_instances (id, server_id, channel_id, topic, scheduled_event_id) "
        "VALUES ($1, $2, $3, $4, $5)",
        p);
    if (!rows) return rows.error();
    return {};
  });
}

Result<StageInstance> PostgresStore::GetStageInstance(domain::Snowflake channel_id) {
  return Auto([&](Connection& conn) {
    return First(ReadStages(conn.Query(
        "SELECT " + std::string(kStageColumns) + " FROM stage_instances WHERE channel_id = $1",
        Params().Id(channel_id))));
  });
}

Result<std::vector<StageInstance>> PostgresStore::ListStageInstances(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return ReadStages(conn.Query("SELECT " + std::string(kStageColumns) +
                                     " FROM stage_instances WHERE server_id = $1 ORDER BY id",
                                 Params().Id(guild_id)));
  });
}

Result<StageInstance> PostgresStore::UpdateStageInstance(domain::Snowflake channel_id,
                                                         const std::string& topic) {
  return Auto([&](Connection& conn) {
    return First(
        ReadStages(conn.Query("UPDATE stage_instances SET topic = $2 WHERE channel_id = $1 "
                              "RETURNING " +
                                  std::string(kStageColumns),
                              Params().Id(channel_id).Text(topic))));
  });
}

Result<StageInstance> PostgresStore::DeleteStageInstance(domain::Snowflake channel_id) {
  return Auto([&](Connection& conn) {
    return First(ReadStages(conn.Query(
        "DELETE FROM stage_instances WHERE channel_id = $1 RETURNING " + std::string(kStageColumns),
        Params().Id(channel_id))));
  });
}

}  // namespace chat::store::postgres
