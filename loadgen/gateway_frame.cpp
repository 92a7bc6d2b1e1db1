#include "loadgen/gateway_frame.hpp"

#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <cstddef>
#include <limits>

namespace chat::loadgen {

namespace {

// Converts as the DOM code's static_cast did on x86-64, without its undefined behaviour: a
// double beyond int64 became INT64_MIN there.
std::int64_t GatewayFrameDoubleToInt(double d) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (d >= -kTwo63 && d < kTwo63) return static_cast<std::int64_t>(d);
  return std::numeric_limits<std::int64_t>::min();
}

// SAX handler for boost::json::basic_parser. It follows where the parser is (root, d, d.user,
// d.author, or anywhere else) and keeps only the GatewayFrame fields; keys are matched only in
// the object they belong to, so d.embeds[0].content or d.member.user.id are never taken.
class GatewayFrameHandler {
 public:
  // Class-scope aliases: namespace-scope ones would leak into the other files of a unity batch.
  using error_code = boost::json::error_code;
  using string_view = boost::json::string_view;

  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  explicit GatewayFrameHandler(GatewayFrame& frame) : frame_(frame) {}
  GatewayFrameHandler(const GatewayFrameHandler&) = delete;
  GatewayFrameHandler& operator=(const GatewayFrameHandler&) = delete;

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code&) {
    if (depth_ == 0) {
      Push(Scope::kRoot);
      return true;
    }
    Scope scope = Scope::kOther;
    switch (Take()) {
      case Field::kD:
        frame_.d_is_object = true;
        scope = Scope::kD;
        break;
      case Field::kUser:
        scope = Scope::kUser;
        break;
      case Field::kAuthor:
        scope = Scope::kAuthor;
        break;
      default:
        break;
    }
    Push(scope);
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_array_begin(error_code& ec) {
    if (depth_ == 0) return NotObject(ec);
    Take();
    Push(Scope::kOther);
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }

  // Keys and strings with escapes, or longer than the parser's buffer, arrive in parts.
  bool on_key_part(string_view s, std::size_t, error_code&) {
    if (Top() != Scope::kOther) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code&) {
    if (Top() == Scope::kOther) return true;
    if (key_.empty()) {
      pending_ = Match(std::string_view(s.data(), s.size()));
    } else {
      key_.append(s.data(), s.size());
      pending_ = Match(key_);
      key_.clear();
    }
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    if (std::string* out = StringOf(pending_)) out->append(s.data(), s.size());
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code& ec) {
    if (depth_ == 0) return NotObject(ec);
    const Field field = Take();
    if (const TextSlot slot = SlotOf(field); slot.text) {
      slot.text->append(s.data(), s.size());
      *slot.present = true;
    }
    return true;
  }

  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, string_view, error_code& ec) { return Number(i, ec); }
  bool on_uint64(std::uint64_t u, string_view, error_code& ec) {
    return Number(static_cast<std::int64_t>(u), ec);
  }
  bool on_double(double d, string_view, error_code& ec) {
    return Number(GatewayFrameDoubleToInt(d), ec);
  }
  bool on_bool(bool, error_code& ec) { return Scalar(ec); }
  bool on_null(error_code& ec) { return Scalar(ec); }
  // Comments are off (default parse_options); the parser still needs these.
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  enum class Scope : std::uint8_t { kRoot, kD, kUser, kAuthor, kOther };
  enum class Field : std::uint8_t {
    kNone,
    kOp,
    kS,
    kT,
    kD,
    kHeartbeatInterval,
    kUser,
    kContent,
    kNonce,
    kAuthor,
    kUserId,
    kAuthorId,
  };
  // root, d, d.user / d.author: anything deeper is kOther.
  static constexpr std::size_t kTracked = 3;

  void Push(Scope scope) {
    if (depth_ < kTracked) scopes_[depth_] = scope;
    ++depth_;
  }
  Scope Top() const {
    if (depth_ == 0 || depth_ > kTracked) return Scope::kOther;
    return scopes_[depth_ - 1];
  }
  Field Take() {
    const Field field = pending_;
    pending_ = Field::kNone;
    return field;
  }

