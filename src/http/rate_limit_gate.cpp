#include "http/rate_limit_gate.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string_view>

#include "domain/snowflake.hpp"
#include "service/auth/secure_token.hpp"

namespace chat::http {

namespace {

// Seconds with millisecond precision, as Discord writes them ("1.25", "1717171717.123").
std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// Discord's "major parameters": a route's limits are kept apart per channel, guild or webhook.
std::string_view MajorOf(const Context& ctx) {
  for (const auto& [name, value] : ctx.params) {
    if (name == "channel_id" || name == "guild_id" || name == "webhook_id") return value;
  }
  return {};
}

}  // namespace

boost::asio::awaitable<std::optional<Response>> RateLimitGate::Admit(const Context& ctx,
                                                                     Headers& headers) {
  const auto auth = ctx.request.Header("authorization");
  const std::string_view hook_token = ctx.Param("webhook_token");
  std::string token;
  if (!hook_token.empty()) {
    // A webhook's token routes (execute above all) count per webhook and token whatever
    // Authorization says (they never read it), so a wrong token spends no allowance of the real
    // one. The id as a number: "0<id>" names the same webhook.
    const auto hook = domain::ParseSnowflake(ctx.Param("webhook_id"));
    if (!hook) co_return std::nullopt;  // the route answers 404
    token = "w" + service::auth::Sha256Hex(domain::ToString(*hook) + "/" + std::string(hook_token))
                      .substr(0, 32);
  } else if (!auth || auth->empty()) {
    co_return std::nullopt;
  } else if (service::AuthService::IsBotToken(*auth)) {
    // A digest, never the token itself: keys may sit in Redis.
    token = "b" + service::auth::Sha256Hex(service::AuthService::TokenOf(*auth)).substr(0, 32);
  } else if (auto user = auth_.VerifyAccessToken(service::AuthService::TokenOf(*auth))) {
    token = "u" + std::to_string(user->user_id);
  } else {
    co_return std::nullopt;
  }
  char bucket_id[17];
  std::snprintf(bucket_id, sizeof bucket_id, "%016zx",
                std::hash<std::string>{}(ctx.request.method + " " + std::string(ctx.route)));
  const std::string bucket = std::string(bucket_id) + ":" + std::string(MajorOf(ctx));

  service::RateLimits::Verdict v;
  if (limits_.shared()) {
    v = co_await pool_.Run([&] { return limits_.Take(token, bucket); });
  } else {
    v = limits_.Take(token, bucket);
  }

  if (v.has_route) {
    const double reset_after = static_cast<double>(v.reset_after_ms) / 1000.0;
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    headers.emplace_back("X-RateLimit-Limit", std::to_string(v.limit));
    headers.emplace_back("X-RateLimit-Remaining", std::to_string(v.remaining));
    headers.emplace_back("X-RateLimit-Reset", Seconds(now + reset_after));
    headers.emplace_back("X-RateLimit-Reset-After", Seconds(reset_after));
    headers.emplace_back("X-RateLimit-Bucket", bucket_id);
  }
  if (v.allowed) co_return std::nullopt;

  const double retry = static_cast<double>(v.retry_after_ms) / 1000.0;
  Response r = Response::Json(429, boost::json::object{{"message", "You are being rate limited."},
                                                       {"retry_after", retry},
                                                       {"global", v.global}});
  r.headers.emplace_back("Retry-After", std::to_string(static_cast<long>(std::ceil(retry))));
  if (v.global) r.headers.emplace_back("X-RateLimit-Global", "true");
  r.headers.emplace_back("X-RateLimit-Scope", v.global ? "global" : "user");
  co_return r;
}

}  // namespace chat::http
