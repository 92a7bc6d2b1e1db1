// SharedKeys for the service tests: MemoryKeys keeps the semantics (set unless present, counters
// in a fixed window, expiry) on the test's clock; FailingKeys is Redis down. RedisSharedKeys has
// its own tests against Redis, and test_multinode.py drives the services through two real nodes.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bus/shared_keys.hpp"

namespace chat::service {

class MemoryKeys final : public bus::SharedKeys {
 public:
  explicit MemoryKeys(const std::int64_t* now_ms) : now_(now_ms) {}

  Result<std::optional<std::string>> SetIfAbsent(std::string_view key, std::string_view value,
                                                 std::chrono::milliseconds ttl) override {
    if (auto held = Get(key); *held) return held;
    entries[std::string(key)] = {std::string(value), *now_ + ttl.count()};
    return std::optional<std::string>();
  }
  Result<bool> ReplaceIf(std::string_view key, std::string_view expected, std::string_view value,
                         std::chrono::milliseconds ttl) override {
    const Entry* e = Live(key);
    if (e == nullptr || e->value != expected) return false;
    entries[std::string(key)] = {std::string(value), *now_ + ttl.count()};
    return true;
  }
  Result<bool> DeleteIf(std::string_view key, std::string_view expected) override {
    const Entry* e = Live(key);
    if (e == nullptr || e->value != expected) return false;
    entries.erase(std::string(key));
    return true;
  }
  Result<std::optional<std::string>> Get(std::string_view key) override {
    const Entry* e = Live(key);
    if (e == nullptr) return std::optional<std::string>();
    return std::optional<std::string>(e->value);
  }
  Result<Counter> Increment(std::string_view key, std::chrono::milliseconds ttl) override {
    const Entry* e = Live(key);
    const std::int64_t value = e != nullptr ? std::stoll(e->value) + 1 : 1;
    const std::int64_t expires = e != nullptr ? e->expires_ms : *now_ + ttl.count();
    entries[std::string(key)] = {std::to_string(value), expires};
    return Counter{value, expires - *now_};
  }
  Result<Counter> Count(std::string_view key) override {
    const Entry* e = Live(key);
    if (e == nullptr) return Counter{};
    return Counter{std::stoll(e->value), e->expires_ms - *now_};
  }
  Result<void> Delete(std::string_view key) override {
    entries.erase(std::string(key));
    return {};
  }

  struct Entry {
    std::string value;
    std::int64_t expires_ms = 0;
  };
  std::map<std::string, Entry> entries;

 private:
  const Entry* Live(std::string_view key) const {
    auto it = entries.find(std::string(key));
    if (it == entries.end() || it->second.expires_ms <= *now_) return nullptr;
    return &it->second;
  }
  const std::int64_t* now_;
};

class FailingKeys final : public bus::SharedKeys {
 public:
  Result<std::optional<std::string>> SetIfAbsent(std::string_view, std::string_view,
                                                 std::chrono::milliseconds) override {
    return Down();
  }
  Result<bool> ReplaceIf(std::string_view, std::string_view, std::string_view,
                         std::chrono::milliseconds) override {
    return Down();
  }
  Result<bool> DeleteIf(std::string_view, std::string_view) override { return Down(); }
  Result<std::optional<std::string>> Get(std::string_view) override { return Down(); }
  Result<Counter> Increment(std::string_view, std::chrono::milliseconds) override { return Down(); }
  Result<Counter> Count(std::string_view) override { return Down(); }
  Result<void> Delete(std::string_view) override { return Down(); }

 private:
  static Error Down() { return Error{Errc::kCache, "redis: connect: Connection refused"}; }
};

}  // namespace chat::service
