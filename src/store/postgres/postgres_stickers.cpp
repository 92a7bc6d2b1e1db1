// StickerStore over PostgreSQL.
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"
#include "store/sticker_store.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kStickerColumns =
    "id, server_id, name, description, tags, format_type, creator_id";

Result<std::vector<domain::Sticker>> ReadStickers(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<domain::Sticker> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back({r.Id(0), r.Id(1), r.Text(2), r.Text(3), r.Text(4),
                   static_cast<domain::StickerFormat>(r.Int(5)), r.Id(6)});
  }
  return out;
}

Result<domain::Sticker> OneSticker(Result<Rows> rows) {
  auto found = ReadStickers(std::move(rows));
  if (!found) return found.error();
  if (found->empty()) return UnknownSticker();
  return std::move(found->front());
}

std::string SelectStickers(std::string_view where) {
  return "SELECT " + std::string(kStickerColumns) + " FROM stickers " + std::string(where);
}

}  // namespace

Result<bool> PostgresStore::CreateSticker(const domain::Sticker& s,
                                          const domain::StickerImage& image, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    // The guild row's lock orders concurrent creations: each counts what the one before stored.
    auto guild = conn.Query("SELECT 1 FROM servers WHERE id = $1 FOR NO KEY UPDATE",
                            Params().Id(s.guild_id));
    if (!guild) return guild.error();
    if (guild->size() == 0) return UnknownGuild();
    auto count =
        conn.Query("SELECT count(*) FROM stickers WHERE server_id = $1", Params().Id(s.guild_id));
    if (!count) return count.error();
    if (static_cast<std::size_t>((*count)[0].Int(0)) >= max) return false;
    auto rows = conn.Query(
        "INSERT INTO stickers (id, server_id, name, description, tags, format_type, creator_id, "
        "image, content_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Params()
            .Id(s.id)
            .Id(s.guild_id)
            .Text(s.name)
            .Text(s.description)
            .Text(s.tags)
            .Int(static_cast<int>(s.format))
            .Id(s.creator_id)
            .Text(image.base64)
            .Text(image.content_type));
    if (!rows) return rows.error();
    return true;
  });
}

Result<domain::Sticker> PostgresStore::GetSticker(domain::Snowflake id) {
  return Auto([&](Connection& conn) {
    return OneSticker(conn.Query(SelectStickers("WHERE id = $1"), Params().Id(id)));
  });
}

Result<std::vector<domain::Sticker>> PostgresStore::ListStickers(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return ReadStickers(
        conn.Query(SelectStickers("WHERE server_id = $1 ORDER BY id"), Params().Id(guild_id)));
  });
}

Result<domain::Sticker> PostgresStore::UpdateSticker(domain::Snowflake id,
                                                     const StickerUpdate& update) {
  return Auto([&](Connection& conn) {
    Params params;
    params.Id(id);
    PatchText(params, update.name);
    PatchText(params, update.description);
    PatchText(params, update.tags);
    return OneSticker(
        conn.Query("UPDATE stickers SET name = CASE WHEN $2 THEN $3 ELSE name END, "
                   "description = CASE WHEN $4 THEN $5 ELSE description END, "
                   "tags = CASE WHEN $6 THEN $7 ELSE tags END WHERE id = $1 RETURNING " +
                       std::string(kStickerColumns),
                   params));
  });
}

Result<void> PostgresStore::DeleteSticker(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM stickers WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownSticker();
    return {};
  });
}

Result<domain::StickerImage> PostgresStore::GetStickerImage(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<domain::StickerImage> {
    auto rows =
        conn.Query("SELECT image, content_type FROM stickers WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->size() == 0) return UnknownSticker();
    return domain::StickerImage{(*rows)[0].Text(0), (*rows)[0].Text(1)};
  });
}

}  // namespace chat::store::postgres
