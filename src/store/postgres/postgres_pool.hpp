// store/postgres/postgres_pool.hpp — a bounded pool of PostgreSQL connections. Connections open
// lazily up to `max`; Acquire() waits at most `acquire_timeout` for one to come back and then
// answers Error::Unavailable. A connection found dead (the server restarted, an admin terminated
// it) is dropped instead of reused, so service resumes by itself once the server is back.
// Thread-safe; a Lease belongs to one thread and must not outlive its Pool.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "common/result.hpp"
#include "store/postgres/postgres_db.hpp"

namespace chat::store::postgres {

class Pool;

// Exclusive use of one connection; gives it back (or drops it if it broke) on destruction.
class Lease {
 public:
  Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
};

class Pool {
 public:
  // max >= 1; min is clamped to max.
  Pool(ConnectSettings settings, int min, int max, std::chrono::milliseconds acquire_timeout);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // Opens connections until `min` are open; a failure is logged and left for later (lazy).
  void OpenMin();
  // An idle connection, a new one if fewer than `max` are open, or whichever is returned first
  // within the acquire timeout. Error::Unavailable on timeout or when connecting fails.
  [[nodiscard]] Result<Lease> Acquire();

  // For tests and metrics: connections currently open (idle or leased).
  int open_connections() const;

 private:
  friend class Lease;
  void Release(std::unique_ptr<Connection> conn);

  const ConnectSettings settings_;
  const int min_;
  const int max_;
  const std::chrono::milliseconds acquire_timeout_;

  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mutex_)
  int open_ = 0;  // GUARDED_BY(mutex_): idle + leased + being connected
};

}  // namespace chat::store::postgres
