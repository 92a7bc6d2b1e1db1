// service/login_throttle.hpp — brute-force guard for logins. Failed attempts are counted per
// account and, with a higher allowance, per client address, in a fixed window; while a key is
// over its allowance every attempt is refused with the seconds left, the right password
// included, and once the window passes it works again. Successful logins do not count, so a
// crowd behind one address (the seed's load test) is not locked out.
//
// With SharedKeys (several nodes on Redis) the counts live there, so an attacker gains nothing by
// spreading attempts over the nodes; without them, or while they fail, in this node's memory.
// Calls then block on the network: make them from a worker pool. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "bus/shared_keys.hpp"
#include "common/result.hpp"

namespace chat::service {

struct LoginThrottleOptions {
  int max_account_failures = 5;
  int max_address_failures = 50;
  std::chrono::milliseconds window{60'000};
};

class LoginThrottle {
 public:
  using Clock = std::int64_t (*)();  // steady milliseconds
  explicit LoginThrottle(LoginThrottleOptions options, Clock clock = &SteadyMs);
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // Keeps the counts in `keys` from now on (null: in memory). Set once before serving.
  void Share(bus::SharedKeys* keys) { shared_ = keys; }

  // Seconds to wait when the account or the address is over its allowance; nullopt otherwise.
  std::optional<double> Check(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  void RecordSuccess(const std::string& account);

  static std::int64_t SteadyMs();

 private:
  struct Window {
    std::int64_t started_ms = 0;
    int failures = 0;
  };
  std::optional<double> Over(std::unordered_map<std::string, Window>& map, const std::string& key,
                             int limit, std::int64_t now);
  void Count(std::unordered_map<std::string, Window>& map, const std::string& key,
             std::int64_t now);

  Result<std::optional<double>> SharedCheck(const std::string& account, const std::string& address);
  Result<void> SharedFailure(const std::string& account, const std::string& address);

  const LoginThrottleOptions options_;
  const Clock clock_;
  bus::SharedKeys* shared_ = nullptr;
  bus::SharedKeysOutageLog outage_{"failed-login counts"};
  std::mutex mutex_;
  std::unordered_map<std::string, Window> accounts_;   // guarded by mutex_
  std::unordered_map<std::string, Window> addresses_;  // guarded by mutex_
  std::int64_t last_sweep_ms_ = 0;                     // guarded by mutex_
};

}  // namespace chat::service
