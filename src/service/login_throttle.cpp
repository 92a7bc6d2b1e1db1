#include "service/login_throttle.hpp"

namespace chat::service {

LoginThrottle::LoginThrottle(LoginThrottleOptions options, Clock clock)
    : options_(options), clock_(clock) {}

std::int64_t LoginThrottle::SteadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::optional<double> LoginThrottle::Over(std::unordered_map<std::string, Window>& map,
                                          const std::string& key, int limit, std::int64_t now) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  const std::int64_t ends = it->second.started_ms + options_.window.count();
  if (now >= ends) {
    map.erase(it);
    return std::nullopt;
  }
  if (it->second.failures < limit) return std::nullopt;
  return static_cast<double>(ends - now) / 1000.0;
}

void LoginThrottle::Count(std::unordered_map<std::string, Window>& map, const std::string& key,
                          std::int64_t now) {
  auto& w = map[key];
  if (w.failures == 0 || now >= w.started_ms + options_.window.count()) {
    w.started_ms = now;
    w.failures = 0;
  }
  ++w.failures;
}

std::optional<double> LoginThrottle::Check(const std::string& account, const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  auto a = Over(accounts_, account, options_.max_account_failures, now);
  auto b = Over(addresses_, address, options_.max_address_failures, now);
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  // Forget finished windows now and then, so the maps stay as small as the attack is wide.
  if (now - last_sweep_ms_ > options_.window.count()) {
    last_sweep_ms_ = now;
    for (auto* map : {&accounts_, &addresses_}) {
      std::erase_if(*map, [&](const auto& kv) {
        return now >= kv.second.started_ms + options_.window.count();
      });
    }
  }
  Count(accounts_, account, now);
  Count(addresses_, address, now);
}

void LoginThrottle::RecordSuccess(const std::string& account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(account);
}

}  // namespace chat::service
