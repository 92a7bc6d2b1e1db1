#include "http/routes/guild_target.hpp"

#include "http/routes/community_fields.hpp"
#include "store/errors.hpp"

namespace chat::http {

boost::asio::awaitable<Result<GuildTarget>> ResolveGuildTarget(Api& api, Context& ctx,
                                                               const char* item_param,
                                                               const Error* unknown) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  auto guild = PathId(ctx, "guild_id", store::UnknownGuild());
  if (!guild) co_return guild.error();
  GuildTarget t{who->user_id, *guild, 0};
  if (item_param != nullptr) {
    auto item = PathId(ctx, item_param, unknown ? *unknown : Error::NotFound("404: Not Found"));
    if (!item) co_return item.error();
    t.item_id = *item;
  }
  co_return t;
}

}  // namespace chat::http
