#include "service/auth/jwt.hpp"

#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/json.hpp>

#include "domain/snowflake.hpp"
#include "service/auth/secure_token.hpp"

namespace chat::service::auth {
namespace {

namespace json = boost::json;

constexpr std::size_t kSignatureBytes = 32;  // SHA-256 output

Error Refuse(std::string_view reason) {
  return Error::Unauthorized("401: Unauthorized (" + std::string(reason) + ")");
}

// Decodes one base64url segment as a JSON object; nullopt for anything else.
std::optional<json::object> DecodeObject(std::string_view segment) {
  const auto text = Base64UrlDecode(segment);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

// A JSON integer that fits int64. Doubles are refused: 1.5e9 is not a time we wrote.
std::optional<std::int64_t> AsInt64(const json::value& value) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64() &&
      value.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  return std::nullopt;
}

}  // namespace

JwtCodec::JwtCodec(std::string secret) : secret_(std::move(secret)) {
  if (secret_.empty()) throw std::invalid_argument("JwtCodec: empty secret");
}

std::string JwtCodec::Mac(std::string_view signing_input) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
           &mac_len) == nullptr) {
    throw std::runtime_error("JwtCodec: HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

std::string JwtCodec::Sign(const Claims& claims) const {
  // Fixed header text: nothing about it varies, so there is nothing to serialize.
  static const std::string kHeader = Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})");
  json::object payload;
  payload["sub"] = domain::ToString(claims.sub);
  payload["iat"] = claims.iat;
  payload["exp"] = claims.exp;
  if (!claims.jti.empty()) payload["jti"] = claims.jti;
  if (claims.ver != 0) payload["ver"] = claims.ver;
  std::string token = kHeader + "." + Base64UrlEncode(json::serialize(payload));
  const std::string signature = Base64UrlEncode(Mac(token));
  token += ".";
  token += signature;
  return token;
}

Result<Claims> JwtCodec::Verify(std::string_view token, std::int64_t now_unix) const {
  if (token.size() > kMaxTokenBytes) return Refuse("token too large");
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Refuse("malformed token");
  }
  const std::string_view signing_input = token.substr(0, dot2);

  const auto header = DecodeObject(token.substr(0, dot1));
  if (!header) return Refuse("malformed header");
  // Only HS256: "none" would skip the signature, and anything else is not what we issue.
  const json::value* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") {
    return Refuse("unsupported alg");
  }
  // RFC 7515 §4.1.11: extensions we do not understand must not be ignored.
  if (header->contains("crit")) return Refuse("unsupported crit header");

  // Check the signature before reading any claim, so unsigned payloads are never interpreted.
  const auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!signature || signature->size() != kSignatureBytes) return Refuse("bad signature");
  const std::string expected = Mac(signing_input);
  if (CRYPTO_memcmp(expected.data(), signature->data(), kSignatureBytes) != 0) {
    return Refuse("bad signature");
  }

  const auto payload = DecodeObject(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return Refuse("malformed payload");
  Claims claims;
  const json::value* sub = payload->if_contains("sub");
  if (sub == nullptr || !sub->is_string()) return Refuse("missing sub");
  const auto sub_id = domain::ParseSnowflake(std::string_view(sub->get_string()));
  if (!sub_id) return Refuse("bad sub");
  claims.sub = *sub_id;

  const json::value* exp = payload->if_contains("exp");
  const auto exp_value = exp != nullptr ? AsInt64(*exp) : std::nullopt;
  if (!exp_value) return Refuse("missing exp");
  claims.exp = *exp_value;
  if (claims.exp <= now_unix) return Refuse("token expired");

  if (const json::value* iat = payload->if_contains("iat")) {
    const auto iat_value = AsInt64(*iat);
    if (!iat_value) return Refuse("bad iat");
    claims.iat = *iat_value;
  }
  if (const json::value* ver = payload->if_contains("ver")) {
    const auto ver_value = AsInt64(*ver);
    if (!ver_value || *ver_value < 0) return Refuse("bad ver");
    claims.ver = *ver_value;
  }
  if (const json::value* jti = payload->if_contains("jti")) {
    if (!jti->is_string()) return Refuse("bad jti");
    claims.jti = std::string(jti->get_string());
  }
  return claims;
}

}  // namespace chat::service::auth
