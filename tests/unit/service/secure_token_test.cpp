#include "service/auth/secure_token.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace chat::service::auth {
namespace {

using namespace std::string_literals;

bool IsBase64UrlAlphabet(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

TEST(Base64Url, MatchesRfc4648Vectors) {
  // RFC 4648 §10 test vectors, without padding.
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(Base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  // The URL-safe characters replace '+' and '/'.
  EXPECT_EQ(Base64UrlEncode("\xFB\xFF\xBF"), "-_-_");
}

TEST(Base64Url, DecodeIsTheStrictInverse) {
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), std::string(s));
  }
  const std::string binary = "\0\x01\xFE\xFF"s;
  EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(binary)), binary);
  EXPECT_FALSE(Base64UrlDecode("Zg=="));  // padding
  EXPECT_FALSE(Base64UrlDecode("Zm9+"));  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm9/"));
  EXPECT_FALSE(Base64UrlDecode("Z"));   // no byte count has this length
  EXPECT_FALSE(Base64UrlDecode("Zh"));  // leftover bits set: not the canonical "Zg"
  EXPECT_FALSE(Base64UrlDecode("Zm 9v"));
}

TEST(RandomToken, Is43UrlSafeCharactersAndNeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = RandomToken();
    ASSERT_EQ(token.size(), 43u);  // 32 bytes, unpadded
    ASSERT_TRUE(IsBase64UrlAlphabet(token)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomToken, LengthFollowsRequestedBytes) {
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_EQ(Base64UrlDecode(RandomToken(64))->size(), 64u);
  EXPECT_EQ(RandomToken(0), "");
}

TEST(Sha256Hex, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(Sha256Hex("token-a"), Sha256Hex("token-b"));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("same-digest", "same-digest"));
  EXPECT_FALSE(ConstantTimeEquals("same-digest", "same-digesT"));
  EXPECT_FALSE(ConstantTimeEquals("Xame-digest", "same-digest"));
  EXPECT_FALSE(ConstantTimeEquals("short", "shorter"));
  EXPECT_FALSE(ConstantTimeEquals("a\0b"s, "a\0c"s));
}

TEST(BotToken, HasDiscordShapeAndCarriesTheUserId) {
  const std::uint64_t bot_id = 175928847299117063ULL;
  const std::string token = MakeBotToken(bot_id);
  const auto dot = token.find('.');
  ASSERT_NE(dot, std::string::npos);
  EXPECT_EQ(Base64UrlDecode(token.substr(0, dot)), "175928847299117063");
  EXPECT_EQ(token.substr(dot + 1).size(), 43u);
  EXPECT_EQ(BotTokenUserId(token), bot_id);
  EXPECT_NE(MakeBotToken(bot_id), token);  // a fresh secret each time
}

TEST(BotToken, UserIdOfGarbageIsNothing) {
  const std::string id_part = Base64UrlEncode("175928847299117063");
  EXPECT_FALSE(BotTokenUserId(""));
  EXPECT_FALSE(BotTokenUserId("."));
  EXPECT_FALSE(BotTokenUserId(id_part));        // no secret part
  EXPECT_FALSE(BotTokenUserId(id_part + "."));  // empty secret part
  EXPECT_FALSE(BotTokenUserId(id_part + ".bad secret"));
  EXPECT_FALSE(BotTokenUserId("!!!." + RandomToken()));
  EXPECT_FALSE(BotTokenUserId(Base64UrlEncode("not-a-number") + "." + RandomToken()));
  EXPECT_FALSE(BotTokenUserId(Base64UrlEncode("-1") + "." + RandomToken()));
  EXPECT_FALSE(BotTokenUserId(Base64UrlEncode("0042") + "." + RandomToken()));  // not canonical
  EXPECT_FALSE(BotTokenUserId(Base64UrlEncode("99999999999999999999") + "." + RandomToken()));
  // A JWT is not a bot token, even though it has dots.
  EXPECT_FALSE(BotTokenUserId("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln"));
}

}  // namespace
}  // namespace chat::service::auth
