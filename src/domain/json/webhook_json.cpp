#include "domain/json/webhook_json.hpp"

#include "domain/json/user_json.hpp"

namespace chat::domain::json {

boost::json::object WebhookJson(const Webhook& w, const User* creator, bool with_token,
                                const WebhookSource* source) {
  boost::json::object o{{"id", ToString(w.id)},
                        {"type", w.type},
                        {"guild_id", ToString(w.guild_id)},
                        {"channel_id", ToString(w.channel_id)},
                        {"name", w.name},
                        {"avatar", w.avatar ? boost::json::value(*w.avatar) : nullptr},
                        {"application_id", nullptr}};
  if (with_token && w.type == kWebhookIncoming) o["token"] = w.token;
  if (creator) o["user"] = UserJson(*creator);
  if (source) {
    o["source_guild"] = {
        {"id", ToString(source->guild_id)},
        {"name", source->guild_name},
        {"icon", source->guild_icon ? boost::json::value(*source->guild_icon) : nullptr}};
    o["source_channel"] = {{"id", ToString(source->channel_id)}, {"name", source->channel_name}};
  }
  return o;
}

}  // namespace chat::domain::json
