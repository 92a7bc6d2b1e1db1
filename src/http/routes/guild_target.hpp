// http/routes/guild_target.hpp — what the routes of a guild's own things
// (/guilds/{guild_id}/emojis, /stickers, /scheduled-events, each optionally /{id}) first read: who
// asks, the guild and, on the routes of one item, that item's id.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "http/api.hpp"
#include "http/router.hpp"

namespace chat::http {

struct GuildTarget {
  domain::Snowflake user_id = 0;
  domain::Snowflake guild_id = 0;
  domain::Snowflake item_id = 0;  // 0 on the list routes
};

// 401 without a valid token; 404 Unknown Guild for a malformed {guild_id}. With `item_param`,
// also that path parameter, `unknown` when it is not an id.
boost::asio::awaitable<Result<GuildTarget>> ResolveGuildTarget(Api& api, Context& ctx,
                                                               const char* item_param = nullptr,
                                                               const Error* unknown = nullptr);

}  // namespace chat::http
