// InteractionStore over PostgreSQL.
#include "store/errors.hpp"
#include "store/interaction_store.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

Result<void> PostgresStore::CreateInteraction(const Interaction& i, std::int64_t forget_before_ms) {
  return Write([&](Connection& conn) -> Result<void> {
    auto old = conn.Query("DELETE FROM interactions WHERE created_at < $1",
                          Params().Int(forget_before_ms));
    if (!old) return old.error();
    auto rows = conn.Query(
        "INSERT INTO interactions (id, application_id, token_hash, user_id, guild_id, channel_id, "
        "command_name, created_at, command_type, type, message_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        Params()
            .Id(i.id)
            .Id(i.application_id)
            .Text(i.token_hash)
            .Id(i.user_id)
            .OptId(i.guild_id)
            .Id(i.channel_id)
            .Text(i.command_name)
            .Int(i.created_at_ms)
            .Int(i.command_type)
            .Int(i.type)
            .OptId(i.message_id));
    if (!rows) return rows.error();
    return {};
  });
}

Result<Interaction> PostgresStore::GetInteraction(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<Interaction> {
    auto rows = conn.Query(
        "SELECT id, application_id, token_hash, user_id, guild_id, channel_id, command_name, "
        "created_at, acknowledged, response_message_id, command_type, response_ephemeral, type, "
        "message_id, modal FROM interactions WHERE id = $1",
        Params().Id(id));
    if (!rows) return rows.error();
    if (rows->size() == 0) return UnknownInteraction();
    const Row r = (*rows)[0];
    return Interaction{r.Id(0),
                       r.Id(1),
                       r.Text(2),
                       r.Id(3),
                       r.OptId(4),
                       r.Id(5),
                       r.Text(6),
                       r.Int(7),
                       r.Bool(8),
                       r.OptId(9),
                       static_cast<int>(r.Int(10)),
                       r.Bool(11),
                       static_cast<int>(r.Int(12)),
                       r.OptId(13),
                       r.OptText(14)};
  });
}

Result<bool> PostgresStore::AcknowledgeInteraction(domain::Snowflake id, bool ephemeral) {
  return Auto([&](Connection& conn) -> Result<bool> {
    auto rows = conn.Query(
        "UPDATE interactions SET acknowledged = true, response_ephemeral = $2 "
        "WHERE id = $1 AND NOT acknowledged",
        Params().Id(id).Bool(ephemeral));
    if (!rows) return rows.error();
    return rows->Affected() == 1;
  });
}

Result<void> PostgresStore::ReleaseInteraction(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows =
        conn.Query("UPDATE interactions SET acknowledged = false WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    return {};
  });
}

Result<bool> PostgresStore::SetInteractionResponse(domain::Snowflake id,
                                                   domain::Snowflake message_id) {
  return Auto([&](Connection& conn) -> Result<bool> {
    auto rows = conn.Query(
        "UPDATE interactions SET response_message_id = $2 "
        "WHERE id = $1 AND response_message_id IS NULL",
        Params().Id(id).Id(message_id));
    if (!rows) return rows.error();
    if (rows->Affected() == 1) return true;
    auto exists = conn.Query("SELECT 1 FROM interactions WHERE id = $1", Params().Id(id));
    if (!exists) return exists.error();
    if (exists->size() == 0) return UnknownInteraction();
    return false;
  });
}

Result<void> PostgresStore::SetInteractionModal(domain::Snowflake id, const std::string& modal) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows =
        conn.Query("UPDATE interactions SET modal = $2 WHERE id = $1", Params().Id(id).Text(modal));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownInteraction();
    return {};
  });
}

Result<void> PostgresStore::PutEphemeralMessage(const EphemeralMessage& m) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query(
        "INSERT INTO ephemeral_messages (id, interaction_id, user_id, message) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET message = excluded.message",
        Params().Id(m.id).Id(m.interaction_id).Id(m.user_id).Text(m.json));
    if (!rows) return rows.error();
    return {};
  });
}

Result<EphemeralMessage> PostgresStore::GetEphemeralMessage(domain::Snowflake id,
                                                            domain::Snowflake user_id) {
  return Auto([&](Connection& conn) -> Result<EphemeralMessage> {
    auto rows = conn.Query(
        "SELECT id, interaction_id, user_id, message FROM ephemeral_messages "
        "WHERE id = $1 AND user_id = $2",
        Params().Id(id).Id(user_id));
    if (!rows) return rows.error();
    if (rows->size() == 0) return UnknownMessage();
    const Row r = (*rows)[0];
    return EphemeralMessage{r.Id(0), r.Id(1), r.Id(2), r.Text(3)};
  });
}

Result<void> PostgresStore::DeleteEphemeralMessage(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM ephemeral_messages WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    return {};
  });
}

}  // namespace chat::store::postgres
