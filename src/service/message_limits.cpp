#include "service/message_limits.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace chat::service {
namespace {

using domain::Snowflake;

constexpr std::int64_t kMaxSlowmodeMs = 21'600'000;  // Discord's longest slowmode, 6 hours

// A slowmode deadline (unix milliseconds) as stored.
std::optional<std::int64_t> ParseDeadline(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string SlowmodeKey(Snowflake channel_id, Snowflake user_id) {
  return "slowmode:" + std::to_string(channel_id) + ":" + std::to_string(user_id);
}

std::string NonceKey(Snowflake author_id, const std::string& nonce) {
  return "nonce:" + std::to_string(author_id) + ":" + nonce;
}

// A nonce's shared value: the message id, prefixed with 'p' while it is being written.
constexpr char kPendingMark = 'p';

MessageLimits::NonceClaim ParseNonceValue(std::string_view text) {
  using State = MessageLimits::NonceClaim::State;
  const bool pending = !text.empty() && text.front() == kPendingMark;
  if (pending) text.remove_prefix(1);
  auto id = domain::ParseSnowflake(text);
  if (!id || *id == 0) return {State::kSent, 0};  // not ours: nothing to wait for or return
  return {pending ? State::kPending : State::kSent, *id};
}

}  // namespace

std::optional<double> MessageLimits::TakeSlowmodeTurn(Snowflake channel_id, Snowflake user_id,
                                                      int seconds) {
  const std::int64_t now = clock_();
  const std::int64_t wait_ms = static_cast<std::int64_t>(seconds) * 1000;
  const std::int64_t until = now + wait_ms;
  if (shared_ != nullptr) {
    auto held = shared_->SetIfAbsent(SlowmodeKey(channel_id, user_id), std::to_string(until),
                                     std::chrono::milliseconds(wait_ms));
    if (held) {
      outage_.Worked();
      if (!*held) return std::nullopt;
      // Another request's deadline, which may be later than now + `seconds` if the slowmode was
      // shortened since; one that is not a number (not ours) counts as a whole wait.
      const std::int64_t other = ParseDeadline(**held).value_or(until);
      // The key outlives its deadline by clock skew between nodes at most: never answer 0.
      return static_cast<double>(std::clamp<std::int64_t>(other - now, 1, kMaxSlowmodeMs)) / 1000.0;
    }
    outage_.Failed(held.error());
  }
  std::lock_guard lock(mutex_);
  slowmode_.Expire(now);
  const auto key = std::make_pair(channel_id, user_id);
  if (const auto* next = slowmode_.Find(key, now)) {
    return static_cast<double>(*next - now) / 1000.0;
  }
  slowmode_.Put(key, until, until);
  return std::nullopt;
}

MessageLimits::NonceClaim MessageLimits::ClaimNonce(Snowflake author_id, const std::string& nonce,
                                                    Snowflake message_id) {
  using State = NonceClaim::State;
  if (shared_ != nullptr) {
    auto held =
        shared_->SetIfAbsent(NonceKey(author_id, nonce), kPendingMark + std::to_string(message_id),
                             std::chrono::milliseconds(kNonceClaimMs));
    if (held) {
      outage_.Worked();
      if (!*held) return {State::kClaimed, message_id};
      return ParseNonceValue(**held);
    }
    outage_.Failed(held.error());
  }
  const std::int64_t now = clock_();
  std::lock_guard lock(mutex_);
  nonces_.Expire(now);
  auto key = std::make_pair(author_id, nonce);
  if (const auto* e = nonces_.Find(key, now)) {
    return {e->pending ? State::kPending : State::kSent, e->message_id};
  }
  nonces_.Put(key, {message_id, true}, now + kNonceClaimMs);
  return {State::kClaimed, message_id};
}

void MessageLimits::NonceSent(Snowflake author_id, const std::string& nonce, Snowflake message_id) {
  if (shared_ != nullptr) {
    auto set =
        shared_->ReplaceIf(NonceKey(author_id, nonce), kPendingMark + std::to_string(message_id),
                           std::to_string(message_id), std::chrono::milliseconds(kNonceWindowMs));
    if (set) {
      outage_.Worked();
      if (*set) return;
      // Not our claim there (claimed in memory during an outage, or taken over after expiring):
      // this node's memory still learns the message.
    } else {
      outage_.Failed(set.error());
    }
  }
  const std::int64_t now = clock_();
  std::lock_guard lock(mutex_);
  const auto key = std::make_pair(author_id, nonce);
  const auto* held = nonces_.Find(key, now);
  if (held == nullptr || (held->pending && held->message_id == message_id)) {
    nonces_.Put(key, {message_id, false}, now + kNonceWindowMs);
  }
}

void MessageLimits::ReleaseNonce(Snowflake author_id, const std::string& nonce,
                                 Snowflake message_id) {
  if (shared_ != nullptr) {
    auto deleted =
        shared_->DeleteIf(NonceKey(author_id, nonce), kPendingMark + std::to_string(message_id));
    if (deleted) {
      outage_.Worked();
    } else {
      outage_.Failed(deleted.error());
    }
  }
  const auto key = std::make_pair(author_id, nonce);
  std::lock_guard lock(mutex_);
  const auto* held = nonces_.Find(key, clock_());
  if (held != nullptr && held->pending && held->message_id == message_id) nonces_.Erase(key);
}

void MessageLimits::RememberNonce(Snowflake author_id, const std::string& nonce,
                                  Snowflake message_id) {
  if (shared_ != nullptr) {
    auto held = shared_->SetIfAbsent(NonceKey(author_id, nonce), std::to_string(message_id),
                                     std::chrono::milliseconds(kNonceWindowMs));
    if (held) {
      outage_.Worked();
      return;
    }
    outage_.Failed(held.error());
  }
  const std::int64_t now = clock_();
  std::lock_guard lock(mutex_);
  nonces_.Expire(now);
  auto key = std::make_pair(author_id, nonce);
  if (nonces_.Find(key, now) == nullptr)
    nonces_.Put(key, {message_id, false}, now + kNonceWindowMs);
}

}  // namespace chat::service
