#include "gateway/session_registry.hpp"

#include <mutex>

namespace chat::gateway {

void SessionRegistry::Add(std::shared_ptr<Session> session) {
  std::unique_lock lock(mutex_);
  by_user_.emplace(session->info().user_id, session);
  by_id_.emplace(session->info().id, std::move(session));
}

std::shared_ptr<Session> SessionRegistry::Find(std::string_view id) const {
  std::shared_lock lock(mutex_);
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : it->second;
}

bool SessionRegistry::Remove(const Session& session) {
  std::unique_lock lock(mutex_);
  auto it = by_id_.find(session.info().id);
  if (it == by_id_.end() || it->second.get() != &session) return false;
  by_id_.erase(it);
  auto [b, e] = by_user_.equal_range(session.info().user_id);
  for (auto u = b; u != e; ++u) {
    if (u->second.get() == &session) {
      by_user_.erase(u);
      break;
    }
  }
  return true;
}

bool SessionRegistry::RemoveIfExpired(const Session& session, std::int64_t now_ms,
                                      std::int64_t window_ms) {
  if (!session.ExpiredAt(now_ms, window_ms)) return false;
  return Remove(session);
}

std::vector<std::shared_ptr<Session>> SessionRegistry::TakeAll() {
  std::unique_lock lock(mutex_);
  std::vector<std::shared_ptr<Session>> all;
  all.reserve(by_id_.size());
  for (auto& [id, session] : by_id_) all.push_back(std::move(session));
  by_id_.clear();
  by_user_.clear();
  return all;
}

void SessionRegistry::Deliver(const bus::EventPtr& event) const {
  std::shared_lock lock(mutex_);
  for (const auto user : event->recipients) {
    auto [b, e] = by_user_.equal_range(user);
    for (auto it = b; it != e; ++it) it->second->Deliver(event);
  }
}

void SessionRegistry::RevokeBelow(domain::Snowflake user, std::int64_t version) const {
  std::shared_lock lock(mutex_);
  auto [b, e] = by_user_.equal_range(user);
  for (auto it = b; it != e; ++it) {
    if (it->second->info().token_version < version) it->second->Revoke();
  }
}

std::size_t SessionRegistry::size() const {
  std::shared_lock lock(mutex_);
  return by_id_.size();
}

}  // namespace chat::gateway
