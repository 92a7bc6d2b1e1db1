#include "gateway/protocol.hpp"

#include <string>

#include <gtest/gtest.h>

#include "gateway/rate_limiter.hpp"

namespace chat::gateway {
namespace {

CloseCode CloseOf(std::string_view text) {
  auto r = ParseCommand(text);
  EXPECT_TRUE(std::holds_alternative<CloseCode>(r)) << text;
  return std::holds_alternative<CloseCode>(r) ? std::get<CloseCode>(r) : CloseCode::kNormal;
}

Command CommandOf(std::string_view text) {
  auto r = ParseCommand(text);
  EXPECT_TRUE(std::holds_alternative<Command>(r)) << text;
  return std::holds_alternative<Command>(r) ? std::get<Command>(r) : Command{Heartbeat{}};
}

TEST(ParseCommand, NotJsonOrNotAnObjectIsADecodeError) {
  EXPECT_EQ(CloseOf("hello"), CloseCode::kDecodeError);
  EXPECT_EQ(CloseOf("[1,2]"), CloseCode::kDecodeError);
  EXPECT_EQ(CloseOf(R"({"d":null})"), CloseCode::kDecodeError);
  EXPECT_EQ(CloseOf(R"({"op":"1"})"), CloseCode::kDecodeError);
}

TEST(ParseCommand, PayloadOver4096BytesIsADecodeError) {
  std::string big = R"({"op":1,"d":null,"x":")" + std::string(4096, 'a') + "\"}";
  EXPECT_EQ(CloseOf(big), CloseCode::kDecodeError);
}

TEST(ParseCommand, ServerOnlyAndUnknownOpcodesAreRefused) {
  for (int op : {5, 7, 9, 10, 11, 99, -1}) {
    EXPECT_EQ(CloseOf(R"({"op":)" + std::to_string(op) + "}"), CloseCode::kUnknownOpcode) << op;
  }
  EXPECT_EQ(CloseOf(R"({"op":0,"t":"GUILD_CREATE","d":{}})"), CloseCode::kUnknownOpcode);
}

TEST(ParseCommand, HeartbeatCarriesTheLastSeqOrNull) {
  auto hb = std::get<Heartbeat>(CommandOf(R"({"op":1,"d":null})"));
  EXPECT_FALSE(hb.seq);
  hb = std::get<Heartbeat>(CommandOf(R"({"op":1,"d":42})"));
  EXPECT_EQ(hb.seq, 42u);
}

TEST(ParseCommand, IdentifyReadsDiscordFieldsAndClampsLargeThreshold) {
  auto id = std::get<Identify>(
      CommandOf(R"({"op":2,"d":{"token":"t","intents":513,"large_threshold":1000,"compress":true,)"
                R"("properties":{"os":"linux"},"shard":[0,1]}})"));
  EXPECT_EQ(id.token, "t");
  EXPECT_EQ(id.intents, 513u);
  EXPECT_EQ(id.large_threshold, 250);
  EXPECT_TRUE(id.compress);
  ASSERT_TRUE(id.shard);
  EXPECT_EQ(id.shard->second, 1);
}

TEST(ParseCommand, SeedIdentifyWithOnlyATokenHasNoIntents) {
  auto id = std::get<Identify>(CommandOf(R"({"op":2,"d":{"token":"abc"}})"));
  EXPECT_EQ(id.token, "abc");
  EXPECT_FALSE(id.intents);
  EXPECT_EQ(id.large_threshold, 50);
}

TEST(ParseCommand, BadShardIsInvalidShard) {
  EXPECT_EQ(CloseOf(R"({"op":2,"d":{"token":"t","intents":1,"shard":[1,1]}})"),
            CloseCode::kInvalidShard);
}

TEST(ParseCommand, ResumeNeedsSessionIdAndToken) {
  auto r = std::get<Resume>(CommandOf(R"({"op":6,"d":{"token":"t","session_id":"s","seq":7}})"));
  EXPECT_EQ(r.session_id, "s");
  EXPECT_EQ(r.seq, 7u);
  EXPECT_EQ(CloseOf(R"({"op":6,"d":{"token":"t"}})"), CloseCode::kDecodeError);
}

TEST(ParseCommand, SeedMessageCreateAcceptsStringOrNumberIds) {
  auto m = std::get<ClientMessage>(CommandOf(
      R"({"op":0,"t":"MESSAGE_CREATE","d":{"channel_id":123,"content":"hi","nonce":5}})"));
  EXPECT_EQ(m.channel_id, "123");
  EXPECT_EQ(m.content, "hi");
  EXPECT_EQ(m.nonce, "5");
}

TEST(ParseCommand, RequestGuildMembersAcceptsQueryOrUserIds) {
  auto r = std::get<RequestGuildMembers>(
      CommandOf(R"({"op":8,"d":{"guild_id":["1"],"query":"ad","limit":5,"nonce":"x"}})"));
  EXPECT_EQ(r.guild_id, "1");
  EXPECT_EQ(r.query, "ad");
  EXPECT_EQ(r.limit, 5);
  EXPECT_EQ(r.nonce, "x");
  r = std::get<RequestGuildMembers>(
      CommandOf(R"({"op":8,"d":{"guild_id":"1","user_ids":["2",3],"presences":true}})"));
  EXPECT_EQ(r.user_ids, (std::vector<std::string>{"2", "3"}));
  EXPECT_TRUE(r.presences);
  EXPECT_EQ(CloseOf(R"({"op":8,"d":{"query":""}})"), CloseCode::kDecodeError);
}

TEST(ParseCommand, PresenceUpdateNeedsAValidPresence) {
  auto p = std::get<PresenceUpdate>(CommandOf(R"({"op":3,"d":{"status":"idle","activities":[]}})"));
  EXPECT_EQ(p.presence.status, "idle");
  EXPECT_EQ(CloseOf(R"({"op":3,"d":{"status":"sleepy"}})"), CloseCode::kDecodeError);
  auto id = std::get<Identify>(
      CommandOf(R"({"op":2,"d":{"token":"t","presence":{"status":"dnd","activities":[]}}})"));
  ASSERT_TRUE(id.presence);
  EXPECT_EQ(id.presence->status, "dnd");
}

TEST(ParseCommand, VoiceStateUpdateJoinsOrLeaves) {
  auto v = std::get<VoiceStateUpdate>(CommandOf(
      R"({"op":4,"d":{"guild_id":"1","channel_id":"4","self_mute":true,"self_deaf":false}})"));
  EXPECT_EQ(v.channel_id, "4");
  EXPECT_TRUE(v.self_mute);
  v = std::get<VoiceStateUpdate>(CommandOf(R"({"op":4,"d":{"guild_id":"1","channel_id":null}})"));
  EXPECT_FALSE(v.channel_id);
  EXPECT_EQ(CloseOf(R"({"op":4,"d":{"channel_id":"4"}})"), CloseCode::kDecodeError);
}

TEST(ResolveIntents, UnknownBitsAreInvalid) {
  auto r = ResolveIntents(1ull << 18, false);
  ASSERT_TRUE(std::holds_alternative<CloseCode>(r));
  EXPECT_EQ(std::get<CloseCode>(r), CloseCode::kInvalidIntents);
}

TEST(ResolveIntents, PrivilegedIntentsAreAllowed) {
  auto r = ResolveIntents(kPrivilegedIntents, true);
  ASSERT_TRUE(std::holds_alternative<std::uint64_t>(r));
  EXPECT_EQ(std::get<std::uint64_t>(r), kPrivilegedIntents);
}

TEST(ResolveIntents, MissingIntentsMeanAllForUsersAndAreRefusedForBots) {
  EXPECT_EQ(std::get<std::uint64_t>(ResolveIntents(std::nullopt, false)), kKnownIntents);
  EXPECT_EQ(std::get<CloseCode>(ResolveIntents(std::nullopt, true)), CloseCode::kInvalidIntents);
}

TEST(ParseConnectTarget, DefaultsToVersion10AndReadsTheSeedToken) {
  auto p = std::get<ConnectParams>(ParseConnectTarget("/ws?token=a%2Eb"));
  EXPECT_EQ(p.version, 10);
  EXPECT_EQ(p.token, "a.b");
  p = std::get<ConnectParams>(ParseConnectTarget("/?v=9&encoding=json&compress=zlib-stream"));
  EXPECT_EQ(p.version, 9);
  EXPECT_TRUE(p.zlib_stream);
}

TEST(ParseConnectTarget, RefusesOtherVersionsAndEncodings) {
  EXPECT_EQ(std::get<CloseCode>(ParseConnectTarget("/?v=8")), CloseCode::kInvalidApiVersion);
  EXPECT_EQ(std::get<CloseCode>(ParseConnectTarget("/?v=x")), CloseCode::kInvalidApiVersion);
  EXPECT_EQ(std::get<CloseCode>(ParseConnectTarget("/?v=10&encoding=etf")),
            CloseCode::kDecodeError);
}

TEST(CloseCodes, FatalCodesAreNotResumable) {
  EXPECT_FALSE(IsResumable(CloseCode::kAuthenticationFailed));
  EXPECT_FALSE(IsResumable(CloseCode::kInvalidIntents));
  EXPECT_TRUE(IsResumable(CloseCode::kSessionTimedOut));
  EXPECT_TRUE(IsResumable(CloseCode::kUnknownError));
}

TEST(Frames, DispatchHeadSplicesIntoValidJson) {
  EXPECT_EQ(DispatchHead("READY", 1) + "{}}", R"({"op":0,"t":"READY","s":1,"d":{}})");
  EXPECT_EQ(HelloFrame(41250), R"({"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null})");
}

TEST(CommandRateLimiter, Allows120PerMinuteThenRefuses) {
  CommandRateLimiter limiter;
  for (int i = 0; i < 120; ++i) EXPECT_TRUE(limiter.Allow(1000 + i));
  EXPECT_FALSE(limiter.Allow(2000));
  EXPECT_TRUE(limiter.Allow(1000 + 60'000));  // a new window
}

}  // namespace
}  // namespace chat::gateway
