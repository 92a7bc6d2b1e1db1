// StickerStore over SQLite.
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"
#include "store/sticker_store.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectSticker =
    "SELECT id, server_id, name, description, tags, format_type, creator_id FROM stickers ";

domain::Sticker ReadSticker(const Statement& s) {
  return {s.Id(0),   s.Id(1),   s.Text(2),
          s.Text(3), s.Text(4), static_cast<domain::StickerFormat>(s.Int(5)),
          s.Id(6)};
}

Result<domain::Sticker> LoadSticker(Connection& conn, domain::Snowflake id) {
  auto stmt = conn.Prepare(std::string(kSelectSticker) + "WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownSticker();
  return ReadSticker(*stmt);
}

}  // namespace

Result<bool> SqliteStore::CreateSticker(const domain::Sticker& s, const domain::StickerImage& image,
                                        std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto guild = GuildExists(conn, s.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    // One writer: the count and the insert cannot interleave with another creation.
    auto count = conn.Prepare("SELECT count(*) FROM stickers WHERE server_id = ?1");
    if (!count) return count.error();
    count->BindId(1, s.guild_id);
    auto row = count->Step();
    if (!row) return row.error();
    if (static_cast<std::size_t>(count->Int(0)) >= max) return false;
    auto stmt = conn.Prepare(
        "INSERT INTO stickers (id, server_id, name, description, tags, format_type, creator_id, "
        "image, content_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, s.id).BindId(2, s.guild_id).BindText(3, s.name).BindText(4, s.description);
    stmt->BindText(5, s.tags).BindInt(6, static_cast<int>(s.format)).BindId(7, s.creator_id);
    stmt->BindText(8, image.base64).BindText(9, image.content_type);
    if (auto r = stmt->Run(); !r) return r.error();
    return true;
  });
}

Result<domain::Sticker> SqliteStore::GetSticker(domain::Snowflake id) {
  return Read([&](Connection& conn) { return LoadSticker(conn, id); });
}

Result<std::vector<domain::Sticker>> SqliteStore::ListStickers(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Sticker>> {
    auto stmt = conn.Prepare(std::string(kSelectSticker) + "WHERE server_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    std::vector<domain::Sticker> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadSticker(*stmt));
    }
  });
}

Result<domain::Sticker> SqliteStore::UpdateSticker(domain::Snowflake id,
                                                   const StickerUpdate& update) {
  return Write([&](Connection& conn) -> Result<domain::Sticker> {
    auto stmt = conn.Prepare(
        "UPDATE stickers SET name = CASE WHEN ?2 THEN ?3 ELSE name END, "
        "description = CASE WHEN ?4 THEN ?5 ELSE description END, "
        "tags = CASE WHEN ?6 THEN ?7 ELSE tags END WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    BindPatchText(*stmt, 2, update.name);
    BindPatchText(*stmt, 4, update.description);
    BindPatchText(*stmt, 6, update.tags);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownSticker();
    return LoadSticker(conn, id);
  });
}

Result<void> SqliteStore::DeleteSticker(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM stickers WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownSticker();
    return {};
  });
}

Result<domain::StickerImage> SqliteStore::GetStickerImage(domain::Snowflake id) {
  return Read([&](Connection& conn) -> Result<domain::StickerImage> {
    auto stmt = conn.Prepare("SELECT image, content_type FROM stickers WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownSticker();
    return domain::StickerImage{stmt->Text(0), stmt->Text(1)};
  });
}

}  // namespace chat::store::sqlite
