// EmojiStore over SQLite.
#include "store/emoji_store.hpp"
#include "store/errors.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr std::string_view kSelectEmoji =
    "SELECT id, server_id, name, animated, creator_id FROM emojis ";

domain::CustomEmoji ReadEmoji(const Statement& s) {
  return {s.Id(0), s.Id(1), s.Text(2), s.Bool(3), s.Id(4)};
}

Result<domain::CustomEmoji> LoadEmoji(Connection& conn, domain::Snowflake id) {
  auto stmt = conn.Prepare(std::string(kSelectEmoji) + "WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->BindId(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownEmoji();
  return ReadEmoji(*stmt);
}

}  // namespace

Result<bool> SqliteStore::CreateEmoji(const domain::CustomEmoji& e, const domain::EmojiImage& image,
                                      std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto guild = GuildExists(conn, e.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    // One writer: the count and the insert cannot interleave with another creation.
    auto count = conn.Prepare("SELECT count(*) FROM emojis WHERE server_id = ?1 AND animated = ?2");
    if (!count) return count.error();
    count->BindId(1, e.guild_id).BindBool(2, e.animated);
    auto row = count->Step();
    if (!row) return row.error();
    if (static_cast<std::size_t>(count->Int(0)) >= max) return false;
    auto stmt = conn.Prepare(
        "INSERT INTO emojis (id, server_id, name, animated, creator_id, image, content_type) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, e.id).BindId(2, e.guild_id).BindText(3, e.name).BindBool(4, e.animated);
    stmt->BindId(5, e.creator_id).BindText(6, image.base64).BindText(7, image.content_type);
    if (auto r = stmt->Run(); !r) return r.error();
    return true;
  });
}

Result<domain::CustomEmoji> SqliteStore::GetEmoji(domain::Snowflake id) {
  return Read([&](Connection& conn) { return LoadEmoji(conn, id); });
}

Result<std::vector<domain::CustomEmoji>> SqliteStore::ListEmojis(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::CustomEmoji>> {
    auto stmt = conn.Prepare(std::string(kSelectEmoji) + "WHERE server_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    std::vector<domain::CustomEmoji> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadEmoji(*stmt));
    }
  });
}

Result<domain::CustomEmoji> SqliteStore::RenameEmoji(domain::Snowflake id,
                                                     const std::string& name) {
  return Write([&](Connection& conn) -> Result<domain::CustomEmoji> {
    auto stmt = conn.Prepare("UPDATE emojis SET name = ?2 WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id).BindText(2, name);
    if (auto r = stmt->Run(); !r) return r.error();
    if (stmt->Changes() == 0) return UnknownEmoji();
    return LoadEmoji(conn, id);
  });
}

Result<void> SqliteStore::DeleteEmoji(domain::Snowflake id) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare("DELETE FROM emojis WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownEmoji();
    return {};
  });
}

Result<domain::EmojiImage> SqliteStore::GetEmojiImage(domain::Snowflake id) {
  return Read([&](Connection& conn) -> Result<domain::EmojiImage> {
    auto stmt = conn.Prepare("SELECT image, content_type FROM emojis WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->BindId(1, id);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return UnknownEmoji();
    return domain::EmojiImage{stmt->Text(0), stmt->Text(1)};
  });
}

}  // namespace chat::store::sqlite
