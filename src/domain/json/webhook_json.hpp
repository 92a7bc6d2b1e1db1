// domain/json/webhook_json.hpp — Discord's webhook object (type 1, incoming).
#pragma once

#include <boost/json/object.hpp>

#include "domain/user.hpp"
#include "domain/webhook.hpp"

namespace chat::domain::json {

// `creator`, when given, is the object's `user`. The token is a secret: only those who may manage
// the webhook (MANAGE_WEBHOOKS, or the token's holder) are shown it.
boost::json::object WebhookJson(const Webhook& webhook, const User* creator, bool with_token);

}  // namespace chat::domain::json
