#include "store/postgres/postgres_pool.hpp"

#include <algorithm>
#include <utility>

#include "common/log.hpp"

namespace chat::store::postgres {

Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

Pool::Pool(ConnectSettings settings, int min, int max, std::chrono::milliseconds acquire_timeout)
    : settings_(std::move(settings)),
      min_(std::clamp(min, 0, std::max(max, 1))),
      max_(std::max(max, 1)),
      acquire_timeout_(acquire_timeout) {}

Pool::~Pool() = default;

void Pool::OpenMin() {
  std::vector<std::unique_ptr<Connection>> opened;
  {
    std::lock_guard lock(mutex_);
    if (open_ >= min_) return;
  }
  for (int i = 0; i < min_; ++i) {
    auto conn = Connection::Open(settings_);
    if (!conn) {
      log::Warn("chat_server::store", "PostgreSQL not reachable at start; connecting lazily");
      break;
    }
    opened.push_back(std::move(*conn));
  }
  std::lock_guard lock(mutex_);
  for (auto& conn : opened) {
    if (open_ >= max_) break;
    ++open_;
    idle_.push_back(std::move(conn));
  }
  returned_.notify_all();
}

Result<Lease> Pool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  std::unique_lock lock(mutex_);
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->CheckIdle()) return Lease(this, std::move(conn));
      // Died while idle (server restart, pg_terminate_backend): forget it and try the next.
      --open_;
      log::Info("chat_server::store", "dropping dead PostgreSQL connection");
    }
    if (open_ < max_) {
      ++open_;  // reserve the slot; connect without holding the lock
      lock.unlock();
      auto conn = Connection::Open(settings_);
      if (conn) return Lease(this, std::move(*conn));
      lock.lock();
      --open_;
      returned_.notify_one();
      return conn.error();
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_) {
      log::Warn("chat_server::store", "no PostgreSQL connection free within the acquire timeout",
                {{"max_connections", max_}});
      return Error::Unavailable("database busy");
    }
  }
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  // A connection still inside a transaction (its ROLLBACK failed) is as unusable as a dead one.
  const bool reusable = conn->healthy() && conn->idle_in_no_transaction();
  if (!reusable) conn.reset();  // disconnect outside the lock
  std::lock_guard lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  returned_.notify_one();
}

int Pool::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace chat::store::postgres
