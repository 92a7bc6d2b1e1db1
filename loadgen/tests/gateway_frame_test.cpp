// Unit tests of the SAX gateway-frame parse: the fields chat-loadgen reads, taken only at their
// own depth, and the same answers as the boost::json DOM code it replaced.
#include "loadgen/gateway_frame.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace chat::loadgen {
namespace {

constexpr std::string_view kGatewayFrameTestHello =
    R"({"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250,"_trace":["gateway-1"]}})";

constexpr std::string_view kGatewayFrameTestReady = R"({"t":"READY","s":1,"op":0,"d":{
  "v":10,
  "user_settings":{},
  "user":{"verified":true,"username":"vu-1","mfa_enabled":false,"id":"1100000000000000001",
          "global_name":null,"flags":0,"email":null,"discriminator":"0","bot":false,"avatar":null},
  "session_type":"normal",
  "session_id":"3f1c0a1e",
  "resume_gateway_url":"wss://gateway.example",
  "relationships":[],
  "private_channels":[{"id":"1100000000000000077","type":1,
                       "recipients":[{"id":"1100000000000000078","username":"friend"}]}],
  "presences":[],
  "guilds":[{"unavailable":true,"id":"1200000000000000001"},
            {"unavailable":true,"id":"1200000000000000002"}],
  "application":{"id":"1300000000000000001","flags":0},
  "_trace":["gateway-1"]}})";

// A guild message that quotes an older one: every nested object repeats the keys the parse
// looks for (content, id, author, user, nonce) where they must not be taken.
constexpr std::string_view kGatewayFrameTestMessage = R"({"t":"MESSAGE_CREATE","s":42,"op":0,"d":{
  "type":19,
  "tts":false,
  "timestamp":"2026-11-26T21:00:00.000000+00:00",
  "referenced_message":{"type":0,"content":"the older one","nonce":"old-nonce",
                        "id":"1400000000000000001",
                        "author":{"username":"someone","id":"1100000000000000009"}},
  "pinned":false,
  "nonce":"nonce-7",
  "message_reference":{"message_id":"1400000000000000001","channel_id":"1500000000000000001"},
  "mentions":[{"username":"vu-2","id":"1100000000000000002",
               "member":{"roles":[],"nick":null,"user":{"id":"1100000000000000002"}}}],
  "mention_roles":[],
  "mention_everyone":false,
  "member":{"roles":["1600000000000000001"],"nick":"n","id":"1100000000000000998",
            "user":{"id":"1100000000000000999"},"joined_at":"2026-11-01T00:00:00+00:00"},
  "id":"1400000000000000002",
  "flags":0,
  "embeds":[{"type":"rich","title":"t","content":"embed content","id":"e-1",
             "author":{"name":"embed author","id":"1100000000000000555"}}],
  "edited_timestamp":null,
  "content":"fanout 17 1764190800000000",
  "components":[],
  "channel_id":"1500000000000000001",
  "author":{"username":"vu-1","public_flags":0,"id":"1100000000000000001",
            "global_name":null,"discriminator":"0","avatar":null},
  "attachments":[],
  "guild_id":"1200000000000000001"}})";

// What the replaced code read from a boost::json DOM, field by field: the reference the SAX parse
// must agree with.
std::optional<std::int64_t> GatewayFrameTestDomInt(const boost::json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

void GatewayFrameTestDomString(const boost::json::object* o, std::string_view key, bool& has,
                               std::string& out) {
  const boost::json::value* v = o ? o->if_contains(key) : nullptr;
  has = v && v->is_string();
  if (has) out = std::string(v->get_string());
}

const boost::json::object* GatewayFrameTestDomObject(const boost::json::object* o,
                                                     std::string_view key) {
  const boost::json::value* v = o ? o->if_contains(key) : nullptr;
  return v && v->is_object() ? &v->get_object() : nullptr;
}

std::optional<GatewayFrame> GatewayFrameTestFromDom(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& root = v.get_object();
  GatewayFrame f;
  f.op = GatewayFrameTestDomInt(root.if_contains("op"));
  f.s = GatewayFrameTestDomInt(root.if_contains("s"));
  GatewayFrameTestDomString(&root, "t", f.has_t, f.t);
  const boost::json::object* d = GatewayFrameTestDomObject(&root, "d");
  f.d_is_object = d != nullptr;
  if (d) f.heartbeat_interval = GatewayFrameTestDomInt(d->if_contains("heartbeat_interval"));
  GatewayFrameTestDomString(GatewayFrameTestDomObject(d, "user"), "id", f.has_user_id, f.user_id);
  GatewayFrameTestDomString(d, "content", f.has_content, f.content);
  GatewayFrameTestDomString(d, "nonce", f.has_nonce, f.nonce);
  GatewayFrameTestDomString(GatewayFrameTestDomObject(d, "author"), "id", f.has_author_id,
                            f.author_id);
  return f;
}

std::string GatewayFrameTestDescribe(const std::optional<GatewayFrame>& f) {
  if (!f) return "(rejected)";
  auto num = [](const std::optional<std::int64_t>& n) {
    return n ? std::to_string(*n) : std::string("-");
  };
  auto str = [](bool has, const std::string& s) { return has ? '"' + s + '"' : std::string("-"); };
  return "op=" + num(f->op) + " s=" + num(f->s) + " t=" + str(f->has_t, f->t) +
         " d=" + (f->d_is_object ? "object" : "-") + " hb=" + num(f->heartbeat_interval) +
         " user.id=" + str(f->has_user_id, f->user_id) +
         " content=" + str(f->has_content, f->content) + " nonce=" + str(f->has_nonce, f->nonce) +
         " author.id=" + str(f->has_author_id, f->author_id);
}

std::optional<GatewayFrame> GatewayFrameTestParse(std::string_view text) {
  GatewayFrame f;
  if (!ParseGatewayFrame(text, f)) return std::nullopt;
  return f;
}

TEST(GatewayFrame, ReadsHelloHeartbeatInterval) {
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kGatewayFrameTestHello, f));
  EXPECT_EQ(f.op, 10);
  EXPECT_FALSE(f.s.has_value()) << "s is null";
  EXPECT_FALSE(f.has_t) << "t is null";
  EXPECT_TRUE(f.d_is_object);
  EXPECT_EQ(f.heartbeat_interval, 41250);
}

