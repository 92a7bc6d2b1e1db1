// The Redis wire form of a bus event: every field survives the round trip, optional fields stay
// absent, payloads are binary-safe, and anything malformed is an error rather than a crash.
#include "bus/redis/event_codec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat::bus::redis {
namespace {

Event FullEvent() {
  Event e;
  e.type = "MESSAGE_CREATE";
  e.guild_id = 1234567890123456789ull;
  e.recipients = {1, 42, 9223372036854775807ull, 18446744073709551615ull};
  e.intent = Intent::kGuildMessages;
  e.payload = R"({"id":"5","content":"hi"})";
  e.author_id = 77;
  e.payload_without_content = R"({"id":"5","content":""})";
  e.mentioned = {42, 18446744073709551615ull};
  return e;
}

TEST(EventCodec, RoundTripKeepsEveryField) {
  const Event e = FullEvent();
  auto decoded = DecodeEvent(EncodeEvent(e, "node-a"));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->node_id, "node-a");
  EXPECT_EQ(decoded->event.type, e.type);
  EXPECT_EQ(decoded->event.guild_id, e.guild_id);
  EXPECT_EQ(decoded->event.recipients, e.recipients);
  EXPECT_EQ(decoded->event.intent, e.intent);
  EXPECT_EQ(decoded->event.payload, e.payload);
  EXPECT_EQ(decoded->event.author_id, e.author_id);
  EXPECT_EQ(decoded->event.payload_without_content, e.payload_without_content);
  EXPECT_EQ(decoded->event.mentioned, e.mentioned);
}

TEST(EventCodec, OriginAndItsSeqCross) {
  Event e = FullEvent();
  e.origin_seq = 41;
  auto decoded = DecodeEvent(EncodeEvent(e, "node-a"));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->event.origin, "node-a");
  EXPECT_EQ(decoded->event.origin_seq, 41u);
  std::string text = EncodeEvent(e, "node-a");
  const auto at = text.find("\"seq\":41");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, "\"seq\":-1");
  EXPECT_FALSE(DecodeEvent(text));
}

TEST(EventCodec, EmptyAndAbsentFieldsStayEmptyAndAbsent) {
  Event e;
  e.type = "TYPING_START";
  auto decoded = DecodeEvent(EncodeEvent(e, "n"));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->event.type, "TYPING_START");
  EXPECT_FALSE(decoded->event.guild_id);
  EXPECT_TRUE(decoded->event.recipients.empty());
  EXPECT_EQ(decoded->event.intent, Intent::kNone);
  EXPECT_EQ(decoded->event.payload, "");
  EXPECT_FALSE(decoded->event.author_id);
  EXPECT_FALSE(decoded->event.payload_without_content);
}

TEST(EventCodec, EmptyPayloadWithoutContentIsKeptDistinctFromAbsent) {
  Event e = FullEvent();
  e.payload_without_content = "";
  auto decoded = DecodeEvent(EncodeEvent(e, "n"));
  ASSERT_TRUE(decoded);
  ASSERT_TRUE(decoded->event.payload_without_content);
  EXPECT_EQ(*decoded->event.payload_without_content, "");
}

TEST(EventCodec, PayloadIsBinarySafe) {
  Event e = FullEvent();
  e.payload = std::string("quotes \" and \\ backslash\nnew\r\nline\ttab ") + "é ✓ 😀 " +
              std::string("\0nul\x01\x7f", 7) + "\xff\xfe invalid utf-8 \xc3";
  e.payload_without_content = std::string("\"}{]\0", 5);
  auto decoded = DecodeEvent(EncodeEvent(e, "n"));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->event.payload, e.payload);
  EXPECT_EQ(decoded->event.payload_without_content, e.payload_without_content);
}

TEST(EventCodec, EveryIntentRoundTrips) {
  for (int i = -1; i <= 14; ++i) {
    Event e = FullEvent();
    e.intent = static_cast<Intent>(i);
    auto decoded = DecodeEvent(EncodeEvent(e, "n"));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(static_cast<int>(decoded->event.intent), i);
  }
}

TEST(EventCodec, RejectsGarbage) {
  for (std::string_view text :
       {"", "garbage", "{", "[]", "null", "42", "\"string\"", "{\"v\":1", "\xff\xfe"}) {
    EXPECT_FALSE(DecodeEvent(text)) << text;
  }
}

TEST(EventCodec, RejectsAnotherVersion) {
  std::string text = EncodeEvent(FullEvent(), "n");
  const auto at = text.find("\"v\":1");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 5, "\"v\":2");
  auto decoded = DecodeEvent(text);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("version"), std::string::npos);
  EXPECT_FALSE(DecodeEvent(R"({"node":"n","type":"T","recipients":[],"intent":1,"payload":""})"));
  EXPECT_FALSE(
      DecodeEvent(R"({"v":"1","node":"n","type":"T","recipients":[],"intent":1,"payload":""})"));
}

TEST(EventCodec, RejectsMissingOrMistypedFields) {
  const char* bad[] = {
      R"({"v":1,"type":"T","recipients":[],"intent":1,"payload":""})",            // no node
      R"({"v":1,"node":"","type":"T","recipients":[],"intent":1,"payload":""})",  // empty node
      R"({"v":1,"node":"n","recipients":[],"intent":1,"payload":""})",            // no type
      R"({"v":1,"node":"n","type":"","recipients":[],"intent":1,"payload":""})",  // empty type
      R"({"v":1,"node":"n","type":"T","intent":1,"payload":""})",                 // no recipients
      R"({"v":1,"node":"n","type":"T","recipients":{},"intent":1,"payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":["1"],"intent":1,"payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":[-1],"intent":1,"payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":[1.5],"intent":1,"payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"payload":""})",  // no intent
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":99,"payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":-2,"payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":"9","payload":""})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":1})",  // no payload
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":1,"payload":{}})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":1,"payload":"","guild_id":"1"})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":1,"payload":"","author_id":-5})",
      R"({"v":1,"node":"n","type":"T","recipients":[],"intent":1,"payload":"",)"
      R"("payload_without_content":3})",
  };
  for (const char* text : bad) EXPECT_FALSE(DecodeEvent(text)) << text;
  EXPECT_TRUE(
      DecodeEvent(R"({"v":1,"node":"n","type":"T","recipients":[],"intent":1,"payload":""})"));
}

TEST(EventCodec, TruncatedMessageIsRejected) {
  const std::string text = EncodeEvent(FullEvent(), "n");
  for (std::size_t n = 0; n < text.size(); n += 7) {
    EXPECT_FALSE(DecodeEvent(std::string_view(text).substr(0, n))) << n;
  }
}

}  // namespace
}  // namespace chat::bus::redis
