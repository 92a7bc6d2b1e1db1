// gateway/protocol.hpp — the Discord gateway wire protocol without any socket: opcodes, close
// codes, the connection URL's query, parsing one client payload into a Command (or the close code
// Discord answers it with), intent validation and the small server frames (HELLO, ACK, op 9).
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "gateway/presence.hpp"

namespace chat::gateway {

enum class Opcode : int {
  kDispatch = 0,
  kHeartbeat = 1,
  kIdentify = 2,
  kPresenceUpdate = 3,
  kVoiceStateUpdate = 4,
  kResume = 6,
  kReconnect = 7,
  kRequestGuildMembers = 8,
  kInvalidSession = 9,
  kHello = 10,
  kHeartbeatAck = 11,
};

// Discord's close codes (Reconnect column in the docs: 4004 and 4010–4014 are fatal).
enum class CloseCode : std::uint16_t {
  kNormal = 1000,
  kInvalidPayloadData = 1007,  // invalid UTF-8 in a text frame (Beast sends it itself)
  kUnknownError = 4000,
  kUnknownOpcode = 4001,
  kDecodeError = 4002,
  kNotAuthenticated = 4003,
  kAuthenticationFailed = 4004,
  kAlreadyAuthenticated = 4005,
  kInvalidSeq = 4007,
  kRateLimited = 4008,
  kSessionTimedOut = 4009,
  kInvalidShard = 4010,
  kInvalidApiVersion = 4012,
  kInvalidIntents = 4013,
  kDisallowedIntents = 4014,
};

// Whether a client may resume after the server closed with `code` (the session is kept).
bool IsResumable(CloseCode code);

inline constexpr std::size_t kMaxClientPayloadBytes = 4096;
inline constexpr int kDefaultVersion = 10;

// Intent bits Discord defines (0–16, 20, 21, 24, 25).
inline constexpr std::uint64_t kKnownIntents =
    ((1ull << 17) - 1) | (1ull << 20) | (1ull << 21) | (1ull << 24) | (1ull << 25);
inline constexpr std::uint64_t kMessageContentIntent = 1ull << 15;
// GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT.
inline constexpr std::uint64_t kPrivilegedIntents = (1ull << 1) | (1ull << 8) | (1ull << 15);

// The upgrade URL's query: `v`, `encoding`, `compress`, and the seed's `token`.
struct ConnectParams {
  int version = kDefaultVersion;
  bool zlib_stream = false;
  std::optional<std::string> token;
};
// kInvalidApiVersion for a `v` other than 9 or 10 (Discord retired the others), kDecodeError
// for an encoding other than json (no ETF here).
std::variant<ConnectParams, CloseCode> ParseConnectTarget(std::string_view target);

struct Identify {
  std::string token;                     // empty: the seed's flow, which put it in the URL's query
  std::optional<std::uint64_t> intents;  // absent in the seed's `{token}` flow
  int large_threshold = 50;              // clamped to Discord's 50–250
  bool compress = false;
  std::optional<std::pair<int, int>> shard;
  std::optional<Presence> presence;
};

struct Resume {
  std::string token;
  std::string session_id;
  std::uint64_t seq = 0;
};

// The seed's op 0 MESSAGE_CREATE sent by a client.
struct ClientMessage {
  std::string channel_id;  // validated as a snowflake by the handler (404 shape)
  std::optional<std::string> content;
  std::optional<std::string> nonce;
};

struct Heartbeat {
  std::optional<std::uint64_t> seq;
};

// Op 8: members of one guild by name prefix (query + limit; "" with limit 0 means all) or by id.
struct RequestGuildMembers {
  std::string guild_id;
  std::string query;
  int limit = 0;
  std::vector<std::string> user_ids;
  bool presences = false;
  std::optional<std::string> nonce;
};

// Op 3.
struct PresenceUpdate {
  Presence presence;
};

// Op 4: join (channel_id set), move, mute/deafen or leave (channel_id null) a voice channel.
struct VoiceStateUpdate {
  std::string guild_id;
  std::optional<std::string> channel_id;
  bool self_mute = false;
  bool self_deaf = false;
};

using Command = std::variant<Heartbeat, Identify, Resume, ClientMessage, RequestGuildMembers,
                             PresenceUpdate, VoiceStateUpdate>;

// One client text payload → a Command, or the close code: kDecodeError for non-JSON, a
// non-object, a missing/non-integer op, a body over 4096 bytes or a malformed d of a known op;
// kUnknownOpcode for ops clients may not send (and op 0 with a `t` other than MESSAGE_CREATE).
std::variant<Command, CloseCode> ParseCommand(std::string_view text);

// kInvalidIntents for unknown bits. Privileged intents are allowed for every account for now,
// so kDisallowedIntents is never returned. A missing field: every intent for user accounts (the
// seed's flow), kInvalidIntents for bots (Discord requires it since v8).
std::variant<std::uint64_t, CloseCode> ResolveIntents(std::optional<std::uint64_t> requested,
                                                      bool bot);

// Frames other than dispatches, serialized.
std::string HelloFrame(std::uint32_t heartbeat_interval_ms);
std::string HeartbeatAckFrame();
std::string InvalidSessionFrame(bool resumable);
std::string ReconnectFrame();
// The head of a dispatch; the frame is head + payload + "}".
std::string DispatchHead(std::string_view type, std::uint64_t seq);

}  // namespace chat::gateway
