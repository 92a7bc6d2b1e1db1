// domain/json/user_json.hpp — Discord v10 user and application objects, shared by the REST API
// and the gateway. Ids are strings; no password hash or token ever appears.
#pragma once

#include <boost/json/object.hpp>

#include "domain/user.hpp"

namespace chat::domain::json {

// `self`: the user's own view (/users/@me, READY), which adds email and account flags.
boost::json::object UserJson(const User& user, bool self = false);

}  // namespace chat::domain::json
