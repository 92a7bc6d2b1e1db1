#include "service/auth/jwt.hpp"

#include <gtest/gtest.h>

#include <string>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "service/auth/secure_token.hpp"

namespace chat::service::auth {
namespace {

constexpr std::string_view kSecret = "test-secret-0123456789abcdef0123456789";
constexpr std::int64_t kNow = 1700000000;
constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// Builds a token by hand with a correct HS256 signature over whatever header and payload the
// test chooses, so each refusal below is caused by the content, not by a bad MAC.
std::string SignSegments(std::string_view header_b64, std::string_view payload_b64,
                         std::string_view secret = kSecret) {
  std::string input = std::string(header_b64) + "." + std::string(payload_b64);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len));
}

std::string SignRaw(std::string_view header_json, std::string_view payload_json) {
  return SignSegments(Base64UrlEncode(header_json), Base64UrlEncode(payload_json));
}

std::string ValidPayload() {
  return R"({"sub":"175928847299117063","iat":1700000000,"exp":1700000900,"jti":"abc"})";
}

// Asserts refusal as Unauthorized, and that the reason in the message is the expected one.
void ExpectRefused(const Result<Claims>& result, std::string_view reason) {
  ASSERT_FALSE(result.has_value()) << "expected refusal: " << reason;
  EXPECT_EQ(result.error().code, Errc::kUnauthorized);
  EXPECT_NE(result.error().message.find(reason), std::string::npos) << result.error().message;
}

TEST(JwtCodec, RoundTripKeepsEveryClaim) {
  JwtCodec codec{std::string(kSecret)};
  // Above 2^53: must survive as an exact integer, hence the decimal string in the payload.
  const Claims in{175928847299117063ULL, kNow, kNow + 900, "token-id-1", 3};
  const std::string token = codec.Sign(in);
  auto out = codec.Verify(token, kNow);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->sub, in.sub);
  EXPECT_EQ(out->iat, in.iat);
  EXPECT_EQ(out->exp, in.exp);
  EXPECT_EQ(out->jti, in.jti);
  EXPECT_EQ(out->ver, 3);
}

TEST(JwtCodec, SubIsADecimalStringInThePayload) {
  JwtCodec codec{std::string(kSecret)};
  const std::string token = codec.Sign({175928847299117063ULL, kNow, kNow + 60, ""});
  const auto first = token.find('.'), second = token.find('.', first + 1);
  auto payload = Base64UrlDecode(token.substr(first + 1, second - first - 1));
  ASSERT_TRUE(payload);
  EXPECT_NE(payload->find(R"("sub":"175928847299117063")"), std::string::npos) << *payload;
  EXPECT_EQ(payload->find("jti"), std::string::npos);  // empty jti is left out
  EXPECT_EQ(payload->find("ver"), std::string::npos);  // so is a token version of 0
}

TEST(JwtCodec, HandBuiltHs256TokenVerifies) {
  // Guards the helper: the refusals below would be meaningless if it signed wrongly.
  JwtCodec codec{std::string(kSecret)};
  auto out = codec.Verify(SignRaw(kHs256Header, ValidPayload()), kNow);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->sub, 175928847299117063ULL);
  // typ is optional.
  EXPECT_TRUE(codec.Verify(SignRaw(R"({"alg":"HS256"})", ValidPayload()), kNow).has_value());
}

TEST(JwtCodec, RefusesAlgNone) {
  JwtCodec codec{std::string(kSecret)};
  ExpectRefused(codec.Verify(SignRaw(R"({"alg":"none","typ":"JWT"})", ValidPayload()), kNow),
                "alg");
  // The classic form: alg none with an empty signature.
  const std::string unsigned_token =
      Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(ValidPayload()) + ".";
  ExpectRefused(codec.Verify(unsigned_token, kNow), "alg");
}

TEST(JwtCodec, RefusesOtherAlgorithmsAndMissingAlg) {
  JwtCodec codec{std::string(kSecret)};
  ExpectRefused(codec.Verify(SignRaw(R"({"alg":"HS512","typ":"JWT"})", ValidPayload()), kNow),
                "alg");
  ExpectRefused(codec.Verify(SignRaw(R"({"alg":"RS256"})", ValidPayload()), kNow), "alg");
  ExpectRefused(codec.Verify(SignRaw(R"({"alg":"hs256"})", ValidPayload()), kNow), "alg");
  ExpectRefused(codec.Verify(SignRaw(R"({"typ":"JWT"})", ValidPayload()), kNow), "alg");
  ExpectRefused(codec.Verify(SignRaw(R"({"alg":256})", ValidPayload()), kNow), "alg");
  ExpectRefused(codec.Verify(SignRaw(R"({"alg":"HS256","crit":["exp"]})", ValidPayload()), kNow),
                "crit");
}

TEST(JwtCodec, RefusesBadOrMissingSignature) {
  JwtCodec codec{std::string(kSecret)};
  const std::string token = codec.Sign({42, kNow, kNow + 60, ""});
  const std::string unsigned_part = token.substr(0, token.rfind('.'));
  ExpectRefused(codec.Verify(unsigned_part + ".", kNow), "signature");
  ExpectRefused(codec.Verify(unsigned_part, kNow), "malformed");
  ExpectRefused(codec.Verify(unsigned_part + ".AAAA", kNow), "signature");
  // Same length, one character changed.
  std::string flipped = token;
  flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
  ExpectRefused(codec.Verify(flipped, kNow), "signature");
  // Signed with another secret.
  JwtCodec other{"another-secret-another-secret-0000"};
  ExpectRefused(codec.Verify(other.Sign({42, kNow, kNow + 60, ""}), kNow), "signature");
}

