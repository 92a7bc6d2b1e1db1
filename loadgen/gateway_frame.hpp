// loadgen/gateway_frame.hpp — the few fields of a Discord gateway frame that chat-loadgen reads,
// and a SAX parse (boost::json::basic_parser) that fills them without building a DOM: a fan-out run
// reads ~100k frames/s on a machine shared with the server under test. Not thread-safe: one frame
// per thread (or per session), reused from frame to frame so that its strings keep their capacity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::loadgen {

// Every field is as the last occurrence of its key left it (JSON objects with duplicate keys keep
// the last, as boost::json::parse does). A `has_x` flag is true only when the key was present
// with a string value; the numbers are set only when the value was a number (int64, uint64 or
// double, converted to int64). The d.* fields are set only when `d` is an object.
struct GatewayFrame {
  std::optional<std::int64_t> op;
  std::optional<std::int64_t> s;
  bool has_t = false;
  std::string t;
  bool d_is_object = false;
  std::optional<std::int64_t> heartbeat_interval;  // d.heartbeat_interval (HELLO)
  bool has_user_id = false;
  std::string user_id;  // d.user.id (READY)
  bool has_content = false;
  std::string content;  // d.content
  bool has_nonce = false;
  std::string nonce;  // d.nonce; a number nonce leaves has_nonce false
  bool has_author_id = false;
  std::string author_id;  // d.author.id

  // Back to "nothing seen"; the strings keep their capacity.
  void Reset();
};

// Parses one complete frame's text into `frame` (reset first). False when the text is not valid
// JSON (same rules and depth limit as boost::json::parse) or its root is not an object; `frame`
// is then reset.
bool ParseGatewayFrame(std::string_view text, GatewayFrame& frame);

}  // namespace chat::loadgen
