// http/routes/search_routes.cpp — message search: GET /guilds/{guild_id}/messages/search and
// GET /channels/{channel_id}/messages/search (one channel or DM). Query parameters follow
// Discord's (content, author_id and channel_id repeatable, mentions, min_id/max_id, before/after
// as the issue names them, limit, offset, sort_by, sort_order); a malformed one is 400 50035.
// Registered before the message routes, so "search" is never read as a message id.
#include <charconv>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "http/error_response.hpp"
#include "http/routes/routes.hpp"
#include "service/search_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

Result<service::SearchRequest> ParseSearchQuery(const Request& request) {
  service::SearchRequest out;
  std::vector<FieldError> errors;
  auto snowflake = [&](const std::string& name,
                       const std::string& text) -> std::optional<Snowflake> {
    auto id = domain::ParseSnowflake(text);
    if (!id)
      errors.push_back({name, "NUMBER_TYPE_COERCE", "Value \"" + text + "\" is not snowflake."});
    return id;
  };
  auto integer = [&](const std::string& name, const std::string& text, int& slot) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, slot);
    if (text.empty() || ec != std::errc() || ptr != end) {
      errors.push_back({name, "NUMBER_TYPE_COERCE", "Value \"" + text + "\" is not int."});
    }
  };
  // The tighter of each pair of bounds wins: min_id/after below, max_id/before above.
  auto lower = [&](Snowflake id) { out.min_id = out.min_id ? std::max(*out.min_id, id) : id; };
  auto upper = [&](Snowflake id) { out.max_id = out.max_id ? std::min(*out.max_id, id) : id; };

  for (const auto& [name, value] : ParseForm(request.query)) {
    if (name == "content") {
      if (!out.content) out.content = value;
    } else if (name == "author_id") {
      if (auto id = snowflake(name, value)) out.author_ids.push_back(*id);
    } else if (name == "channel_id") {
      if (auto id = snowflake(name, value)) out.channel_ids.push_back(*id);
    } else if (name == "mentions") {
      if (auto id = snowflake(name, value)) out.mentions = *id;
    } else if (name == "min_id" || name == "after") {
      if (auto id = snowflake(name, value)) lower(*id);
    } else if (name == "max_id" || name == "before") {
      if (auto id = snowflake(name, value)) upper(*id);
    } else if (name == "limit") {
      integer(name, value, out.limit);
    } else if (name == "offset") {
      integer(name, value, out.offset);
    } else if (name == "sort_order") {
      if (value == "asc" || value == "desc") {
        out.ascending = value == "asc";
      } else {
        errors.push_back({name, "BASE_TYPE_CHOICES", "Value must be one of ('asc', 'desc')."});
      }
    } else if (name == "sort_by") {
      // Results are ordered by id (time) either way: there is no relevance score.
      if (value != "timestamp" && value != "relevance") {
        errors.push_back(
            {name, "BASE_TYPE_CHOICES", "Value must be one of ('timestamp', 'relevance')."});
      }
    }
    // Other Discord filters (has, embed_type, pinned, include_nsfw…) are accepted and ignored.
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  if (auto valid = service::ValidateSearch(out); !valid) return valid.error();
  return out;
}

json::object ResultJson(Api& api, service::SearchResult& result) {
  json::array messages;
  messages.reserve(result.messages.size());
  // Each hit is an array of one message: Discord once sent surrounding context there.
  for (auto& view : result.messages) messages.emplace_back(json::array{std::move(view.json)});
  return json::object{{"total_results", result.total},
                      {"messages", std::move(messages)},
                      {"threads", json::array()},
                      {"members", json::array()},
                      {"doing_deep_historical_index", false},
                      {"analytics_id", domain::ToString(api.ids->Next())}};
}

// `guild`: the guild route; otherwise the one-channel route.
Awaitable Search(Api& api, Context& ctx, bool guild) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto id = domain::ParseSnowflake(ctx.Param(guild ? "guild_id" : "channel_id"));
  if (!id) {
    Error unknown = guild ? store::UnknownGuild() : store::UnknownChannel();
    co_return ErrorResponse(unknown);
  }
  auto request = ParseSearchQuery(ctx.request);
  if (!request) co_return ErrorResponse(request.error());
  auto result = co_await api.db.Run([&] {
    return guild ? api.search->SearchGuild(who->user_id, *id, *request)
                 : api.search->SearchChannel(who->user_id, *id, *request);
  });
  if (!result) co_return ErrorResponse(result.error());
  co_return Response::Json(200, ResultJson(api, *result));
}

}  // namespace

void AddSearchRoutes(Router& router, Api& api) {
  router.Add("GET", "/guilds/{guild_id}/messages/search",
             [&api](Context& c) { return Search(api, c, true); });
  router.Add("GET", "/channels/{channel_id}/messages/search",
             [&api](Context& c) { return Search(api, c, false); });
}

}  // namespace chat::http
