#include "gateway/session_record.hpp"

#include <boost/json.hpp>

namespace chat::gateway {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxSessionIdBytes = 64;
constexpr std::int64_t kMaxShards = 1024;

Error Malformed(std::string what) {
  return Error::Validation("session record: " + std::move(what));
}

std::optional<std::uint64_t> AsUnsigned(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

std::optional<std::int64_t> AsSigned(const json::value* v) {
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

const json::string* AsString(const json::value* v) { return v ? v->if_string() : nullptr; }

}  // namespace

std::string SessionRecordKey(domain::Snowflake user, std::string_view session_id) {
  std::string key = "chat:session:";
  key += std::to_string(user);
  key += ':';
  key += session_id;
  return key;
}

std::vector<RecordedDispatch> RecordReplay(const std::vector<Dispatch>& replay) {
  std::vector<RecordedDispatch> out;
  out.reserve(replay.size());
  for (const auto& d : replay) out.push_back({d.seq, d.at_ms, d.event->type, d.Payload()});
  return out;
}

std::vector<Dispatch> RestoreReplay(const std::vector<RecordedDispatch>& replay) {
  std::vector<Dispatch> out;
  out.reserve(replay.size());
  for (const auto& r : replay) {
    auto e = std::make_shared<bus::Event>();
    e->type = r.type;
    e->payload = r.payload;
    out.push_back(Dispatch{r.seq, r.at_ms, std::move(e), false});
  }
  return out;
}

std::string EncodeSessionRecord(const SessionRecord& r) {
  json::object o;
  o["v"] = kSessionRecordVersion;
  o["id"] = r.info.id;
  o["user"] = r.info.user_id;
  o["bot"] = r.info.bot;
  o["intents"] = r.info.intents;
  o["shard"] = json::array{r.info.shard_id, r.info.shard_count};
  o["seq"] = r.seq;
  o["at"] = r.point.at_ms;
  json::object clock;
  for (const auto& [origin, seq] : r.point.clock) clock[origin] = seq;
  o["clock"] = std::move(clock);
  json::value activities;
  boost::system::error_code ec;
  activities = json::parse(r.presence.activities_json, ec);
  if (ec || !activities.is_array()) activities = json::array();
  o["presence"] = json::object{{"status", r.presence.status}, {"activities", activities}};
  json::array replay;
  replay.reserve(r.replay.size());
  for (const auto& d : r.replay) {
    replay.push_back(json::object{{"s", d.seq}, {"at", d.at_ms}, {"t", d.type}, {"d", d.payload}});
  }
  o["replay"] = std::move(replay);
  return json::serialize(o);
}

Result<SessionRecord> DecodeSessionRecord(std::string_view text) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // payloads are passed on as they were sent
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec, {}, options);
  if (ec) return Malformed("not JSON: " + ec.message());
  const auto* o = parsed.if_object();
  if (!o) return Malformed("not an object");
  const auto version = AsSigned(o->if_contains("v"));
  if (!version || *version != kSessionRecordVersion) return Malformed("unsupported version");

  SessionRecord r;
  const auto* id = AsString(o->if_contains("id"));
  if (!id || id->empty() || id->size() > kMaxSessionIdBytes) return Malformed("bad id");
  r.info.id = *id;
  const auto user = AsUnsigned(o->if_contains("user"));
  if (!user || *user == 0) return Malformed("bad user");
  r.info.user_id = *user;
  const auto* bot = o->if_contains("bot");
  if (!bot || !bot->is_bool()) return Malformed("bad bot");
  r.info.bot = bot->get_bool();
  const auto intents = AsUnsigned(o->if_contains("intents"));
  if (!intents || *intents > 0xFFFFFFFFu) return Malformed("bad intents");
  r.info.intents = *intents;
  const auto* shard = o->if_contains("shard");
  if (!shard || !shard->is_array() || shard->get_array().size() != 2) return Malformed("bad shard");
  const auto shard_id = AsSigned(&shard->get_array()[0]);
  const auto shard_count = AsSigned(&shard->get_array()[1]);
  if (!shard_id || !shard_count || *shard_count < 1 || *shard_count > kMaxShards || *shard_id < 0 ||
      *shard_id >= *shard_count) {
    return Malformed("bad shard");
  }
  r.info.shard_id = static_cast<int>(*shard_id);
  r.info.shard_count = static_cast<int>(*shard_count);
  const auto seq = AsUnsigned(o->if_contains("seq"));
  if (!seq) return Malformed("bad seq");
  r.seq = *seq;
  const auto at = AsSigned(o->if_contains("at"));
  if (!at) return Malformed("bad at");
  r.point.at_ms = *at;

  const auto* clock = o->if_contains("clock");
  if (!clock || !clock->is_object()) return Malformed("bad clock");
  for (const auto& [origin, value] : clock->get_object()) {
    const auto n = AsUnsigned(&value);
    if (origin.empty() || !n) return Malformed("bad clock entry");
    r.point.clock.emplace(std::string(origin), *n);
  }

  const auto* presence = o->if_contains("presence");
  auto parsed_presence = presence ? ParsePresence(*presence) : std::nullopt;
  if (!parsed_presence) return Malformed("bad presence");
  r.presence = std::move(*parsed_presence);

  const auto* replay = o->if_contains("replay");
  if (!replay || !replay->is_array()) return Malformed("bad replay");
  const auto& entries = replay->get_array();
  if (entries.size() > r.seq) return Malformed("replay longer than seq");
  std::uint64_t expected = r.seq - entries.size() + 1;
  r.replay.reserve(entries.size());
  for (const auto& entry : entries) {
    const auto* e = entry.if_object();
    if (!e) return Malformed("bad replay entry");
    const auto s = AsUnsigned(e->if_contains("s"));
    const auto entry_at = AsSigned(e->if_contains("at"));
    const auto* type = AsString(e->if_contains("t"));
    const auto* payload = AsString(e->if_contains("d"));
    if (!s || *s != expected || !entry_at || !type || type->empty() || !payload) {
      return Malformed("bad replay entry");
    }
    r.replay.push_back({*s, *entry_at, std::string(*type), std::string(*payload)});
    ++expected;
  }
  return r;
}

}  // namespace chat::gateway