TEST(JwtCodec, RefusesTamperedPayload) {
  JwtCodec codec{std::string(kSecret)};
  const std::string token = codec.Sign({42, kNow, kNow + 60, ""});
  const auto first = token.find('.'), second = token.find('.', first + 1);
  // Same signature, payload naming another user and a later expiry.
  const std::string forged = token.substr(0, first + 1) +
                             Base64UrlEncode(R"({"sub":"1","iat":1700000000,"exp":1900000000})") +
                             token.substr(second);
  ExpectRefused(codec.Verify(forged, kNow), "signature");
}

TEST(JwtCodec, RefusesMalformedBase64AndJson) {
  JwtCodec codec{std::string(kSecret)};
  ExpectRefused(codec.Verify("", kNow), "malformed");
  ExpectRefused(codec.Verify("...", kNow), "malformed");
  ExpectRefused(codec.Verify("a.b.c.d", kNow), "malformed");
  ExpectRefused(codec.Verify("not a token", kNow), "malformed");
  ExpectRefused(codec.Verify("!!!.e30.AAAA", kNow), "malformed header");
  ExpectRefused(codec.Verify(SignRaw("{not json", ValidPayload()), kNow), "malformed header");
  ExpectRefused(codec.Verify(SignRaw(R"(["alg","HS256"])", ValidPayload()), kNow),
                "malformed header");
  ExpectRefused(codec.Verify(SignRaw(kHs256Header, "{\"sub\":"), kNow), "malformed payload");
  ExpectRefused(codec.Verify(SignRaw(kHs256Header, "42"), kNow), "malformed payload");
  // Segments that are not strict base64url, under valid signatures.
  const std::string header = Base64UrlEncode(kHs256Header);
  const std::string payload = Base64UrlEncode(ValidPayload());
  ExpectRefused(codec.Verify(SignSegments(header, "e30="), kNow), "malformed payload");  // "{}="
  ExpectRefused(codec.Verify(SignSegments(header, payload + "*"), kNow), "malformed payload");
  ExpectRefused(codec.Verify(SignSegments(header + "=", payload), kNow), "malformed header");
}

TEST(JwtCodec, RefusesMissingOrNonNumericSubAndExp) {
  JwtCodec codec{std::string(kSecret)};
  const auto verify = [&](std::string_view payload) {
    return codec.Verify(SignRaw(kHs256Header, payload), kNow);
  };
  ExpectRefused(verify(R"({"exp":1700000900})"), "sub");
  ExpectRefused(verify(R"({"sub":175928847299117063,"exp":1700000900})"), "sub");
  ExpectRefused(verify(R"({"sub":"abc","exp":1700000900})"), "sub");
  ExpectRefused(verify(R"({"sub":"-5","exp":1700000900})"), "sub");
  ExpectRefused(verify(R"({"sub":"","exp":1700000900})"), "sub");
  ExpectRefused(verify(R"({"sub":"42"})"), "exp");
  ExpectRefused(verify(R"({"sub":"42","exp":"1700000900"})"), "exp");
  ExpectRefused(verify(R"({"sub":"42","exp":1700000900.5})"), "exp");
  ExpectRefused(verify(R"({"sub":"42","exp":null})"), "exp");
  ExpectRefused(verify(R"({"sub":"42","exp":1700000900,"iat":"now"})"), "iat");
  ExpectRefused(verify(R"({"sub":"42","exp":1700000900,"jti":7})"), "jti");
  ExpectRefused(verify(R"({"sub":"42","exp":1700000900,"ver":-1})"), "ver");
  ExpectRefused(verify(R"({"sub":"42","exp":1700000900,"ver":"1"})"), "ver");
}

TEST(JwtCodec, RefusesExpiredTokensAtTheExpirySecond) {
  JwtCodec codec{std::string(kSecret)};
  const std::string token = codec.Sign({42, kNow, kNow + 900, ""});
  EXPECT_TRUE(codec.Verify(token, kNow + 899).has_value());
  ExpectRefused(codec.Verify(token, kNow + 900), "expired");
  ExpectRefused(codec.Verify(token, kNow + 100000), "expired");
}

TEST(JwtCodec, RefusesTokensLargerThan4KiB) {
  JwtCodec codec{std::string(kSecret)};
  // Validly signed, so size is the only reason to refuse it.
  const std::string big = codec.Sign({42, kNow, kNow + 60, std::string(4000, 'j')});
  ASSERT_GT(big.size(), JwtCodec::kMaxTokenBytes);
  ExpectRefused(codec.Verify(big, kNow), "too large");
  const std::string fits = codec.Sign({42, kNow, kNow + 60, std::string(2500, 'j')});
  ASSERT_LE(fits.size(), JwtCodec::kMaxTokenBytes);
  EXPECT_TRUE(codec.Verify(fits, kNow).has_value());
}

TEST(JwtCodec, EmptySecretIsAWiringBug) {
  EXPECT_THROW(JwtCodec{std::string()}, std::invalid_argument);
}

}  // namespace
}  // namespace chat::service::auth
