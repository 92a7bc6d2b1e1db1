#include "domain/json/message_json.hpp"

#include <boost/json.hpp>

#include "domain/json/poll_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"

namespace chat::domain::json {
namespace {

boost::json::array Ids(const std::vector<Snowflake>& ids) {
  boost::json::array a;
  for (Snowflake id : ids) a.emplace_back(ToString(id));
  return a;
}

// Embeds and components are validated on the way in; a row that somehow does not parse shows
// none.
boost::json::array StoredArray(const std::string& stored) {
  // Most messages have none: no parser for them (it costs more than the rest of the message).
  if (stored.empty() || stored == "[]") return {};
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(stored, ec);
  if (ec || !v.is_array()) return {};
  return std::move(v.as_array());
}

}  // namespace

boost::json::object AttachmentJson(const Attachment& a) {
  boost::json::object o;
  o["id"] = ToString(a.id);
  o["filename"] = a.filename;
  if (a.description) o["description"] = *a.description;
  o["content_type"] = a.content_type;
  o["size"] = a.size;
  o["url"] = a.url;
  o["proxy_url"] = a.url;
  if (a.width && a.height) {
    o["width"] = *a.width;
    o["height"] = *a.height;
  }
  return o;
}

boost::json::object MessageJson(const MessageData& data) {
  const Message& m = data.message;
  boost::json::object o;
  o.reserve(26);  // every field below, without rehashing on the way
  o["id"] = ToString(m.id);
  o["channel_id"] = ToString(m.channel_id);
  if (m.webhook_id) {
    // Discord's webhook author: the webhook's id, the name and avatar it posted under.
    o["author"] = boost::json::object{
        {"id", ToString(*m.webhook_id)},
        {"username", m.webhook_name},
        {"discriminator", "0000"},
        {"global_name", nullptr},
        {"avatar", m.webhook_avatar ? boost::json::value(*m.webhook_avatar) : nullptr},
        {"public_flags", 0},
        {"flags", 0},
        {"bot", true}};
    o["webhook_id"] = ToString(*m.webhook_id);
  } else {
    o["author"] = UserJson(data.author);
  }
  o["content"] = m.content;
  o["timestamp"] = IsoTimestamp(m.created_at_ms ? m.created_at_ms : SnowflakeUnixMs(m.id));
  o["edited_timestamp"] =
      m.edited_at_ms ? boost::json::value(IsoTimestamp(*m.edited_at_ms)) : nullptr;
  o["tts"] = m.tts;
  o["mention_everyone"] = m.mention_everyone;
  boost::json::array mentions;
  for (const User& u : data.mentions) mentions.emplace_back(UserJson(u));
  o["mentions"] = std::move(mentions);
  o["mention_roles"] = Ids(m.mention_role_ids);
  boost::json::array attachments;
  for (const Attachment& a : data.attachments) attachments.emplace_back(AttachmentJson(a));
  o["attachments"] = std::move(attachments);
  o["embeds"] = StoredArray(m.embeds_json);
  o["components"] = StoredArray(m.components_json);
  o["pinned"] = m.pinned;
  o["type"] = m.type;
  o["flags"] = m.flags;
  if (m.nonce) o["nonce"] = *m.nonce;
  if (m.poll_json) o["poll"] = PollJson(*m.poll_json, data.poll);
  if (m.stickers_json) o["sticker_items"] = StoredArray(*m.stickers_json);
  if (m.interaction_json) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(*m.interaction_json, ec);
    if (!ec && v.is_object()) {
      boost::json::object& meta = v.as_object();
      o["interaction"] = boost::json::object{{"id", meta["id"]},
                                             {"type", meta["type"]},
                                             {"name", meta["name"]},
                                             {"user", meta["user"]}};
      meta.erase("name");
      o["interaction_metadata"] = std::move(meta);
    }
  }
  if (!data.reactions.empty()) {
    boost::json::array reactions;
    for (const ReactionCount& r : data.reactions) {
      boost::json::object emoji{
          {"id", r.emoji_id ? boost::json::value(ToString(*r.emoji_id)) : nullptr},
          {"name", r.emoji_name}};
      reactions.emplace_back(boost::json::object{
          {"count", r.count},
          {"count_details", boost::json::object{{"burst", 0}, {"normal", r.count}}},
          {"me", r.me},
          {"me_burst", false},
          {"burst_colors", boost::json::array()},
          {"emoji", std::move(emoji)}});
    }
    o["reactions"] = std::move(reactions);
  }
  if (m.forward_json) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(*m.forward_json, ec);
    const auto* f = !ec ? v.if_object() : nullptr;
    if (f && f->contains("message_reference") && f->contains("snapshot")) {
      o["message_reference"] = f->at("message_reference");
      o["message_snapshots"] =
          boost::json::array{boost::json::object{{"message", f->at("snapshot")}}};
    }
  }
  if (m.crosspost) {
    o["message_reference"] = boost::json::object{{"type", 0},
                                                 {"message_id", ToString(m.crosspost->message_id)},
                                                 {"channel_id", ToString(m.crosspost->channel_id)},
                                                 {"guild_id", ToString(m.crosspost->guild_id)}};
  }
  if (m.referenced_message_id) {
    boost::json::object ref{{"type", 0},
                            {"message_id", ToString(*m.referenced_message_id)},
                            {"channel_id", ToString(m.channel_id)}};
    if (data.guild_id) ref["guild_id"] = ToString(*data.guild_id);
    o["message_reference"] = std::move(ref);
    // Discord documents null here for a reply whose original was deleted.
    o["referenced_message"] =
        data.referenced ? boost::json::value(MessageJson(*data.referenced)) : nullptr;
  }
  return o;
}

