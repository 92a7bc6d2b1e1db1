// gateway/session_registry.hpp — this node's gateway sessions, by session id (for RESUME) and by
// user id (for fan-out). Deliver() is the bus handler: it hands an event to the sessions of its
// recipients and returns without waiting for any socket. Thread-safe (a shared mutex: many
// publishers deliver at once; adding and removing sessions take it exclusively).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bus/event_bus.hpp"
#include "gateway/session.hpp"

namespace chat::gateway {

class SessionRegistry {
 public:
  void Add(std::shared_ptr<Session> session);
  std::shared_ptr<Session> Find(std::string_view id) const;
  // True when it was registered (and is no more).
  bool Remove(const Session& session);
  // Removes `session` if it is still detached after `window_ms`; true when removed.
  bool RemoveIfExpired(const Session& session, std::int64_t now_ms, std::int64_t window_ms);
  // Removes and returns every session (a node handing them off as it shuts down).
  std::vector<std::shared_ptr<Session>> TakeAll();
  void Deliver(const bus::EventPtr& event) const;
  // Revokes the user's sessions opened under a token version below `version`.
  void RevokeBelow(domain::Snowflake user, std::int64_t version) const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Session>> by_id_;               // guarded
  std::unordered_multimap<domain::Snowflake, std::shared_ptr<Session>> by_user_;  // guarded
};

}  // namespace chat::gateway
