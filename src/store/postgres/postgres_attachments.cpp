// AttachmentStore and PinStore over PostgreSQL (migration 0005): message_attachments rows and the
// pinned/pinned_at columns of messages. A batch of message ids travels as one bigint[] parameter,
// so a history page's attachments come back in one query.
#include <string>

#include "store/errors.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {
namespace {

constexpr std::string_view kSelectAttachment =
    "SELECT id, message_id, channel_id, position, filename, description, content_type, size, "
    "width, height, url_key FROM message_attachments ";

domain::Attachment ReadAttachment(const Row& r) {
  domain::Attachment a;
  a.id = r.Id(0);
  a.message_id = r.Id(1);
  a.channel_id = r.Id(2);
  a.position = static_cast<int>(r.Int(3));
  a.filename = r.Text(4);
  a.description = r.OptText(5);
  a.content_type = r.Text(6);
  a.size = r.Int(7);
  if (auto w = r.OptInt(8)) a.width = static_cast<int>(*w);
  if (auto h = r.OptInt(9)) a.height = static_cast<int>(*h);
  a.url_key = r.Text(10);
  return a;
}

std::optional<std::int64_t> OptSize(const std::optional<int>& v) {
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

}  // namespace

Result<void> PostgresStore::CreateAttachments(std::span<const domain::Attachment> attachments) {
  if (attachments.empty()) return {};
  return Write([&](Connection& conn) -> Result<void> {
    for (const auto& a : attachments) {
      auto exists = conn.Query("SELECT 1 FROM messages WHERE id = $1", Params().Id(a.message_id));
      if (!exists) return exists.error();
      if (exists->empty()) return UnknownMessage();
      auto rows = conn.Query(
          "INSERT INTO message_attachments (id, message_id, channel_id, position, filename, "
          "description, content_type, size, width, height, url_key) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
          Params()
              .Id(a.id)
              .Id(a.message_id)
              .Id(a.channel_id)
              .Int(a.position)
              .Text(a.filename)
              .OptText(a.description)
              .Text(a.content_type)
              .Int(a.size)
              .OptInt(OptSize(a.width))
              .OptInt(OptSize(a.height))
              .Text(a.url_key));
      if (!rows) return rows.error();
    }
    return {};
  });
}

Result<domain::Attachment> PostgresStore::GetAttachment(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<domain::Attachment> {
    auto rows = conn.Query(std::string(kSelectAttachment) + "WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound("404: Not Found");
    return ReadAttachment((*rows)[0]);
  });
}

Result<std::vector<domain::Attachment>> PostgresStore::ListAttachments(
    std::span<const domain::Snowflake> message_ids) {
  if (message_ids.empty()) return std::vector<domain::Attachment>{};
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Attachment>> {
    auto rows = conn.Query(std::string(kSelectAttachment) +
                               "WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, position",
                           Params().IdArray(message_ids));
    if (!rows) return rows.error();
    std::vector<domain::Attachment> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int i = 0; i < rows->size(); ++i) out.push_back(ReadAttachment((*rows)[i]));
    return out;
  });
}

Result<std::int64_t> PostgresStore::DeleteAttachments(std::span<const domain::Snowflake> ids) {
  if (ids.empty()) return std::int64_t{0};
  return Auto([&](Connection& conn) -> Result<std::int64_t> {
    auto rows = conn.Query("DELETE FROM message_attachments WHERE id = ANY($1::bigint[])",
                           Params().IdArray(ids));
    if (!rows) return rows.error();
    return rows->Affected();
  });
}

Result<void> PostgresStore::SetPinned(domain::Snowflake channel_id, domain::Snowflake message_id,
                                      bool pinned, std::int64_t at_ms) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query(
        "UPDATE messages SET pinned = $3, pinned_at = CASE WHEN $3 THEN GREATEST($4::bigint, "
        "COALESCE((SELECT MAX(pinned_at) FROM messages WHERE channel_id = $2 AND pinned), 0) + 1) "
        "ELSE NULL END WHERE id = $1 AND channel_id = $2",
        Params().Id(message_id).Id(channel_id).Bool(pinned).Int(at_ms));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownMessage();
    return {};
  });
}

Result<std::vector<PinEntry>> PostgresStore::ListPins(domain::Snowflake channel_id, int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<PinEntry>> {
    auto rows = conn.Query(
        "SELECT id, pinned_at FROM messages WHERE channel_id = $1 AND pinned "
        "ORDER BY COALESCE(pinned_at, created_at) DESC, id DESC LIMIT $2",
        Params().Id(channel_id).Int(limit));
    if (!rows) return rows.error();
    std::vector<PinEntry> out;
    for (int i = 0; i < rows->size(); ++i) {
      out.push_back(PinEntry{(*rows)[i].Id(0), (*rows)[i].OptInt(1)});
    }
    return out;
  });
}

}  // namespace chat::store::postgres
