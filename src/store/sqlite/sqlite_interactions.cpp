// InteractionStore over SQLite.
#include "store/errors.hpp"
#include "store/interaction_store.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

Result<void> SqliteStore::CreateInteraction(const Interaction& i, std::int64_t forget_before_ms) {
  return Write([&](Connection& conn) -> Result<void> {
    auto old = conn.Prepare("DELETE FROM interactions WHERE created_at < ?1");
    if (!old) return old.error();
    old->BindInt(1, forget_before_ms);
    if (auto r = old->Run(); !r) return r;
    auto stmt = conn.Prepare(
        "INSERT INTO interactions (id, application_id, token_hash, user_id, guild_id, channel_id, "
        "command_name, created_at, command_type, type, message_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, i.id).BindId(2, i.application_id).BindText(3, i.token_hash);
    stmt->BindId(4, i.user_id).BindOptId(5, i.guild_id).BindId(6, i.channel_id);
    stmt->BindText(7, i.command_name).BindInt(8, i.created_at_ms).BindInt(9, i.command_type);
    stmt->BindInt(10, i.type).BindOptId(11, i.message_id);
    return stmt->Run();
  });
}

Result<Interaction> SqliteStore::GetInteraction(domain::Snowflake id) {
  return Read([&](Connection& conn) -> Result<Interaction> {
    auto stmt = conn.Prepare(
        "SELECT id, application_id, token_hash, user_id, guild_id, channel_id, command_name, "
        "created_at, acknowledged, response_message_id, command_type, response_ephemeral, type, "
        "message_id, modal FROM interactions WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownInteraction();
    return Interaction{stmt->Id(0),
                       stmt->Id(1),
                       stmt->Text(2),
                       stmt->Id(3),
                       stmt->OptId(4),
                       stmt->Id(5),
                       stmt->Text(6),
                       stmt->Int(7),
                       stmt->Bool(8),
                       stmt->OptId(9),
                       static_cast<int>(stmt->Int(10)),
                       stmt->Bool(11),
                       static_cast<int>(stmt->Int(12)),
                       stmt->OptId(13),
                       stmt->OptText(14)};
  });
}

Result<bool> SqliteStore::AcknowledgeInteraction(domain::Snowflake id, bool ephemeral) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt = conn.Prepare(
        "UPDATE interactions SET acknowledged = 1, response_ephemeral = ?2 "
        "WHERE id = ?1 AND acknowledged = 0");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id).BindBool(2, ephemeral);
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes() == 1;
  });
}

Result<void> SqliteStore::ReleaseInteraction(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("UPDATE interactions SET acknowledged = 0 WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    return stmt->Run();
  });
}

Result<bool> SqliteStore::SetInteractionResponse(domain::Snowflake id,
                                                 domain::Snowflake message_id) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt = conn.Prepare(
        "UPDATE interactions SET response_message_id = ?2 "
        "WHERE id = ?1 AND response_message_id IS NULL");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id).BindId(2, message_id);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 1) return true;
    auto exists = conn.Prepare("SELECT 1 FROM interactions WHERE id = ?1");
    if (!exists) return exists.error();
    exists->BindId(1, id);
    auto row = exists->Step();
    if (!row) return row.error();
    if (!*row) return UnknownInteraction();
    return false;
  });
}

Result<void> SqliteStore::SetInteractionModal(domain::Snowflake id, const std::string& modal) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("UPDATE interactions SET modal = ?2 WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id).BindText(2, modal);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownInteraction();
    return {};
  });
}

Result<void> SqliteStore::PutEphemeralMessage(const EphemeralMessage& m) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare(
        "INSERT INTO ephemeral_messages (id, interaction_id, user_id, message) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET message = excluded.message");
    if (!stmt) return stmt.error();
    stmt->BindId(1, m.id).BindId(2, m.interaction_id).BindId(3, m.user_id).BindText(4, m.json);
    return stmt->Run();
  });
}

Result<EphemeralMessage> SqliteStore::GetEphemeralMessage(domain::Snowflake id,
                                                          domain::Snowflake user_id) {
  return Read([&](Connection& conn) -> Result<EphemeralMessage> {
    auto stmt = conn.Prepare(
        "SELECT id, interaction_id, user_id, message FROM ephemeral_messages "
        "WHERE id = ?1 AND user_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id).BindId(2, user_id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownMessage();
    return EphemeralMessage{stmt->Id(0), stmt->Id(1), stmt->Id(2), stmt->Text(3)};
  });
}

Result<void> SqliteStore::DeleteEphemeralMessage(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM ephemeral_messages WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    return stmt->Run();
  });
}

}  // namespace chat::store::sqlite
