// common/expiring_map.hpp — a map whose entries each carry a deadline, for the small per-node
// memories that must forget on their own (message nonces, slowmode). Expire(now) erases what is
// due, earliest deadline first, touching only those entries: the alternative, scanning the whole
// map now and then, costs a full pass per call once many entries are live. Not thread-safe: the
// owner guards it. Times are the owner's clock, in milliseconds; an entry lives while
// now < expires_at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>

namespace chat {

template <class Key, class Value>
class ExpiringMap {
 public:
  // The live value under `key`, or null.
  const Value* Find(const Key& key, std::int64_t now) const {
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.deadline->first <= now) return nullptr;
    return &it->second.value;
  }

  // Stores `value` under `key` until `expires_at`, replacing what was there.
  void Put(const Key& key, Value value, std::int64_t expires_at) {
    auto [it, inserted] = entries_.try_emplace(key);
    if (!inserted) deadlines_.erase(it->second.deadline);
    it->second.value = std::move(value);
    it->second.deadline = deadlines_.emplace(expires_at, &it->first);
  }

  void Erase(const Key& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    deadlines_.erase(it->second.deadline);
    entries_.erase(it);
  }

  // Erases every entry whose deadline is at or before `now`.
  void Expire(std::int64_t now) {
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
      entries_.erase(*deadlines_.begin()->second);
      deadlines_.erase(deadlines_.begin());
    }
  }

  std::size_t size() const { return entries_.size(); }

 private:
  // Each entry owns exactly one deadline, which points back at the entry's key (map nodes do
  // not move).
  using Deadlines = std::multimap<std::int64_t, const Key*>;
  struct Entry {
    Value value{};
    typename Deadlines::iterator deadline;
  };
  std::map<Key, Entry> entries_;
  Deadlines deadlines_;
};

}  // namespace chat
