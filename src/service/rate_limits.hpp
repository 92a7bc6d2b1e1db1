// service/rate_limits.hpp — Discord's REST rate limits, per caller (a user or a bot, as the HTTP
// layer names it): a global allowance per second over all routes, and one per route bucket (a
// route with its channel or guild) per window. Fixed windows, which is what Discord's
// X-RateLimit-Limit / -Remaining / -Reset-After describe. No per-address limit: a crowd behind one
// proxy address must not lock itself out.
//
// With SharedKeys (several nodes on Redis) the counts live there, so a caller's allowance is the
// deployment's, not each node's; without them, or while they fail, in this node's memory. Shared
// calls block on the network: make them from a worker pool (`shared()` says whether they may).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "bus/shared_keys.hpp"

namespace chat::service {

struct RateLimitOptions {
  int global_per_second = 50;  // 0: no global limit
  int route_per_window = 25;   // 0: no route limit
  std::chrono::milliseconds route_window{5'000};
};

class RateLimits {
 public:
  using Clock = std::int64_t (*)();  // steady milliseconds
  explicit RateLimits(RateLimitOptions options, Clock clock = &SteadyMs);
  RateLimits(const RateLimits&) = delete;
  RateLimits& operator=(const RateLimits&) = delete;

  // Keeps the counts in `keys` from now on (null: in memory). Set once before serving.
  void Share(bus::SharedKeys* keys) { shared_ = keys; }
  bool shared() const { return shared_ != nullptr; }

  struct Verdict {
    bool allowed = true;
    bool global = false;     // refused by the global allowance (no route figures then)
    bool has_route = false;  // a route limit applies: limit, remaining and reset_after_ms are set
    int limit = 0;           // the route bucket's allowance per window
    int remaining = 0;       // of it, after this request
    std::int64_t reset_after_ms = 0;  // until the route bucket's window ends
    std::int64_t retry_after_ms = 0;  // when refused: until the refusing window ends
  };
  // Counts one request of `token` (the caller's key) to `bucket`; refused requests
  // count too, as Discord's do.
  Verdict Take(const std::string& token, const std::string& bucket);

  static std::int64_t SteadyMs();

 private:
  bus::SharedKeys::Counter Bump(const std::string& key, std::chrono::milliseconds window,
                                std::int64_t now);

  struct Window {
    std::int64_t ends_ms = 0;
    std::int64_t count = 0;
  };

  const RateLimitOptions options_;
  const Clock clock_;
  bus::SharedKeys* shared_ = nullptr;
  bus::SharedKeysOutageLog outage_{"REST rate-limit counts"};
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;  // guarded by mutex_
  std::int64_t last_sweep_ms_ = 0;                   // guarded by mutex_
};

}  // namespace chat::service