std::string ForwardJson(const boost::json::object& source, Snowflake channel_id,
                        std::optional<Snowflake> guild_id) {
  // Forwarding a forward passes on what it carries: the original message, as it was.
  if (const auto* snapshots = source.if_contains("message_snapshots");
      snapshots && snapshots->is_array() && !snapshots->as_array().empty()) {
    const auto* inner = snapshots->as_array()[0].is_object()
                            ? snapshots->as_array()[0].as_object().if_contains("message")
                            : nullptr;
    const auto* ref = source.if_contains("message_reference");
    if (inner && ref) {
      return boost::json::serialize(
          boost::json::object{{"message_reference", *ref}, {"snapshot", *inner}});
    }
  }
  boost::json::object ref{{"type", kMessageReferenceForward},
                          {"message_id", source.at("id")},
                          {"channel_id", ToString(channel_id)}};
  if (guild_id) ref["guild_id"] = ToString(*guild_id);
  boost::json::object snapshot;
  for (std::string_view key :
       {"type", "content", "embeds", "attachments", "timestamp", "edited_timestamp", "flags",
        "mentions", "mention_roles", "components", "sticker_items"}) {
    if (const auto* v = source.if_contains(key)) snapshot[key] = *v;
  }
  return boost::json::serialize(boost::json::object{{"message_reference", std::move(ref)},
                                                    {"snapshot", std::move(snapshot)}});
}

boost::json::object WithoutContent(boost::json::object message) {
  message["content"] = "";
  message["embeds"] = boost::json::array();
  message["attachments"] = boost::json::array();
  message["components"] = boost::json::array();
  message.erase("poll");
  if (auto* snapshots = message.if_contains("message_snapshots");
      snapshots && snapshots->is_array()) {
    for (auto& s : snapshots->as_array()) {
      auto* inner = s.is_object() ? s.as_object().if_contains("message") : nullptr;
      if (inner && inner->is_object()) *inner = WithoutContent(std::move(inner->as_object()));
    }
  }
  if (auto* ref = message.if_contains("referenced_message"); ref && ref->is_object()) {
    *ref = WithoutContent(std::move(ref->as_object()));
  }
  return message;
}

}  // namespace chat::domain::json