TEST(GatewayFrame, ReadsReadyUserIdAndNotTheOtherIds) {
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kGatewayFrameTestReady, f));
  EXPECT_EQ(f.op, 0);
  EXPECT_EQ(f.s, 1);
  EXPECT_TRUE(f.has_t);
  EXPECT_EQ(f.t, "READY");
  ASSERT_TRUE(f.has_user_id);
  EXPECT_EQ(f.user_id, "1100000000000000001");
  EXPECT_FALSE(f.has_author_id);
  EXPECT_FALSE(f.has_content);
  EXPECT_FALSE(f.heartbeat_interval.has_value());
}

TEST(GatewayFrame, TakesMessageFieldsOnlyFromDataItself) {
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kGatewayFrameTestMessage, f));
  EXPECT_EQ(f.op, 0);
  EXPECT_EQ(f.s, 42);
  EXPECT_EQ(f.t, "MESSAGE_CREATE");
  ASSERT_TRUE(f.has_content);
  EXPECT_EQ(f.content, "fanout 17 1764190800000000") << "not the embed's or the quoted message's";
  ASSERT_TRUE(f.has_nonce);
  EXPECT_EQ(f.nonce, "nonce-7") << "not the quoted message's";
  ASSERT_TRUE(f.has_author_id);
  EXPECT_EQ(f.author_id, "1100000000000000001")
      << "not the member's, a mention's, an embed author's or the quoted author's";
  EXPECT_FALSE(f.has_user_id) << "d.member.user is not d.user";
}

TEST(GatewayFrame, NestedKeysBeforeTheRealOnesDoNotLeak) {
  // The nested content/author come first and the real ones are absent: nothing may be taken.
  constexpr std::string_view kText = R"({"op":0,"t":"MESSAGE_CREATE","d":{
    "referenced_message":{"content":"old","nonce":"n","author":{"id":"9"},"user":{"id":"8"}},
    "embeds":[{"content":"e","id":"1","author":{"id":"2"}}],
    "member":{"id":"3","user":{"id":"4"}},
    "mentions":[{"id":"5"},{"id":"6","user":{"id":"7"}}]}})";
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kText, f));
  EXPECT_TRUE(f.d_is_object);
  EXPECT_FALSE(f.has_content);
  EXPECT_FALSE(f.has_nonce);
  EXPECT_FALSE(f.has_author_id);
  EXPECT_FALSE(f.has_user_id);
}

TEST(GatewayFrame, NumberNonceIsNoNonceButAuthorStillCounts) {
  constexpr std::string_view kText =
      R"({"op":0,"s":3,"t":"MESSAGE_CREATE","d":{"nonce":123456789,"content":"x",)"
      R"("author":{"id":"77"}}})";
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kText, f));
  EXPECT_FALSE(f.has_nonce);
  EXPECT_TRUE(f.has_author_id);
  EXPECT_EQ(f.author_id, "77");
}

