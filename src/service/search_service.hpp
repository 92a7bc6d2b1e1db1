// service/search_service.hpp — Discord's message search: over the channels of a guild the
// searcher may read (VIEW_CHANNEL and READ_MESSAGE_HISTORY), or over one channel or DM. The
// store finds the ids (store/search_store.hpp); MessageService renders the messages as the rest
// of the API does. Read-only: publishes nothing. Synchronous, runs on a worker thread;
// thread-safe (no state of its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "service/access_service.hpp"
#include "service/message_service.hpp"
#include "store/store.hpp"

namespace chat::service {

inline constexpr std::size_t kMaxSearchContentLength = 1024;  // code points
inline constexpr int kMaxSearchLimit = 25;
inline constexpr int kMaxSearchOffset = 9975;

// The search as the client asked for it (query parameters already parsed into types).
struct SearchRequest {
  std::optional<std::string> content;          // words that must all appear; syntax is never read
  std::vector<domain::Snowflake> author_ids;   // any of them
  std::vector<domain::Snowflake> channel_ids;  // narrows the searchable channels
  std::optional<domain::Snowflake> mentions;   // a user the message mentions
  std::optional<domain::Snowflake> min_id;     // messages after this id (Discord's min_id/after)
  std::optional<domain::Snowflake> max_id;     // messages before this id (max_id/before)
  bool ascending = false;                      // sort_order=asc; newest first otherwise
  int limit = kMaxSearchLimit;                 // 1..25
  int offset = 0;                              // 0..9975
};

struct SearchResult {
  std::int64_t total = 0;  // every match, ignoring limit and offset
  std::vector<MessageView> messages;
};

class SearchService {
 public:
  SearchService(store::Store& store, AccessService& access, MessageService& messages)
      : store_(store), access_(access), messages_(messages) {}
  SearchService(const SearchService&) = delete;
  SearchService& operator=(const SearchService&) = delete;

  // 404 Unknown Guild, 403 Missing Access for a non-member (as every guild route). Channels the
  // member cannot read are left out silently, even when named in channel_ids.
  [[nodiscard]] Result<SearchResult> SearchGuild(domain::Snowflake user_id,
                                                 domain::Snowflake guild_id,
                                                 const SearchRequest& request);
  // One channel or DM: VIEW_CHANNEL + READ_MESSAGE_HISTORY there (404 / 403 as message history).
  [[nodiscard]] Result<SearchResult> SearchChannel(domain::Snowflake user_id,
                                                   domain::Snowflake channel_id,
                                                   const SearchRequest& request);

 private:
  Result<SearchResult> Run(domain::Snowflake user_id, std::optional<domain::Snowflake> guild_id,
                           std::vector<domain::Snowflake> channel_ids,
                           const SearchRequest& request);

  store::Store& store_;
  AccessService& access_;
  MessageService& messages_;
};

// 400 Invalid Form Body (50035) naming each bad field: content too long, not UTF-8 or holding
// NUL; limit outside 1..25; offset outside 0..9975.
[[nodiscard]] Result<void> ValidateSearch(const SearchRequest& request);

}  // namespace chat::service