  // The key names a field of the current object: forget its earlier value, since the last
  // occurrence of a key wins.
  Field Match(std::string_view key) {
    Field field = Field::kNone;
    switch (Top()) {
      case Scope::kRoot:
        if (key == "op") {
          field = Field::kOp;
        } else if (key == "s") {
          field = Field::kS;
        } else if (key == "t") {
          field = Field::kT;
        } else if (key == "d") {
          field = Field::kD;
        }
        break;
      case Scope::kD:
        if (key == "content") {
          field = Field::kContent;
        } else if (key == "nonce") {
          field = Field::kNonce;
        } else if (key == "author") {
          field = Field::kAuthor;
        } else if (key == "user") {
          field = Field::kUser;
        } else if (key == "heartbeat_interval") {
          field = Field::kHeartbeatInterval;
        }
        break;
      case Scope::kUser:
        if (key == "id") field = Field::kUserId;
        break;
      case Scope::kAuthor:
        if (key == "id") field = Field::kAuthorId;
        break;
      case Scope::kOther:
        break;
    }
    if (field != Field::kNone) Forget(field);
    return field;
  }

  void Forget(Field field) {
    switch (field) {
      case Field::kOp:
        frame_.op.reset();
        break;
      case Field::kS:
        frame_.s.reset();
        break;
      case Field::kD:
        frame_.d_is_object = false;
        frame_.heartbeat_interval.reset();
        Forget(Field::kUser);
        Forget(Field::kContent);
        Forget(Field::kNonce);
        Forget(Field::kAuthor);
        break;
      case Field::kHeartbeatInterval:
        frame_.heartbeat_interval.reset();
        break;
      case Field::kUser:
        Forget(Field::kUserId);
        break;
      case Field::kAuthor:
        Forget(Field::kAuthorId);
        break;
      case Field::kNone:
        break;
      default:
        if (const TextSlot slot = SlotOf(field); slot.text) {
          *slot.present = false;
          slot.text->clear();
        }
        break;
    }
  }

  // Where a string field's text and its "present" flag live; both null for other fields.
  struct TextSlot {
    std::string* text = nullptr;
    bool* present = nullptr;
  };
  TextSlot SlotOf(Field field) {
    switch (field) {
      case Field::kT:
        return {&frame_.t, &frame_.has_t};
      case Field::kContent:
        return {&frame_.content, &frame_.has_content};
      case Field::kNonce:
        return {&frame_.nonce, &frame_.has_nonce};
      case Field::kUserId:
        return {&frame_.user_id, &frame_.has_user_id};
      case Field::kAuthorId:
        return {&frame_.author_id, &frame_.has_author_id};
      default:
        return {};
    }
  }
  std::string* StringOf(Field field) { return SlotOf(field).text; }

  bool Number(std::int64_t value, error_code& ec) {
    if (depth_ == 0) return NotObject(ec);
    switch (Take()) {
      case Field::kOp:
        frame_.op = value;
        break;
      case Field::kS:
        frame_.s = value;
        break;
      case Field::kHeartbeatInterval:
        frame_.heartbeat_interval = value;
        break;
      default:
        break;
    }
    return true;
  }
  bool Scalar(error_code& ec) {
    if (depth_ == 0) return NotObject(ec);
    Take();
    return true;
  }
  static bool NotObject(error_code& ec) {
    ec = boost::json::error::not_object;
    return false;
  }

  GatewayFrame& frame_;
  std::array<Scope, kTracked> scopes_{};
  std::size_t depth_ = 0;
  Field pending_ = Field::kNone;  // the field the next value belongs to
  std::string key_;               // a key arriving in parts
};

}  // namespace

void GatewayFrame::Reset() {
  op.reset();
  s.reset();
  has_t = false;
  t.clear();
  d_is_object = false;
  heartbeat_interval.reset();
  has_user_id = false;
  user_id.clear();
  has_content = false;
  content.clear();
  has_nonce = false;
  nonce.clear();
  has_author_id = false;
  author_id.clear();
}

bool ParseGatewayFrame(std::string_view text, GatewayFrame& frame) {
  frame.Reset();
  // Default options: the same JSON and depth limit (32) that boost::json::parse accepted.
  boost::json::basic_parser<GatewayFrameHandler> parser(boost::json::parse_options(), frame);
  boost::json::error_code ec;
  const std::size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (ec || n != text.size()) {
    frame.Reset();
    return false;
  }
  return true;
}

}  // namespace chat::loadgen
