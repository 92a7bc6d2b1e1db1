// SearchStore over PostgreSQL: the generated messages.content_tsv column and its GIN index
// (migrations/postgres/0006_search). The user's text goes through plainto_tsquery, which reads
// no operators, and is always a bound parameter; so are the id lists (bigint[]).
#include <algorithm>
#include <string>

#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

constexpr domain::Snowflake kNoUpperBound = 0x7fffffffffffffff;

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

}  // namespace

Result<SearchPage> PostgresStore::SearchMessages(const SearchQuery& query) {
  SearchPage page;
  if (query.channel_ids.empty()) return page;
  const int limit = std::clamp(query.limit, 1, kMaxSearchPage);
  const int offset = std::max(query.offset, 0);

  // Parameters are numbered as the filters are added; only constant SQL fragments vary.
  Params params;
  params.IdArray(query.channel_ids)
      .Id(query.min_id.value_or(0))
      .Id(query.max_id.value_or(kNoUpperBound));
  std::string where = "WHERE m.channel_id = ANY($1::bigint[]) AND m.id > $2 AND m.id < $3";
  int next = 4;
  auto placeholder = [&] { return "$" + std::to_string(next++); };
  if (query.content && !IsBlank(*query.content)) {
    // Folded exactly as the generated column folds the content (0006_search.up.sql).
    where += " AND m.content_tsv @@ plainto_tsquery('simple', lower(" + placeholder() +
             "::text COLLATE \"und-x-icu\"))";
    params.Text(*query.content);
  }
  if (!query.author_ids.empty()) {
    // A webhook's message is its author's, not its creator's (author_id).
    where += " AND COALESCE(m.webhook_id, m.author_id) = ANY(" + placeholder() + "::bigint[])";
    params.IdArray(query.author_ids);
  }
  if (query.mentions) {
    where +=
        " AND EXISTS (SELECT 1 FROM message_user_mentions mm "
        "WHERE mm.message_id = m.id AND mm.user_id = " +
        placeholder() + ")";
    params.Id(*query.mentions);
  }
  const std::string count_sql = "SELECT count(*) FROM messages m " + where;
  Params page_params = params;
  page_params.Int(limit).Int(offset);
  std::string page_sql = "SELECT m.id, m.channel_id FROM messages m " + where +
                         (query.ascending ? " ORDER BY m.id ASC" : " ORDER BY m.id DESC");
  page_sql += " LIMIT " + placeholder();
  page_sql += " OFFSET " + placeholder();

  return Read([&](Connection& conn) -> Result<SearchPage> {
    auto count = conn.Query(count_sql, params);
    if (!count) return count.error();
    page.total = (*count)[0].Int(0);
    if (page.total == 0) return page;
    auto rows = conn.Query(page_sql, page_params);
    if (!rows) return rows.error();
    for (int i = 0; i < rows->size(); ++i) {
      page.hits.push_back(SearchHit{(*rows)[i].Id(0), (*rows)[i].Id(1)});
    }
    return page;
  });
}

}  // namespace chat::store::postgres
