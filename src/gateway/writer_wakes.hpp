// gateway/writer_wakes.hpp — resumes waiting connection writers in batches: one posted handler per
// io_context for a whole burst, instead of one per connection. A message to 1,000 members wakes
// ~1,000 writers at once; posting each one alone cost a handler allocation, a strand and the
// scheduler's lock (~15 % of the server's CPU in a fan-out profile).
// The batch calls each writer directly, which is safe only because an io_context here is run by
// exactly one thread (HttpServer's are): every connection on it is confined to that thread.
// Thread-safe: Wake() may be called from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/net.hpp"

namespace chat::gateway {

// How a pushed frame resumes a waiting writer. Shared with the outbox, which may be pushed to
// from other threads until the session lets go of it; `resume` is set and cleared on the
// connection's thread, and is empty once the connection is gone.
struct WriterWake {
  std::function<void()> resume;
};

class WriterWakes final : public net::execution_context::service {
 public:
  using key_type = WriterWakes;
  static inline net::execution_context::id id;
  // At most this many writers run per turn of the io_context, so that a large burst does not
  // hold back the reads and requests of the other connections on the same thread.
  static constexpr std::size_t kMaxPerTurn = 128;

  explicit WriterWakes(net::io_context& context);

  // The service of the io_context `executor` runs on. Requires an io_context executor.
  static WriterWakes& Of(const net::any_io_executor& executor);

  // Runs `wake->resume` (if still set) on the io_context's thread, soon.
  void Wake(std::shared_ptr<WriterWake> wake);

 private:
  void shutdown() override;
  void Run();

  net::io_context& context_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<WriterWake>> pending_;  // guarded by mutex_
  bool scheduled_ = false;                            // guarded by mutex_: Run() is queued
  // The batch being run, and how far; touched only on the io_context's thread.
  std::vector<std::shared_ptr<WriterWake>> running_;
  std::size_t next_ = 0;
};

}  // namespace chat::gateway
