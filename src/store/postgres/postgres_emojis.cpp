// EmojiStore over PostgreSQL.
#include "store/emoji_store.hpp"
#include "store/errors.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr std::string_view kSelectEmoji =
    "SELECT id, server_id, name, animated, creator_id FROM emojis ";

Result<std::vector<domain::CustomEmoji>> ReadEmojis(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<domain::CustomEmoji> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    out.push_back({r.Id(0), r.Id(1), r.Text(2), r.Bool(3), r.Id(4)});
  }
  return out;
}

Result<domain::CustomEmoji> LoadEmoji(Connection& conn, domain::Snowflake id) {
  auto found = ReadEmojis(conn.Query(std::string(kSelectEmoji) + "WHERE id = $1", Params().Id(id)));
  if (!found) return found.error();
  if (found->empty()) return UnknownEmoji();
  return std::move(found->front());
}

}  // namespace

Result<bool> PostgresStore::CreateEmoji(const domain::CustomEmoji& e,
                                        const domain::EmojiImage& image, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    // The guild row's lock orders concurrent creations: each counts what the one before stored.
    auto guild = conn.Query("SELECT 1 FROM servers WHERE id = $1 FOR NO KEY UPDATE",
                            Params().Id(e.guild_id));
    if (!guild) return guild.error();
    if (guild->size() == 0) return UnknownGuild();
    auto count = conn.Query("SELECT count(*) FROM emojis WHERE server_id = $1 AND animated = $2",
                            Params().Id(e.guild_id).Bool(e.animated));
    if (!count) return count.error();
    if (static_cast<std::size_t>((*count)[0].Int(0)) >= max) return false;
    auto rows = conn.Query(
        "INSERT INTO emojis (id, server_id, name, animated, creator_id, image, content_type) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        Params()
            .Id(e.id)
            .Id(e.guild_id)
            .Text(e.name)
            .Bool(e.animated)
            .Id(e.creator_id)
            .Text(image.base64)
            .Text(image.content_type));
    if (!rows) return rows.error();
    return true;
  });
}

Result<domain::CustomEmoji> PostgresStore::GetEmoji(domain::Snowflake id) {
  return Auto([&](Connection& conn) { return LoadEmoji(conn, id); });
}

Result<std::vector<domain::CustomEmoji>> PostgresStore::ListEmojis(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return ReadEmojis(conn.Query(std::string(kSelectEmoji) + "WHERE server_id = $1 ORDER BY id",
                                 Params().Id(guild_id)));
  });
}

Result<domain::CustomEmoji> PostgresStore::RenameEmoji(domain::Snowflake id,
                                                       const std::string& name) {
  return Auto([&](Connection& conn) -> Result<domain::CustomEmoji> {
    auto found =
        ReadEmojis(conn.Query("UPDATE emojis SET name = $2 WHERE id = $1 "
                              "RETURNING id, server_id, name, animated, creator_id",
                              Params().Id(id).Text(name)));
    if (!found) return found.error();
    if (found->empty()) return UnknownEmoji();
    return std::move(found->front());
  });
}

Result<void> PostgresStore::DeleteEmoji(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query("DELETE FROM emojis WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownEmoji();
    return {};
  });
}

Result<domain::EmojiImage> PostgresStore::GetEmojiImage(domain::Snowflake id) {
  return Auto([&](Connection& conn) -> Result<domain::EmojiImage> {
    auto rows = conn.Query("SELECT image, content_type FROM emojis WHERE id = $1", Params().Id(id));
    if (!rows) return rows.error();
    if (rows->size() == 0) return UnknownEmoji();
    return domain::EmojiImage{(*rows)[0].Text(0), (*rows)[0].Text(1)};
  });
}

}  // namespace chat::store::postgres
