#include "gateway/protocol.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace chat::gateway {
namespace {

namespace bj = boost::json;

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && p == s.data() + i + 3) {
        out.push_back(static_cast<char>(v));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

// A non-negative integer JSON value (clients send intents and seq as numbers; some send the
// decimal text).
std::optional<std::uint64_t> AsUnsigned(const bj::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  if (v.is_string()) {
    std::uint64_t out = 0;
    const auto& s = v.get_string();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return out;
  }
  return std::nullopt;
}

std::optional<std::string> OptString(const bj::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::variant<Command, CloseCode> ParseIdentify(const bj::value* d) {
  if (!d || !d->is_object()) return CloseCode::kDecodeError;
  const auto& o = d->get_object();
  Identify id;
  if (auto* v = o.if_contains("token"); v && !v->is_null()) {
    if (!v->is_string()) return CloseCode::kDecodeError;
    id.token = std::string(v->get_string());
  }
  if (auto* v = o.if_contains("intents"); v && !v->is_null()) {
    auto intents = AsUnsigned(*v);
    if (!intents) return CloseCode::kInvalidIntents;
    id.intents = *intents;
  }
  if (auto* v = o.if_contains("large_threshold"); v && !v->is_null()) {
    auto n = AsUnsigned(*v);
    if (!n) return CloseCode::kDecodeError;
    id.large_threshold = static_cast<int>(std::clamp<std::uint64_t>(*n, 50, 250));
  }
  if (auto* v = o.if_contains("compress"); v && v->is_bool()) id.compress = v->get_bool();
  if (auto* v = o.if_contains("presence"); v && !v->is_null()) {
    id.presence = ParsePresence(*v);
    if (!id.presence) return CloseCode::kDecodeError;
  }
  if (auto* v = o.if_contains("shard"); v && !v->is_null()) {
    if (!v->is_array() || v->get_array().size() != 2) return CloseCode::kInvalidShard;
    auto a = AsUnsigned(v->get_array()[0]);
    auto b = AsUnsigned(v->get_array()[1]);
    if (!a || !b || *b == 0 || *a >= *b || *b > 1024) return CloseCode::kInvalidShard;
    id.shard = std::pair<int, int>(static_cast<int>(*a), static_cast<int>(*b));
  }
  return Command{std::move(id)};
}

std::variant<Command, CloseCode> ParseResume(const bj::value* d) {
  if (!d || !d->is_object()) return CloseCode::kDecodeError;
  const auto& o = d->get_object();
  Resume r;
  auto token = OptString(o, "token");
  auto session = OptString(o, "session_id");
  if (!token || !session) return CloseCode::kDecodeError;
  r.token = std::move(*token);
  r.session_id = std::move(*session);
  if (auto* v = o.if_contains("seq"); v && !v->is_null()) {
    auto seq = AsUnsigned(*v);
    if (!seq) return CloseCode::kDecodeError;
    r.seq = *seq;
  }
  return Command{std::move(r)};
}

std::variant<Command, CloseCode> ParseClientMessage(const bj::object& root, const bj::value* d) {
  auto* t = root.if_contains("t");
  if (!t || !t->is_string() || t->get_string() != "MESSAGE_CREATE") {
    return CloseCode::kUnknownOpcode;
  }
  if (!d || !d->is_object()) return CloseCode::kDecodeError;
  const auto& o = d->get_object();
  ClientMessage m;
  auto* channel = o.if_contains("channel_id");
  if (!channel) return CloseCode::kDecodeError;
  if (channel->is_string()) {
    m.channel_id = std::string(channel->get_string());
  } else if (auto n = AsUnsigned(*channel)) {
    m.channel_id = std::to_string(*n);
  } else {
    return CloseCode::kDecodeError;
  }
  if (auto* v = o.if_contains("content"); v && !v->is_null()) {
    if (!v->is_string()) return CloseCode::kDecodeError;
    m.content = std::string(v->get_string());
  }
  if (auto* v = o.if_contains("nonce"); v && !v->is_null()) {
    if (v->is_string()) {
      m.nonce = std::string(v->get_string());
    } else if (v->is_int64() || v->is_uint64()) {
      m.nonce = bj::serialize(*v);
    } else {
      return CloseCode::kDecodeError;
    }
  }
  return Command{std::move(m)};
}

std::optional<std::string> IdString(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (auto n = AsUnsigned(v)) return std::to_string(*n);
  return std::nullopt;
}

std::variant<Command, CloseCode> ParseRequestGuildMembers(const bj::value* d) {
  if (!d || !d->is_object()) return CloseCode::kDecodeError;
  const auto& o = d->get_object();
  RequestGuildMembers r;
  auto* guild = o.if_contains("guild_id");
  if (!guild) return CloseCode::kDecodeError;
  // Older clients send an array of one guild id.
  const bj::value* g = guild;
  if (guild->is_array()) {
    if (guild->get_array().size() != 1) return CloseCode::kDecodeError;
    g = &guild->get_array()[0];
  }
  auto gid = IdString(*g);
  if (!gid) return CloseCode::kDecodeError;
  r.guild_id = std::move(*gid);
  if (auto* v = o.if_contains("query"); v && !v->is_null()) {
    if (!v->is_string()) return CloseCode::kDecodeError;
    r.query = std::string(v->get_string());
  }
  if (auto* v = o.if_contains("limit"); v && !v->is_null()) {
    auto n = AsUnsigned(*v);
    if (!n) return CloseCode::kDecodeError;
    r.limit = static_cast<int>(std::min<std::uint64_t>(*n, 1'000'000));
  }
  if (auto* v = o.if_contains("user_ids"); v && !v->is_null()) {
    if (v->is_array()) {
      if (v->get_array().size() > 100) return CloseCode::kDecodeError;
      for (const auto& id : v->get_array()) {
        auto s = IdString(id);
        if (!s) return CloseCode::kDecodeError;
        r.user_ids.push_back(std::move(*s));
      }
    } else if (auto s = IdString(*v)) {
      r.user_ids.push_back(std::move(*s));
    } else {
      return CloseCode::kDecodeError;
    }
  }
  if (auto* v = o.if_contains("presences"); v && v->is_bool()) r.presences = v->get_bool();
  if (auto* v = o.if_contains("nonce"); v && v->is_string()) {
    if (v->get_string().size() > 32) return CloseCode::kDecodeError;
    r.nonce = std::string(v->get_string());
  }
  return Command{std::move(r)};
}

}  // namespace

bool IsResumable(CloseCode code) {
  switch (code) {
    case CloseCode::kNormal:
    case CloseCode::kAuthenticationFailed:
    case CloseCode::kInvalidShard:
    case CloseCode::kInvalidApiVersion:
    case CloseCode::kInvalidIntents:
    case CloseCode::kDisallowedIntents:
      return false;
    default:
      return true;
  }
}

std::variant<ConnectParams, CloseCode> ParseConnectTarget(std::string_view target) {
  ConnectParams params;
  auto q = target.find('?');
  if (q == std::string_view::npos) return params;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
    if (key == "v") {
      auto v = ParseInt(value);
      if (!v || (*v != 9 && *v != 10)) return CloseCode::kInvalidApiVersion;
      params.version = *v;
    } else if (key == "encoding") {
      if (value != "json") return CloseCode::kDecodeError;
    } else if (key == "compress") {
      params.zlib_stream = value == "zlib-stream";
    } else if (key == "token" && !value.empty()) {
      params.token = std::move(value);
    }
  }
  return params;
}

