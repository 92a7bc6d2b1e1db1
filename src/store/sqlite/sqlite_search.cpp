// SearchStore over SQLite: the messages_fts FTS5 index (migrations/sqlite/0006_search) joined to
// messages for the filters. The user's words reach MATCH only as quoted FTS5 strings, so nothing
// they type is read as query syntax. Id lists travel as one bound JSON array (json_each).
#include <algorithm>
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

constexpr domain::Snowflake kNoUpperBound = 0x7fffffffffffffff;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// "say \"hi\" NEAR(x*" → "\"say\" \"\"\"hi\"\"\" \"NEAR(x*\"": each word becomes one FTS5 string
// (a phrase of the tokens inside it), with its double quotes doubled, and the phrases are
// ANDed. Inside a string FTS5 recognises no operator, star or parenthesis. A word of
// punctuation only gives an empty phrase, which FTS5 skips beside others and which matches
// nothing alone.
std::string FtsQuery(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) break;
    if (!out.empty()) out += ' ';
    out += '"';
    for (; i < text.size() && !IsSpace(text[i]); ++i) {
      if (text[i] == '"') out += '"';
      out += text[i];
    }
    out += '"';
  }
  return out;
}

}  // namespace

Result<SearchPage> SqliteStore::SearchMessages(const SearchQuery& query) {
  SearchPage page;
  if (query.channel_ids.empty()) return page;
  const std::string match = query.content ? FtsQuery(*query.content) : std::string();
  const int limit = std::clamp(query.limit, 1, kMaxSearchPage);
  const int offset = std::max(query.offset, 0);

  // Fixed parameter numbers; only constant SQL fragments vary, so each shape is prepared once.
  // ?1 channels, ?2 lower bound, ?3 upper bound, ?4 match, ?5 authors, ?6 mentioned user,
  // ?7 limit, ?8 offset.
  std::string where =
      "WHERE m.channel_id IN (SELECT value FROM json_each(?1)) AND m.id > ?2 AND m.id < ?3";
  if (!match.empty()) {
    where += " AND m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?4)";
  }
  if (!query.author_ids.empty()) {
    // A webhook's message is its author's, not its creator's (author_id).
    where += " AND COALESCE(m.webhook_id, m.author_id) IN (SELECT value FROM json_each(?5))";
  }
  if (query.mentions) {
    where +=
        " AND EXISTS (SELECT 1 FROM message_user_mentions mm "
        "WHERE mm.message_id = m.id AND mm.user_id = ?6)";
  }
  const std::string count_sql = "SELECT COUNT(*) FROM messages m " + where;
  const std::string page_sql = "SELECT m.id, m.channel_id FROM messages m " + where +
                               (query.ascending ? " ORDER BY m.id ASC" : " ORDER BY m.id DESC") +
                               " LIMIT ?7 OFFSET ?8";

  const std::string channels = JsonIdArray(query.channel_ids);
  const std::string authors = JsonIdArray(query.author_ids);
  auto bind = [&](Statement& s) {
    s.BindText(1, channels)
        .BindId(2, query.min_id.value_or(0))
        .BindId(3, query.max_id.value_or(kNoUpperBound));
    if (!match.empty()) s.BindText(4, match);
    if (!query.author_ids.empty()) s.BindText(5, authors);
    if (query.mentions) s.BindId(6, *query.mentions);
  };

  return Read([&](Connection& conn) -> Result<SearchPage> {
    {
      auto count = conn.Prepare(count_sql);
      if (!count) return count.error();
      bind(*count);
      auto row = count->Step();
      if (!row) return row.error();
      if (*row) page.total = count->Int(0);
    }
    if (page.total == 0) return page;
    auto stmt = conn.Prepare(page_sql);
    if (!stmt) return stmt.error();
    bind(*stmt);
    stmt->BindInt(7, limit).BindInt(8, offset);
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      page.hits.push_back(SearchHit{stmt->Id(0), stmt->Id(1)});
    }
    return page;
  });
}

}  // namespace chat::store::sqlite
