#include "bus/redis/event_codec.hpp"

#include <boost/json.hpp>

namespace chat::bus::redis {
namespace {

namespace json = boost::json;

constexpr int kMinIntent = static_cast<int>(Intent::kNone);
constexpr int kMaxIntent = 31;  // a gateway intents bitfield has 32 bits

Error Malformed(std::string what) { return Error::Validation("bus message: " + std::move(what)); }

// Snowflakes travel as JSON numbers; Boost.JSON keeps 64-bit unsigned values exact.
std::optional<domain::Snowflake> AsSnowflake(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<domain::Snowflake>(v.get_int64());
  return std::nullopt;
}

}  // namespace

std::string EncodeEvent(const Event& event, std::string_view node_id) {
  json::object o;
  o["v"] = kWireVersion;
  o["node"] = node_id;
  if (event.origin_seq != 0) o["seq"] = event.origin_seq;
  o["type"] = event.type;
  if (event.guild_id) o["guild_id"] = *event.guild_id;
  json::array recipients;
  recipients.reserve(event.recipients.size());
  for (auto id : event.recipients) recipients.emplace_back(id);
  o["recipients"] = std::move(recipients);
  o["intent"] = static_cast<int>(event.intent);
  o["payload"] = event.payload;
  if (event.author_id) o["author_id"] = *event.author_id;
  if (event.payload_without_content) o["payload_without_content"] = *event.payload_without_content;
  if (!event.mentioned.empty()) {
    json::array mentioned;
    for (auto id : event.mentioned) mentioned.emplace_back(id);
    o["mentioned"] = std::move(mentioned);
  }
  return json::serialize(o);
}

Result<WireEvent> DecodeEvent(std::string_view text) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // the payload is opaque bytes; do not judge its encoding
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec, {}, options);
  if (ec) return Malformed("not JSON: " + ec.message());
  const auto* o = parsed.if_object();
  if (!o) return Malformed("not an object");

  const auto* version = o->if_contains("v");
  if (!version || !version->is_int64()) return Malformed("no version");
  if (version->get_int64() != kWireVersion) {
    return Malformed("unsupported version " + std::to_string(version->get_int64()));
  }

  WireEvent out;
  const auto* node = o->if_contains("node");
  if (!node || !node->is_string() || node->get_string().empty()) return Malformed("no node id");
  out.node_id = node->get_string();
  out.event.origin = out.node_id;
  if (const auto* seq = o->if_contains("seq")) {
    if (seq->is_uint64()) {
      out.event.origin_seq = seq->get_uint64();
    } else if (seq->is_int64() && seq->get_int64() > 0) {
      out.event.origin_seq = static_cast<std::uint64_t>(seq->get_int64());
    } else {
      return Malformed("seq is not a positive integer");
    }
  }

  const auto* type = o->if_contains("type");
  if (!type || !type->is_string() || type->get_string().empty()) return Malformed("no type");
  out.event.type = type->get_string();

  if (const auto* guild = o->if_contains("guild_id")) {
    auto id = AsSnowflake(*guild);
    if (!id) return Malformed("guild_id is not an id");
    out.event.guild_id = *id;
  }

  const auto* recipients = o->if_contains("recipients");
  if (!recipients || !recipients->is_array()) return Malformed("no recipients");
  out.event.recipients.reserve(recipients->get_array().size());
  for (const auto& r : recipients->get_array()) {
    auto id = AsSnowflake(r);
    if (!id) return Malformed("a recipient is not an id");
    out.event.recipients.push_back(*id);
  }

  const auto* intent = o->if_contains("intent");
  if (!intent || !intent->is_int64() || intent->get_int64() < kMinIntent ||
      intent->get_int64() > kMaxIntent) {
    return Malformed("bad intent");
  }
  out.event.intent = static_cast<Intent>(intent->get_int64());

  const auto* payload = o->if_contains("payload");
  if (!payload || !payload->is_string()) return Malformed("no payload");
  out.event.payload = payload->get_string();

  if (const auto* author = o->if_contains("author_id")) {
    auto id = AsSnowflake(*author);
    if (!id) return Malformed("author_id is not an id");
    out.event.author_id = *id;
  }
  if (const auto* stripped = o->if_contains("payload_without_content")) {
    if (!stripped->is_string()) return Malformed("payload_without_content is not a string");
    out.event.payload_without_content = std::string(stripped->get_string());
  }
  if (const auto* mentioned = o->if_contains("mentioned")) {
    if (!mentioned->is_array()) return Malformed("mentioned is not an array");
    for (const auto& v : mentioned->get_array()) {
      auto id = AsSnowflake(v);
      if (!id) return Malformed("mentioned holds a non-id");
      out.event.mentioned.push_back(*id);
    }
  }
  return out;
}

}  // namespace chat::bus::redis
