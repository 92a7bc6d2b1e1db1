#include "service/rate_limits.hpp"

#include <algorithm>

namespace chat::service {

RateLimits::RateLimits(RateLimitOptions options, Clock clock) : options_(options), clock_(clock) {}

std::int64_t RateLimits::SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bus::SharedKeys::Counter RateLimits::Bump(const std::string& key, std::chrono::milliseconds window,
                                          std::int64_t now) {
  if (shared_) {
    auto counted = shared_->Increment(key, window);
    if (counted) {
      outage_.Worked();
      return *counted;
    }
    outage_.Failed(counted.error());
  }
  std::lock_guard lock(mutex_);
  // Ended windows are dropped once per longest window, so the map holds only live tokens.
  const std::int64_t longest = std::max<std::int64_t>(options_.route_window.count(), 1'000);
  if (now - last_sweep_ms_ >= longest) {
    last_sweep_ms_ = now;
    std::erase_if(windows_, [now](const auto& kv) { return kv.second.ends_ms <= now; });
  }
  Window& w = windows_[key];
  if (w.ends_ms <= now) w = Window{now + window.count(), 0};
  ++w.count;
  return {w.count, w.ends_ms - now};
}

RateLimits::Verdict RateLimits::Take(const std::string& token, const std::string& bucket) {
  Verdict v;
  const std::int64_t now = clock_();
  if (options_.global_per_second > 0) {
    const auto g = Bump("rl:g:" + token, std::chrono::milliseconds(1'000), now);
    if (g.value > options_.global_per_second) {
      v.allowed = false;
      v.global = true;
      v.retry_after_ms = std::max<std::int64_t>(g.ms_left, 1);
      return v;
    }
  }
  if (options_.route_per_window > 0) {
    const auto r = Bump("rl:r:" + token + ":" + bucket, options_.route_window, now);
    v.has_route = true;
    v.limit = options_.route_per_window;
    v.remaining = static_cast<int>(std::max<std::int64_t>(v.limit - r.value, 0));
    v.reset_after_ms = std::max<std::int64_t>(r.ms_left, 1);
    if (r.value > v.limit) {
      v.allowed = false;
      v.retry_after_ms = v.reset_after_ms;
    }
  }
  return v;
}

}  // namespace chat::service
