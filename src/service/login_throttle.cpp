#include "service/login_throttle.hpp"

#include <algorithm>

namespace chat::service {
namespace {

std::string AccountKey(const std::string& account) { return "login:account:" + account; }
std::string AddressKey(const std::string& address) { return "login:address:" + address; }

}  // namespace

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

// The wait the shared counts impose; an error when the shared keys failed.
Result<std::optional<double>> LoginThrottle::SharedCheck(const std::string& account,
                                                         const std::string& address) {
  auto a = shared_->Count(AccountKey(account));
  if (!a) return a.error();
  auto b = shared_->Count(AddressKey(address));
  if (!b) return b.error();
  std::int64_t wait_ms = 0;
  if (a->value >= options_.max_account_failures) wait_ms = a->ms_left;
  if (b->value >= options_.max_address_failures) wait_ms = std::max(wait_ms, b->ms_left);
  if (wait_ms <= 0) return std::optional<double>();
  return std::optional<double>(static_cast<double>(wait_ms) / 1000.0);
}

std::optional<double> LoginThrottle::Check(const std::string& account, const std::string& address) {
  if (shared_ != nullptr) {
    auto wait = SharedCheck(account, address);
    if (wait) {
      outage_.Worked();
      return *wait;
    }
    outage_.Failed(wait.error());  // this node's memory answers meanwhile
  }
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  auto a = Over(accounts_, account, options_.max_account_failures, now);
  auto b = Over(addresses_, address, options_.max_address_failures, now);
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}

Result<void> LoginThrottle::SharedFailure(const std::string& account, const std::string& address) {
  if (auto a = shared_->Increment(AccountKey(account), options_.window); !a) return a.error();
  if (auto b = shared_->Increment(AddressKey(address), options_.window); !b) return b.error();
  return {};
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  if (shared_ != nullptr) {
    auto counted = SharedFailure(account, address);
    if (counted) {
      outage_.Worked();
      return;
    }
    outage_.Failed(counted.error());
  }
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
  if (shared_ != nullptr) {
    if (auto r = shared_->Delete(AccountKey(account)); r) {
      outage_.Worked();
    } else {
      outage_.Failed(r.error());
    }
  }
  std::lock_guard lock(mutex_);
  accounts_.erase(account);
}

}  // namespace chat::service
