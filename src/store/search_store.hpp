// store/search_store.hpp — full-text search over message content (Discord's message search):
// SQLite answers from an FTS5 index, PostgreSQL from a generated tsvector column (migrations
// 0006_search). The caller decides which channels the searcher may read; the store only filters.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

inline constexpr int kMaxSearchPage = 25;

// Every set filter must hold. `content` is plain user text, never query syntax: each of its
// whitespace-separated words must appear in the message (case-insensitive; SQLite also ignores
// accents). Quotes, stars, parentheses, NEAR, AND/OR are just text. Content that holds no word at
// all (only punctuation) matches nothing; an absent, empty or blank content matches every message.
struct SearchQuery {
  std::vector<domain::Snowflake> channel_ids;  // where to look; empty finds nothing
  std::optional<std::string> content;          // valid UTF-8 without NUL
  std::vector<domain::Snowflake> author_ids;   // any of these; empty: any author
  std::optional<domain::Snowflake> mentions;   // the message mentions this user
  std::optional<domain::Snowflake> min_id;     // id > min_id
  std::optional<domain::Snowflake> max_id;     // id < max_id
  bool ascending = false;                      // by id; newest first by default
  int limit = kMaxSearchPage;                  // clamped to 1..kMaxSearchPage
  int offset = 0;                              // negative reads as 0
};

// One match: enough to load the message with MessageStore::GetMessage.
struct SearchHit {
  domain::Snowflake message_id = 0;
  domain::Snowflake channel_id = 0;
};

struct SearchPage {
  std::int64_t total = 0;  // matches in all, ignoring limit and offset
  std::vector<SearchHit> hits;
};

class SearchStore {
 public:
  virtual ~SearchStore() = default;

  // The page of matches and their total count, read from one snapshot.
  [[nodiscard]] virtual Result<SearchPage> SearchMessages(const SearchQuery& query) = 0;
};

}  // namespace chat::store
