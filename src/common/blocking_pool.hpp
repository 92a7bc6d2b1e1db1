// common/blocking_pool.hpp — a fixed set of threads for work that blocks: database calls and
// password hashing. Coroutines on I/O threads `co_await pool.Run(fn)`; fn runs on a pool thread and
// the coroutine resumes on its own executor, so no I/O thread ever waits on SQL or argon2.
// Exceptions thrown by fn are rethrown in the awaiting coroutine. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace boost::asio {
class thread_pool;
}

namespace chat {

class BlockingPool {
 public:
  BlockingPool(std::string name, unsigned threads);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> Run(F fn) {
    using R = std::invoke_result_t<F&>;
    // Named std::function objects, never temporaries, inside co_await: GCC 12 destroys a
    // temporary of a co_await expression twice.
    if constexpr (std::is_void_v<R>) {
      std::function<void()> work = [&fn] { fn(); };
      co_await RunErased(work);
    } else {
      std::optional<R> out;
      std::function<void()> work = [&] { out.emplace(fn()); };
      co_await RunErased(work);
      co_return std::move(*out);
    }
  }

  // Work submitted and not yet finished (queued or running).
  std::size_t Pending() const { return pending_.load(std::memory_order_relaxed); }
  const std::string& name() const { return name_; }
  unsigned threads() const { return threads_; }

  // Waits for queued work and joins the threads.
  void Join();

 private:
  boost::asio::awaitable<void> RunErased(std::function<void()>& fn);

  std::string name_;
  unsigned threads_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::atomic<std::size_t> pending_{0};
};

}  // namespace chat
