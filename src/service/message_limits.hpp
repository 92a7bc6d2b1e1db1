// service/message_limits.hpp — what message sending remembers per user: slowmode (when a user may
// next post in a channel) and nonces (the first message an author sent with a nonce, for
// kNonceWindowMs, which enforce_nonce returns instead of posting again).
//
// With SharedKeys (several nodes on Redis) both live there, so a client cannot escape slowmode or
// post a retry twice by reaching another node. Without them, and whenever a shared call fails
// (Redis down: logged once per outage), this node's memory answers instead: each node then
// enforces the limits for the requests it serves, as a single node does. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "bus/shared_keys.hpp"
#include "common/expiring_map.hpp"
#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::service {

inline constexpr std::int64_t kNonceWindowMs = 5 * 60 * 1000;
// How long a claim outlives a request that never finished it (its node died while writing).
inline constexpr std::int64_t kNonceClaimMs = 15 * 1000;

class MessageLimits {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds: slowmode deadlines are shared by nodes

  explicit MessageLimits(Clock clock) : clock_(clock) {}
  MessageLimits(const MessageLimits&) = delete;
  MessageLimits& operator=(const MessageLimits&) = delete;

  // Keeps the limits in `keys` from now on (null: in memory). Set once before serving.
  void Share(bus::SharedKeys* keys) { shared_ = keys; }

  // The user's turn to post in a channel with a slowmode of `seconds`: nullopt when they may post
  // now, which starts their next wait; otherwise the seconds left until they may.
  std::optional<double> TakeSlowmodeTurn(domain::Snowflake channel_id, domain::Snowflake user_id,
                                         int seconds);
  // enforce_nonce: a request claims the nonce before it writes its message, so that a retry racing
  // it finds the claim and waits for that message rather than writing a second one.
  struct NonceClaim {
    enum class State {
      kClaimed,  // the caller holds the nonce: it writes `message_id`, then NonceSent or Release
      kPending,  // another request holds it and is still writing `message_id`
      kSent,     // `message_id` was sent with it (0: a value not ours, no message to return)
    };
    State state = State::kClaimed;
    domain::Snowflake message_id = 0;
  };
  NonceClaim ClaimNonce(domain::Snowflake author_id, const std::string& nonce,
                        domain::Snowflake message_id);
  // The claimed message is stored: the nonce names it for the rest of the window. Both act only
  // on the caller's own claim (`message_id`): one that outlived kNonceClaimMs may be another's.
  void NonceSent(domain::Snowflake author_id, const std::string& nonce,
                 domain::Snowflake message_id);
  // The claimed message was not stored: a retry may send it.
  void ReleaseNonce(domain::Snowflake author_id, const std::string& nonce,
                    domain::Snowflake message_id);
  // Without enforce_nonce: records `message_id` as sent with `nonce`, unless the nonce is taken
  // (a later enforce_nonce retry then returns the first message).
  void RememberNonce(domain::Snowflake author_id, const std::string& nonce,
                     domain::Snowflake message_id);

 private:
  const Clock clock_;
  bus::SharedKeys* shared_ = nullptr;
  bus::SharedKeysOutageLog outage_{"slowmode and nonces"};

  std::mutex mutex_;
  struct NonceEntry {
    domain::Snowflake message_id = 0;
    bool pending = false;  // claimed, not yet stored
  };
  // (author, nonce) → the message sent, or being sent, with it. Guarded by mutex_.
  ExpiringMap<std::pair<domain::Snowflake, std::string>, NonceEntry> nonces_;
  // (channel, user) → when the user may next post under slowmode. Guarded by mutex_.
  ExpiringMap<std::pair<domain::Snowflake, domain::Snowflake>, std::int64_t> slowmode_;
};

}  // namespace chat::service
