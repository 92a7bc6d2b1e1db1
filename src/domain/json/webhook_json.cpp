#include "domain/json/webhook_json.hpp"

#include "domain/json/user_json.hpp"

namespace chat::domain::json {

boost::json::object WebhookJson(const Webhook& w, const User* creator, bool with_token) {
  boost::json::object o{{"id", ToString(w.id)},
                        {"type", 1},
                        {"guild_id", ToString(w.guild_id)},
                        {"channel_id", ToString(w.channel_id)},
                        {"name", w.name},
                        {"avatar", w.avatar ? boost::json::value(*w.avatar) : nullptr},
                        {"application_id", nullptr}};
  if (with_token) o["token"] = w.token;
  if (creator) o["user"] = UserJson(*creator);
  return o;
}

}  // namespace chat::domain::json
