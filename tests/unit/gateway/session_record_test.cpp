#include "gateway/session_record.hpp"

#include <string>

#include <gtest/gtest.h>

namespace chat::gateway {
namespace {

SessionRecord Sample() {
  SessionRecord r;
  r.info = SessionInfo{"0123456789abcdef0123456789abcdef", 42, true, 513, 1, 4, 3};
  r.seq = 7;
  r.replay = {{6, 1000, "MESSAGE_CREATE", R"({"content":"hi"})"},
              {7, 1001, "TYPING_START", R"({"user_id":"42"})"}};
  r.point = HandoffPoint{{{"w1-10-aa", 12}, {"w2-11-bb", 3}}, 5000};
  r.presence = Presence{"dnd", R"([{"name":"chess","type":0}])"};
  r.voice = {VoiceState{9, 42, 11, r.info.id, true, false}};
  return r;
}

TEST(SessionRecord, RoundTripsEveryField) {
  auto decoded = DecodeSessionRecord(EncodeSessionRecord(Sample()));
  ASSERT_TRUE(decoded) << decoded.error().message;
  const auto& r = *decoded;
  EXPECT_EQ(r.info.id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(r.info.user_id, 42u);
  EXPECT_TRUE(r.info.bot);
  EXPECT_EQ(r.info.intents, 513u);
  EXPECT_EQ(r.info.shard_id, 1);
  EXPECT_EQ(r.info.shard_count, 4);
  EXPECT_EQ(r.info.token_version, 3);
  EXPECT_EQ(r.seq, 7u);
  ASSERT_EQ(r.replay.size(), 2u);
  EXPECT_EQ(r.replay[0].seq, 6u);
  EXPECT_EQ(r.replay[0].at_ms, 1000);
  EXPECT_EQ(r.replay[0].type, "MESSAGE_CREATE");
  EXPECT_EQ(r.replay[0].payload, R"({"content":"hi"})");
  EXPECT_EQ(r.point.clock, (OriginClock{{"w1-10-aa", 12}, {"w2-11-bb", 3}}));
  EXPECT_EQ(r.point.at_ms, 5000);
  EXPECT_EQ(r.presence.status, "dnd");
  EXPECT_EQ(r.presence.activities_json, R"([{"name":"chess","type":0}])");
  ASSERT_EQ(r.voice.size(), 1u);
  EXPECT_EQ(r.voice[0].guild_id, 9u);
  EXPECT_EQ(r.voice[0].channel_id, 11u);
  EXPECT_TRUE(r.voice[0].self_mute);
}

TEST(SessionRecord, CarriesOnlyTheVoiceStatesOfItsOwnSessionAndUser) {
  auto other_session = Sample();
  other_session.voice[0].session_id = "another";
  EXPECT_FALSE(DecodeSessionRecord(EncodeSessionRecord(other_session)));
  auto other_user = Sample();
  other_user.voice[0].user_id = 43;
  EXPECT_FALSE(DecodeSessionRecord(EncodeSessionRecord(other_user)));
}

TEST(SessionRecord, KeyNamesTheUserSoAnotherUserCannotTakeIt) {
  EXPECT_EQ(SessionRecordKey(42, "abc"), "chat:session:42:abc");
  EXPECT_NE(SessionRecordKey(42, "abc"), SessionRecordKey(43, "abc"));
}

TEST(SessionRecord, RejectsAReplayWithAGapOrNotEndingAtSeq) {
  auto gap = Sample();
  gap.replay[0].seq = 5;
  EXPECT_FALSE(DecodeSessionRecord(EncodeSessionRecord(gap)));
  auto short_of_seq = Sample();
  short_of_seq.seq = 9;
  EXPECT_FALSE(DecodeSessionRecord(EncodeSessionRecord(short_of_seq)));
}

TEST(SessionRecord, RejectsWhatIsNotARecord) {
  for (const char* text :
       {"", "null", "[]", "{}", R"({"v":2})", "not json",
        R"({"v":1,"id":"x","user":0,"bot":false,"intents":1,"shard":[0,1],"seq":0,"at":1,)"
        R"("clock":{},"presence":{"status":"online"},"replay":[]})",
        R"({"v":1,"id":"x","user":5,"bot":false,"intents":1,"shard":[1,1],"seq":0,"at":1,)"
        R"("clock":{},"presence":{"status":"online"},"replay":[]})",
        R"({"v":1,"id":"x","user":5,"bot":false,"intents":1,"shard":[0,1],"seq":0,"at":1,)"
        R"("clock":{"n":-1},"presence":{"status":"online"},"replay":[]})",
        R"({"v":1,"id":"x","user":5,"bot":false,"intents":1,"shard":[0,1],"seq":0,"at":1,)"
        R"("clock":{},"presence":{"status":"asleep"},"replay":[]})",
        R"({"v":1,"id":"x","user":5,"bot":false,"intents":1,"shard":[0,1],"token_version":-1,)"
        R"("seq":0,"at":1,"clock":{},"presence":{"status":"online"},"replay":[]})"}) {
    EXPECT_FALSE(DecodeSessionRecord(text)) << text;
  }
  const char* minimal =
      R"({"v":1,"id":"x","user":5,"bot":false,"intents":1,"shard":[0,1],"seq":0,"at":1,)"
      R"("clock":{},"presence":{"status":"online"},"replay":[]})";
  EXPECT_TRUE(DecodeSessionRecord(minimal));
}

TEST(SessionRecord, ReplayKeepsThePayloadTheSessionWasSent) {
  auto e = std::make_shared<bus::Event>();
  e->type = "MESSAGE_CREATE";
  e->payload = R"({"content":"secret"})";
  e->payload_without_content = R"({"content":""})";
  const std::vector<Dispatch> held{{3, 100, e, /*without_content=*/true}};
  const auto recorded = RecordReplay(held);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].payload, R"({"content":""})");
  const auto restored = RestoreReplay(recorded);
  ASSERT_EQ(restored.size(), 1u);
  EXPECT_EQ(restored[0].seq, 3u);
  EXPECT_EQ(restored[0].Payload(), R"({"content":""})");
}

}  // namespace
}  // namespace chat::gateway
