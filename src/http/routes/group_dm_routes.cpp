// http/routes/group_dm_routes.cpp — a group DM's recipients
// (PUT/DELETE /channels/{channel_id}/recipients/{user_id}) and its icon, served public at
// /channel-icons/{channel_id}/{hash}.{ext} as on Discord's CDN. Making one is POST
// /users/@me/channels (message_routes); renaming and leaving are PATCH and DELETE
// /channels/{channel_id} (channel_routes). Glue only: GroupDmService holds the rules.
#include "http/error_response.hpp"
#include "http/routes/community_fields.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/stored_image_route.hpp"
#include "service/group_dm_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

// PUT adds the user (Discord's access_token and nick, for OAuth2 joins, are not needed: any
// recipient may add anyone); DELETE removes them. 204 either way.
Awaitable Recipient(Api& api, Context& ctx, bool add) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = PathId(ctx, "channel_id", store::UnknownChannel());
  if (!channel) co_return ErrorResponse(channel.error());
  auto user = PathId(ctx, "user_id", store::UnknownUser());
  if (!user) co_return ErrorResponse(user.error());
  auto done = co_await api.db.Run([&] {
    return add ? api.group_dms->AddRecipient(who->user_id, *channel, *user)
               : api.group_dms->RemoveRecipient(who->user_id, *channel, *user);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable Icon(Api& api, Context& ctx) {
  return ServeStoredImage(api, ctx, "channel_id", [&api](Snowflake id, const std::string& hash) {
    return api.group_dms->Icon(id, hash);
  });
}

}  // namespace

void AddGroupDmRoutes(Router& router, Api& api) {
  constexpr const char* kRecipient = "/channels/{channel_id}/recipients/{user_id}";
  router.Add("PUT", kRecipient, [&api](Context& c) { return Recipient(api, c, true); });
  router.Add("DELETE", kRecipient, [&api](Context& c) { return Recipient(api, c, false); });
  router.Add("GET", "/channel-icons/{channel_id}/{file}",
             [&api](Context& c) { return Icon(api, c); });
}

}  // namespace chat::http
