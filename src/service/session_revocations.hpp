// service/session_revocations.hpp — ending every session of a user at once, on every node (a
// password reset, a new bot token). The store raises the user's token version
// (users.token_version, TokenStore::EndUserSessions); this keeps each user's current version in
// memory, so that an access token issued under an older one is refused by an HMAC-and-lookup
// check that never touches the store, and publishes the change on the bus: every node's copy
// learns it, and every node's gateway closes the user's sessions opened under an older version.
//
// A change published while the Redis bus is down does not reach the other nodes by the bus; each
// node's gateway compares the stored versions with its own every presence beat and applies what it
// missed then (gateway.cpp, CatchUpEndedSessions).
//
// Thread-safe. Users who never had their sessions ended (nearly all) are not in the map; while it
// is empty a lookup is one atomic load.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "bus/event_bus.hpp"
#include "domain/snowflake.hpp"
#include "store/token_store.hpp"

namespace chat::service {

// The bus event that carries a store::SessionsEnded between nodes. Internal: the gateway acts on
// it and never dispatches it to a client.
inline constexpr std::string_view kSessionsEndedEvent = "SESSIONS_ENDED";
bus::Event SessionsEndedEvent(const store::SessionsEnded& ended);
// nullopt for any other event, or a malformed one.
std::optional<store::SessionsEnded> ParseSessionsEnded(const bus::Event& event);

class SessionRevocations {
 public:
  SessionRevocations() = default;
  ~SessionRevocations();
  SessionRevocations(const SessionRevocations&) = delete;
  SessionRevocations& operator=(const SessionRevocations&) = delete;

  // The stored versions (TokenStore::ListTokenVersions), at start.
  void Load(std::span<const store::TokenVersionList::value_type> versions);
  // Learns other nodes' changes from `bus`, and publishes this node's there. Once, before use.
  void Attach(bus::EventBus& bus);
  // 0 for a user whose sessions were never ended.
  std::int64_t VersionOf(domain::Snowflake user) const;
  // The store just ended the user's sessions: known here at once, and published.
  void Ended(const store::SessionsEnded& ended);

 private:
  void Raise(domain::Snowflake user, std::int64_t version);

  mutable std::shared_mutex mutex_;
  std::unordered_map<domain::Snowflake, std::int64_t> versions_;  // guarded by mutex_
  std::atomic<bool> any_{false};
  bus::EventBus* bus_ = nullptr;
  std::uint64_t subscription_ = 0;
};

}  // namespace chat::service
