#include "gateway/session_record.hpp"

#include <boost/json.hpp>

namespace chat::gateway {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxSessionIdBytes = 64;
constexpr std::int64_t kMaxShards = 1024;
constexpr std::size_t kMaxVoiceStates = 1000;  // one per guild the user is in at most

Error BadRecord(std::string what) {
  return Error::Validation("session record: " + std::move(what));
}

std::optional<std::uint64_t> UnsignedAt(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

std::optional<std::int64_t> SignedAt(const json::value* v) {
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

const json::string* StringAt(const json::value* v) { return v ? v->if_string() : nullptr; }

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
  o["token_version"] = r.info.token_version;
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
  json::array voice;
  for (const auto& s : r.voice) voice.push_back(json::string(EncodeVoiceState(s)));
  o["voice"] = std::move(voice);
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
  if (ec) return BadRecord("not JSON: " + ec.message());
  const auto* o = parsed.if_object();
  if (!o) return BadRecord("not an object");
  const auto version = SignedAt(o->if_contains("v"));
  if (!version || *version != kSessionRecordVersion) return BadRecord("unsupported version");

  SessionRecord r;
  const auto* id = StringAt(o->if_contains("id"));
  if (!id || id->empty() || id->size() > kMaxSessionIdBytes) return BadRecord("bad id");
  r.info.id = *id;
  const auto user = UnsignedAt(o->if_contains("user"));
  if (!user || *user == 0) return BadRecord("bad user");
  r.info.user_id = *user;
  const auto* bot = o->if_contains("bot");
  if (!bot || !bot->is_bool()) return BadRecord("bad bot");
  r.info.bot = bot->get_bool();
  const auto intents = UnsignedAt(o->if_contains("intents"));
  if (!intents || *intents > 0xFFFFFFFFu) return BadRecord("bad intents");
  r.info.intents = *intents;
  const auto* shard = o->if_contains("shard");
  if (!shard || !shard->is_array() || shard->get_array().size() != 2) return BadRecord("bad shard");
  const auto shard_id = SignedAt(&shard->get_array()[0]);
  const auto shard_count = SignedAt(&shard->get_array()[1]);
  if (!shard_id || !shard_count || *shard_count < 1 || *shard_count > kMaxShards || *shard_id < 0 ||
      *shard_id >= *shard_count) {
    return BadRecord("bad shard");
  }
  r.info.shard_id = static_cast<int>(*shard_id);
  r.info.shard_count = static_cast<int>(*shard_count);
  // Absent in records written before token versions existed: those sessions had version 0.
  if (const auto* tv = o->if_contains("token_version")) {
    const auto token_version = SignedAt(tv);
    if (!token_version || *token_version < 0) return BadRecord("bad token_version");
    r.info.token_version = *token_version;
  }
  const auto seq = UnsignedAt(o->if_contains("seq"));
  if (!seq) return BadRecord("bad seq");
  r.seq = *seq;
  const auto at = SignedAt(o->if_contains("at"));
  if (!at) return BadRecord("bad at");
  r.point.at_ms = *at;

  const auto* clock = o->if_contains("clock");
  if (!clock || !clock->is_object()) return BadRecord("bad clock");
  for (const auto& [origin, value] : clock->get_object()) {
    const auto n = UnsignedAt(&value);
    if (origin.empty() || !n) return BadRecord("bad clock entry");
    r.point.clock.emplace(std::string(origin), *n);
  }

  const auto* presence = o->if_contains("presence");
  auto parsed_presence = presence ? ParsePresence(*presence) : std::nullopt;
  if (!parsed_presence) return BadRecord("bad presence");
  r.presence = std::move(*parsed_presence);
  if (const auto* voice = o->if_contains("voice")) {
    if (!voice->is_array() || voice->get_array().size() > kMaxVoiceStates) {
      return BadRecord("bad voice");
    }
    for (const auto& item : voice->get_array()) {
      auto state = item.is_string() ? DecodeVoiceState(item.get_string()) : std::nullopt;
      // Only states of this session and user: a record cannot move someone else's.
      if (!state || state->session_id != r.info.id || state->user_id != r.info.user_id) {
        return BadRecord("bad voice");
      }
      r.voice.push_back(std::move(*state));
    }
  }

  const auto* replay = o->if_contains("replay");
  if (!replay || !replay->is_array()) return BadRecord("bad replay");
  const auto& entries = replay->get_array();
  if (entries.size() > r.seq) return BadRecord("replay longer than seq");
  std::uint64_t expected = r.seq - entries.size() + 1;
  r.replay.reserve(entries.size());
  for (const auto& entry : entries) {
    const auto* e = entry.if_object();
    if (!e) return BadRecord("bad replay entry");
    const auto s = UnsignedAt(e->if_contains("s"));
    const auto entry_at = SignedAt(e->if_contains("at"));
    const auto* type = StringAt(e->if_contains("t"));
    const auto* payload = StringAt(e->if_contains("d"));
    if (!s || *s != expected || !entry_at || !type || type->empty() || !payload) {
      return BadRecord("bad replay entry");
    }
    r.replay.push_back({*s, *entry_at, std::string(*type), std::string(*payload)});
    ++expected;
  }
  return r;
}

}  // namespace chat::gateway