std::variant<Command, CloseCode> ParseCommand(std::string_view text) {
  if (text.size() > kMaxClientPayloadBytes) return CloseCode::kDecodeError;
  boost::system::error_code ec;
  bj::value root = bj::parse(text, ec);
  if (ec || !root.is_object()) return CloseCode::kDecodeError;
  const auto& o = root.get_object();
  auto* opv = o.if_contains("op");
  if (!opv || !(opv->is_int64() || opv->is_uint64())) return CloseCode::kDecodeError;
  const std::int64_t op = opv->is_int64() ? opv->get_int64() : -1;
  const bj::value* d = o.if_contains("d");
  switch (op) {
    case 0:
      return ParseClientMessage(o, d);
    case 1: {
      Heartbeat hb;
      if (d && !d->is_null()) {
        auto seq = AsUnsigned(*d);
        if (!seq) return CloseCode::kDecodeError;
        hb.seq = *seq;
      }
      return Command{hb};
    }
    case 2:
      return ParseIdentify(d);
    case 3: {
      auto presence = d ? ParsePresence(*d) : std::nullopt;
      if (!presence) return CloseCode::kDecodeError;
      return Command{PresenceUpdate{std::move(*presence)}};
    }
    case 4: {
      if (!d || !d->is_object()) return CloseCode::kDecodeError;
      const auto& v = d->get_object();
      VoiceStateUpdate u;
      auto* guild = v.if_contains("guild_id");
      auto gid = guild ? IdString(*guild) : std::nullopt;
      if (!gid) return CloseCode::kDecodeError;
      u.guild_id = std::move(*gid);
      if (auto* ch = v.if_contains("channel_id"); ch && !ch->is_null()) {
        u.channel_id = IdString(*ch);
        if (!u.channel_id) return CloseCode::kDecodeError;
      }
      if (auto* m = v.if_contains("self_mute"); m && m->is_bool()) u.self_mute = m->get_bool();
      if (auto* f = v.if_contains("self_deaf"); f && f->is_bool()) u.self_deaf = f->get_bool();
      return Command{std::move(u)};
    }
    case 8:
      return ParseRequestGuildMembers(d);
    case 6:
      return ParseResume(d);
    default:
      return CloseCode::kUnknownOpcode;
  }
}

std::variant<std::uint64_t, CloseCode> ResolveIntents(std::optional<std::uint64_t> requested,
                                                      bool bot) {
  if (!requested) {
    if (bot) return CloseCode::kInvalidIntents;
    return kKnownIntents;
  }
  if (*requested & ~kKnownIntents) return CloseCode::kInvalidIntents;
  return *requested;
}

std::string HelloFrame(std::uint32_t heartbeat_interval_ms) {
  return R"({"op":10,"d":{"heartbeat_interval":)" + std::to_string(heartbeat_interval_ms) +
         R"(},"s":null,"t":null})";
}

std::string HeartbeatAckFrame() { return R"({"op":11,"d":null,"s":null,"t":null})"; }

std::string InvalidSessionFrame(bool resumable) {
  return resumable ? R"({"op":9,"d":true,"s":null,"t":null})"
                   : R"({"op":9,"d":false,"s":null,"t":null})";
}

std::string ReconnectFrame() { return R"({"op":7,"d":null,"s":null,"t":null})"; }

std::string DispatchHead(std::string_view type, std::uint64_t seq) {
  std::string head;
  head.reserve(32 + type.size());
  head.append(R"({"op":0,"t":")").append(type).append(R"(","s":)");
  head.append(std::to_string(seq)).append(R"(,"d":)");
  return head;
}

}  // namespace chat::gateway
