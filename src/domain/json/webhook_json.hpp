// domain/json/webhook_json.hpp — Discord's webhook object: incoming (type 1) or channel follower
// (type 2, with source_guild and source_channel and never a token).
#pragma once

#include <boost/json/object.hpp>

#include "domain/user.hpp"
#include "domain/webhook.hpp"

namespace chat::domain::json {

// `creator`, when given, is the object's `user`. The token is a secret: only those who may manage
// an incoming webhook (MANAGE_WEBHOOKS, or the token's holder) are shown it. `source`: what a
// channel follower follows, when that channel is still there.
boost::json::object WebhookJson(const Webhook& webhook, const User* creator, bool with_token,
                                const WebhookSource* source = nullptr);

}  // namespace chat::domain::json
