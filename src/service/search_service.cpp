#include "service/search_service.hpp"

#include <algorithm>
#include <utility>

#include "domain/mentions.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"

namespace chat::service {

namespace perm = domain::perm;
using domain::Snowflake;

namespace {

constexpr std::uint64_t kReadHistory = perm::kViewChannel | perm::kReadMessageHistory;

}  // namespace

Result<void> ValidateSearch(const SearchRequest& request) {
  std::vector<FieldError> errors;
  if (request.content) {
    const std::string& c = *request.content;
    if (!domain::IsValidUtf8(c) || c.find('\0') != std::string::npos) {
      errors.push_back({"content", "STRING_TYPE_INVALID", "Must be valid UTF-8 without NUL."});
    } else if (domain::CountCodePoints(c) > kMaxSearchContentLength) {
      errors.push_back({"content", "BASE_TYPE_MAX_LENGTH", "Must be 1024 or fewer in length."});
    }
  }
  if (request.limit < 1 || request.limit > kMaxSearchLimit) {
    errors.push_back({"limit", "NUMBER_TYPE_MAX", "Must be an integer between 1 and 25."});
  }
  if (request.offset < 0 || request.offset > kMaxSearchOffset) {
    errors.push_back({"offset", "NUMBER_TYPE_MAX", "Must be an integer between 0 and 9975."});
  }
  if (errors.empty()) return {};
  return Error::Validation("Invalid Form Body", std::move(errors));
}

Result<SearchResult> SearchService::SearchGuild(Snowflake user_id, Snowflake guild_id,
                                                const SearchRequest& request) {
  if (auto valid = ValidateSearch(request); !valid) return valid.error();
  auto guild = access_.Guild(user_id, guild_id);
  if (!guild) return guild.error();
  auto channels = store_.ListChannels(guild_id);
  if (!channels) return channels.error();
  // One membership load for every channel: the same computation AccessService::Channel makes
  // per channel, over the GuildAccess it gave us.
  const std::int64_t now = access_.Now();
  std::vector<Snowflake> readable;
  for (const auto& channel : *channels) {
    const std::uint64_t held =
        domain::ComputePermissions(guild->guild, guild->roles, guild->member, channel, now);
    if (perm::Has(held, kReadHistory)) readable.push_back(channel.id);
  }
  // Threads too, under their parent's permissions and the thread rules (a private thread only
  // for its members and moderators).
  auto threads = store_.ListThreadAccess(guild_id, user_id);
  if (!threads) return threads.error();
  for (const auto& row : *threads) {
    auto parent = std::find_if(channels->begin(), channels->end(),
                               [&](const domain::Channel& c) { return row.parent_id == c.id; });
    if (parent == channels->end()) continue;
    domain::Channel thread;  // what the thread rules read of it
    thread.id = row.id;
    thread.guild_id = guild_id;
    thread.type = row.type;
    thread.parent_id = row.parent_id;
    domain::ThreadMetadata meta;
    meta.locked = row.locked;
    thread.thread = meta;
    const std::uint64_t held = domain::ComputeThreadPermissions(
        guild->guild, guild->roles, guild->member, *parent, thread, row.joined, now);
    if (perm::Has(held, kReadHistory)) readable.push_back(row.id);
  }
  return Run(user_id, guild_id, std::move(readable), request);
}

Result<SearchResult> SearchService::SearchChannel(Snowflake user_id, Snowflake channel_id,
                                                  const SearchRequest& request) {
  if (auto valid = ValidateSearch(request); !valid) return valid.error();
  auto access = access_.RequireChannel(user_id, channel_id, kReadHistory);
  if (!access) return access.error();
  return Run(user_id, access->channel.guild_id, {channel_id}, request);
}

Result<SearchResult> SearchService::Run(Snowflake user_id, std::optional<Snowflake> guild_id,
                                        std::vector<Snowflake> channel_ids,
                                        const SearchRequest& request) {
  if (!request.channel_ids.empty()) {
    // Naming a channel narrows the search; it never widens it past what the user may read.
    std::erase_if(channel_ids, [&](Snowflake id) {
      return std::find(request.channel_ids.begin(), request.channel_ids.end(), id) ==
             request.channel_ids.end();
    });
  }
  store::SearchQuery query;
  query.channel_ids = std::move(channel_ids);
  query.content = request.content;
  query.author_ids = request.author_ids;
  query.mentions = request.mentions;
  query.min_id = request.min_id;
  query.max_id = request.max_id;
  query.ascending = request.ascending;
  query.limit = request.limit;
  query.offset = request.offset;
  auto page = store_.SearchMessages(query);
  if (!page) return page.error();

  std::vector<domain::Message> found;
  found.reserve(page->hits.size());
  for (const auto& hit : page->hits) {
    auto message = store_.GetMessage(hit.channel_id, hit.message_id);
    if (!message) {
      if (message.error().code == Errc::kNotFound) continue;  // deleted since the search
      return message.error();
    }
    found.push_back(std::move(*message));
  }
  auto views = messages_.Render(user_id, guild_id, found);
  if (!views) return views.error();
  return SearchResult{page->total, std::move(*views)};
}

}  // namespace chat::service