TEST(GatewayFrame, ReadsFieldsInAnyKeyOrder) {
  constexpr std::string_view kText =
      R"({"d":{"author":{"id":"5"},"content":"hi","nonce":"a"},"t":"MESSAGE_CREATE","s":9,"op":0})";
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kText, f));
  EXPECT_EQ(f.op, 0);
  EXPECT_EQ(f.s, 9);
  EXPECT_EQ(f.t, "MESSAGE_CREATE");
  EXPECT_EQ(f.content, "hi");
  EXPECT_EQ(f.nonce, "a");
  EXPECT_EQ(f.author_id, "5");
}

TEST(GatewayFrame, DecodesEscapedStringsAndKeys) {
  constexpr std::string_view kText =
      R"({"op":0,"t":"MESSAGE_\u0043REATE","d":{"con\u0074ent":"caf\u00e9 \"quoted\" \\ \/ \n",)"
      R"("\u006eonce":"\ud83d\ude00"}})";
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(kText, f));
  EXPECT_EQ(f.t, "MESSAGE_CREATE");
  ASSERT_TRUE(f.has_content) << "an escaped key is still the key";
  EXPECT_EQ(f.content, "caf\xc3\xa9 \"quoted\" \\ / \n");
  EXPECT_EQ(f.nonce, "\xf0\x9f\x98\x80");
}

TEST(GatewayFrame, AssemblesLongStringsAndKeysThatArriveInParts) {
  // Past the parser's 4 KiB buffer, escaped strings and keys reach the handler in several parts.
  std::string long_text;
  for (int i = 0; i < 3000; ++i) long_text += "ab\\\"";
  std::string want;
  for (int i = 0; i < 3000; ++i) want += "ab\"";
  const std::string long_key(9000, 'k');
  const std::string text = R"({"op":0,"t":"MESSAGE_CREATE","d":{")" + long_key +
                           R"(":"v","referenced_message":{")" + long_key + R"(":1},)" +
                           R"("content":")" + long_text + R"(","nonce":"n"}})";
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(text, f));
  ASSERT_TRUE(f.has_content);
  EXPECT_EQ(f.content, want);
  EXPECT_EQ(f.nonce, "n");
  const std::string escaped_key =
      R"({"op":0,"t":"X","d":{")" + std::string(5000, 'z') + R"(\n":1,"author":{"i\u0064":"12"}}})";
  ASSERT_TRUE(ParseGatewayFrame(escaped_key, f));
  EXPECT_EQ(f.author_id, "12");
}

TEST(GatewayFrame, AcceptsInt64Uint64AndDoubleNumbers) {
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":10.0,"s":18446744073709551615,)"
                                R"("d":{"heartbeat_interval":4.5e4}})",
                                f));
  EXPECT_EQ(f.op, 10);
  EXPECT_EQ(f.s, -1) << "a uint64 is cast, as the DOM code did";
  EXPECT_EQ(f.heartbeat_interval, 45000);
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":"10","s":true,"d":{"heartbeat_interval":null}})", f));
  EXPECT_FALSE(f.op.has_value()) << "a string is not a number";
  EXPECT_FALSE(f.s.has_value());
  EXPECT_FALSE(f.heartbeat_interval.has_value());
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":1e300,"s":-1e300,"d":{}})", f));
  EXPECT_EQ(f.op, std::numeric_limits<std::int64_t>::min()) << "out of range: no valid op";
  EXPECT_EQ(f.s, std::numeric_limits<std::int64_t>::min());
}

TEST(GatewayFrame, DataThatIsNotAnObjectHasNoDataFields) {
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":0,"t":"MESSAGE_CREATE","s":2,"d":null})", f));
  EXPECT_FALSE(f.d_is_object);
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":0,"t":"MESSAGE_CREATE","d":[{"content":"x"}]})", f));
  EXPECT_FALSE(f.d_is_object);
  EXPECT_FALSE(f.has_content);
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":0,"t":"X","x":{"d":{"content":"y"}}})", f));
  EXPECT_FALSE(f.d_is_object) << "a d below the root is not d";
  EXPECT_FALSE(f.has_content);
}

TEST(GatewayFrame, LastOfDuplicateKeysWinsAsInTheDom) {
  GatewayFrame f;
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":0,"d":{"content":"a","user":{"id":"1"}},"d":5})", f));
  EXPECT_FALSE(f.d_is_object);
  EXPECT_FALSE(f.has_content);
  EXPECT_FALSE(f.has_user_id);
  ASSERT_TRUE(ParseGatewayFrame(
      R"({"op":0,"op":1,"d":{"content":"a","content":2,"author":{"id":"1"},"author":{}}})", f));
  EXPECT_EQ(f.op, 1);
  EXPECT_FALSE(f.has_content);
  EXPECT_FALSE(f.has_author_id);
}

