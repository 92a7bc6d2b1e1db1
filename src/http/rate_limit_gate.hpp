// http/rate_limit_gate.hpp — applies service::RateLimits to REST requests before their handler
// runs, as Discord does: every answer to a token-bearing request carries the route bucket's
// X-RateLimit-Limit / -Remaining / -Reset / -Reset-After / -Bucket, and a refused one is a 429
// with {message, retry_after, global}, Retry-After and X-RateLimit-Scope (discord.js and
// discord.py read exactly these). Counts belong to the principal: a user (its access token's
// `sub`, checked with the HMAC, so a fresh token from /auth/refresh brings no fresh allowance) or
// a bot token. Requests without a valid-looking token are not counted (their handler answers 401;
// logins have their own throttle). A bucket is the route's template and method with its
// channel_id, guild_id or webhook_id.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/blocking_pool.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "service/auth_service.hpp"
#include "service/rate_limits.hpp"

namespace chat::http {

class RateLimitGate {
 public:
  // `pool` runs the counting when the limits are shared (a Redis round trip); both outlive this.
  RateLimitGate(service::RateLimits& limits, const service::AuthService& auth, BlockingPool& pool)
      : limits_(limits), auth_(auth), pool_(pool) {}

  using Headers = std::vector<std::pair<std::string, std::string>>;
  // Counts the request. Returns the 429 to answer instead of running the handler, or nullopt;
  // `headers` receives the X-RateLimit-* headers for whichever response goes out.
  boost::asio::awaitable<std::optional<Response>> Admit(const Context& ctx, Headers& headers);

 private:
  service::RateLimits& limits_;
  const service::AuthService& auth_;
  BlockingPool& pool_;
};

}  // namespace chat::http
