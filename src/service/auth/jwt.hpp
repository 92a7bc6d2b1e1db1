// service/auth/jwt.hpp — HS256 JSON Web Tokens for access tokens (RFC 7519). Written by hand on
// OpenSSL's HMAC rather than with libjwt or cpp-jwt (both in Debian): those pull in more than
// these ~150 lines and accept several algorithms, while we want exactly one, HS256, and a
// refusal of everything else ("none", HS512, key-confusion tricks) that we can read and test.
// JwtCodec is immutable after construction and safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace chat::service::auth {

struct Claims {
  // User snowflake. Written as a decimal string: snowflakes exceed 2^53, where JSON numbers
  // lose precision in JavaScript clients.
  std::uint64_t sub = 0;
  std::int64_t iat = 0;  // unix seconds
  std::int64_t exp = 0;  // unix seconds; the token is refused from this second on
  std::string jti;       // token id, for revocation lists; omitted from the token when empty
  // The user's token version when issued (users.token_version); omitted when 0. A token below
  // the user's current version was issued before their sessions were ended and is refused.
  std::int64_t ver = 0;
};

class JwtCodec {
 public:
  // Tokens longer than this are refused before any decoding.
  static constexpr std::size_t kMaxTokenBytes = 4096;

  // `secret` is the HMAC key (JWT_SECRET). Config enforces its length; an empty secret here is
  // a wiring bug and throws std::invalid_argument.
  explicit JwtCodec(std::string secret);

  std::string Sign(const Claims& claims) const;

  // The claims of a token this codec signed that has not expired at `now_unix`. Any other
  // token gives Error::Unauthorized, whose message names the reason for logs.
  [[nodiscard]] Result<Claims> Verify(std::string_view token, std::int64_t now_unix) const;

 private:
  std::string Mac(std::string_view signing_input) const;

  const std::string secret_;
};

}  // namespace chat::service::auth