TEST(GatewayFrame, RejectsInvalidJsonAndForgetsThePreviousFrame) {
  GatewayFrame f;
  for (std::string_view text :
       {std::string_view(""), std::string_view(R"({"op":0,)"), std::string_view(R"({"op":0} x)"),
        std::string_view(R"({"op":0,})"), std::string_view(R"({'op':0})"),
        std::string_view(R"({"op":0 /* c */})"), std::string_view("{\"t\":\"\xff\"}"),
        std::string_view(R"({"t":"\ud800"})"), std::string_view(R"({"op":01})")}) {
    ASSERT_TRUE(ParseGatewayFrame(kGatewayFrameTestMessage, f));
    EXPECT_FALSE(ParseGatewayFrame(text, f)) << text;
    EXPECT_FALSE(f.op.has_value()) << text;
    EXPECT_FALSE(f.has_t || f.d_is_object || f.has_content || f.has_nonce || f.has_author_id)
        << text;
  }
  EXPECT_TRUE(ParseGatewayFrame("  {\"op\":1}\r\n ", f)) << "surrounding whitespace is fine";
}

TEST(GatewayFrame, RejectsRootsThatAreNotObjects) {
  GatewayFrame f;
  for (std::string_view text : {R"([{"op":0}])", R"("op")", "42", "-1.5", "null", "true", "[]"}) {
    EXPECT_FALSE(ParseGatewayFrame(text, f)) << text;
  }
}

TEST(GatewayFrame, HasTheDomParsersDepthLimit) {
  std::string deep_ok = R"({"op":0,"d":{"x":)";
  std::string deep_bad = deep_ok;
  for (int i = 0; i < 30; ++i) deep_ok += '[';
  for (int i = 0; i < 30; ++i) deep_ok += ']';
  deep_ok += "}}";
  for (int i = 0; i < 31; ++i) deep_bad += '[';
  for (int i = 0; i < 31; ++i) deep_bad += ']';
  deep_bad += "}}";
  EXPECT_TRUE(GatewayFrameTestFromDom(deep_ok).has_value());
  EXPECT_FALSE(GatewayFrameTestFromDom(deep_bad).has_value());
  GatewayFrame f;
  EXPECT_TRUE(ParseGatewayFrame(deep_ok, f));
  EXPECT_FALSE(ParseGatewayFrame(deep_bad, f));
}

TEST(GatewayFrame, ReuseKeepsStringCapacityAndForgetsOldValues) {
  GatewayFrame f;
  const std::string big = R"({"op":0,"t":"MESSAGE_CREATE","d":{"content":")" +
                          std::string(5000, 'c') + R"(","author":{"id":"1"}}})";
  ASSERT_TRUE(ParseGatewayFrame(big, f));
  const std::size_t capacity = f.content.capacity();
  ASSERT_TRUE(ParseGatewayFrame(R"({"op":0,"t":"TYPING_START","d":{"content":"short"}})", f));
  EXPECT_EQ(f.content, "short");
  EXPECT_EQ(f.content.capacity(), capacity) << "the buffer was kept, not reallocated";
  EXPECT_FALSE(f.has_author_id) << "nothing left over from the previous frame";
  f.Reset();
  EXPECT_FALSE(f.op.has_value() || f.has_t || f.has_content);
  EXPECT_EQ(f.content.capacity(), capacity);
}

TEST(GatewayFrame, AgreesWithTheDomItReplaced) {
  const std::vector<std::string> frames = {
      std::string(kGatewayFrameTestHello),
      std::string(kGatewayFrameTestReady),
      std::string(kGatewayFrameTestMessage),
      R"({"op":11})",
      R"({"op":1,"d":251})",
      R"({"op":7,"d":null})",
      R"({"op":9,"d":false})",
      R"({"op":0,"s":5,"t":"GUILD_CREATE","d":{"id":"1","channels":[{"id":"2"}],)"
      R"("members":[{"user":{"id":"3"}}]}})",
      R"({"d":{"user":{"id":17},"author":[{"id":"1"}],"nonce":null,"content":{"x":"y"}},"op":0})",
      R"({"op":-3,"s":-1,"t":5,"d":{}})",
      R"({"op":0,"t":"A","d":{"content":"a"},"d":{"nonce":"b"}})",
      R"({"op":0,"t":"A","d":{"user":{"id":"1","id":"2"},"author":{"id":"3"},"author":1}})",
      R"({"op":2.9,"s":7.1,"t":"\u0041","d":{"heartbeat_interval":-5e1}})",
      R"({"op":0,"t":"MESSAGE_CREATE","d":{"content":"","nonce":"","author":{"id":""}}})",
      R"([1,2])",
      R"({"op":)",
      R"({} {})",
      R"({})",
  };
  for (const auto& text : frames) {
    EXPECT_EQ(GatewayFrameTestDescribe(GatewayFrameTestParse(text)),
              GatewayFrameTestDescribe(GatewayFrameTestFromDom(text)))
        << text;
  }
}

}  // namespace
}  // namespace chat::loadgen
