// AttachmentStore and PinStore over SQLite (migration 0005): message_attachments rows and the
// pinned/pinned_at columns of messages. A batch of message ids travels as one JSON array bound to
// json_each, so a history page's attachments come back in one query.
#include <string>

#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {
namespace {

constexpr std::string_view kSelectAttachment =
    "SELECT id, message_id, channel_id, position, filename, description, content_type, size, "
    "width, height, url_key FROM message_attachments ";

domain::Attachment ReadAttachment(const Statement& s) {
  domain::Attachment a;
  a.id = s.Id(0);
  a.message_id = s.Id(1);
  a.channel_id = s.Id(2);
  a.position = static_cast<int>(s.Int(3));
  a.filename = s.Text(4);
  a.description = s.OptText(5);
  a.content_type = s.Text(6);
  a.size = s.Int(7);
  if (auto w = s.OptInt(8)) a.width = static_cast<int>(*w);
  if (auto h = s.OptInt(9)) a.height = static_cast<int>(*h);
  a.url_key = s.Text(10);
  return a;
}

std::optional<std::int64_t> OptSize(const std::optional<int>& v) {
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

}  // namespace

Result<void> SqliteStore::CreateAttachments(std::span<const domain::Attachment> attachments) {
  if (attachments.empty()) return {};
  return Write([&](Connection& conn) -> Result<void> {
    for (const auto& a : attachments) {
      auto exists = conn.Prepare("SELECT 1 FROM messages WHERE id = ?1");
      if (!exists) return exists.error();
      exists->BindId(1, a.message_id);
      auto row = exists->Step();
      if (!row) return row.error();
      if (!*row) return UnknownMessage();
      auto stmt = conn.Prepare(
          "INSERT INTO message_attachments (id, message_id, channel_id, position, filename, "
          "description, content_type, size, width, height, url_key) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
      if (!stmt) return stmt.error();
      stmt->BindId(1, a.id)
          .BindId(2, a.message_id)
          .BindId(3, a.channel_id)
          .BindInt(4, a.position)
          .BindText(5, a.filename)
          .BindOptText(6, a.description)
          .BindText(7, a.content_type)
          .BindInt(8, a.size)
          .BindOptInt(9, OptSize(a.width))
          .BindOptInt(10, OptSize(a.height))
          .BindText(11, a.url_key);
      if (auto r = stmt->Run(); !r) return r.error();
    }
    return {};
  });
}

Result<domain::Attachment> SqliteStore::GetAttachment(domain::Snowflake id) {
  return Read([&](Connection& conn) -> Result<domain::Attachment> {
    auto stmt = conn.Prepare(std::string(kSelectAttachment) + "WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return Error::NotFound("404: Not Found");
    return ReadAttachment(*stmt);
  });
}

Result<std::vector<domain::Attachment>> SqliteStore::ListAttachments(
    std::span<const domain::Snowflake> message_ids) {
  if (message_ids.empty()) return std::vector<domain::Attachment>{};
  return Read([&](Connection& conn) -> Result<std::vector<domain::Attachment>> {
    auto stmt = conn.Prepare(std::string(kSelectAttachment) +
                             "WHERE message_id IN (SELECT value FROM json_each(?1)) "
                             "ORDER BY message_id, position");
    if (!stmt) return stmt.error();
    stmt->BindText(1, JsonIdArray(message_ids));
    std::vector<domain::Attachment> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadAttachment(*stmt));
    }
  });
}

Result<std::int64_t> SqliteStore::DeleteAttachments(std::span<const domain::Snowflake> ids) {
  if (ids.empty()) return std::int64_t{0};
  return Write([&](Connection& conn) -> Result<std::int64_t> {
    auto stmt = conn.Prepare(
        "DELETE FROM message_attachments WHERE id IN (SELECT value FROM json_each(?1))");
    if (!stmt) return stmt.error();
    stmt->BindText(1, JsonIdArray(ids));
    if (auto r = stmt->Run(); !r) return r.error();
    return stmt->Changes();
  });
}

Result<void> SqliteStore::SetPinned(domain::Snowflake channel_id, domain::Snowflake message_id,
                                    bool pinned, std::int64_t at_ms) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare(
        "UPDATE messages SET pinned = ?3, pinned_at = CASE WHEN ?3 THEN MAX(?4, COALESCE(("
        "SELECT MAX(pinned_at) FROM messages WHERE channel_id = ?2 AND pinned <> 0), 0) + 1) "
        "ELSE NULL END WHERE id = ?1 AND channel_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindId(2, channel_id).BindBool(3, pinned).BindInt(4, at_ms);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownMessage();
    return {};
  });
}

Result<std::vector<PinEntry>> SqliteStore::ListPins(domain::Snowflake channel_id, int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<PinEntry>> {
    auto stmt = conn.Prepare(
        "SELECT id, pinned_at FROM messages WHERE channel_id = ?1 AND pinned <> 0 "
        "ORDER BY COALESCE(pinned_at, created_at) DESC, id DESC LIMIT ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, channel_id).BindInt(2, limit);
    std::vector<PinEntry> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(PinEntry{stmt->Id(0), stmt->OptInt(1)});
    }
  });
}

}  // namespace chat::store::sqlite
