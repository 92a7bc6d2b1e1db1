#include "domain/json/user_json.hpp"

#include <boost/json.hpp>

namespace chat::domain::json {

boost::json::object UserJson(const User& user, bool self) {
  boost::json::object o;
  o.reserve(self ? 14 : 9);
  o["id"] = ToString(user.id);
  o["username"] = user.username;
  o["discriminator"] = "0";
  o["global_name"] = user.display_name ? boost::json::value(*user.display_name) : nullptr;
  o["avatar"] = user.avatar ? boost::json::value(*user.avatar) : nullptr;
  o["public_flags"] = user.flags;
  o["flags"] = user.flags;
  o["bot"] = user.bot;
  if (user.bot) o["system"] = false;
  if (self) {
    o["email"] = user.email.empty() ? boost::json::value(nullptr) : boost::json::value(user.email);
    o["verified"] = user.verified || user.bot;
    o["mfa_enabled"] = false;
    o["locale"] = "en-US";
    o["premium_type"] = 0;
  }
  return o;
}

}  // namespace chat::domain::json
