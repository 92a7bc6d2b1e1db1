// http/routes/interaction_routes.hpp — what the webhook routes hand over when the token in their
// path is an interaction's (an application answering a command through
// /webhooks/{application_id}/{interaction_token}…, as on Discord).
#pragma once

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "http/api.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace chat::http {

bool IsInteractionToken(std::string_view token);

// POST /webhooks/{application_id}/{token}: a followup message.
boost::asio::awaitable<Response> InteractionFollowup(Api& api, Context& ctx);
// GET, PATCH or DELETE /webhooks/{application_id}/{token}/messages/{@original|message_id}.
boost::asio::awaitable<Response> InteractionResponse(Api& api, Context& ctx, char method);

}  // namespace chat::http
