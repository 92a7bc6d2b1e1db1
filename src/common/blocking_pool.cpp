#include "common/blocking_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace chat {

BlockingPool::BlockingPool(std::string name, unsigned threads)
    : name_(std::move(name)),
      threads_(threads == 0 ? 1 : threads),
      pool_(std::make_unique<boost::asio::thread_pool>(threads_)) {}

BlockingPool::~BlockingPool() { Join(); }

void BlockingPool::Join() {
  if (pool_) pool_->join();
}

boost::asio::awaitable<void> BlockingPool::RunErased(std::function<void()>& fn) {
  pending_.fetch_add(1, std::memory_order_relaxed);
  struct Done {
    std::atomic<std::size_t>& n;
    ~Done() { n.fetch_sub(1, std::memory_order_relaxed); }
  } done{pending_};
  // co_spawn onto the pool; awaiting it with use_awaitable resumes us on our own executor.
  co_await boost::asio::co_spawn(
      pool_->get_executor(),
      [&fn]() -> boost::asio::awaitable<void> {
        fn();
        co_return;
      },
      boost::asio::use_awaitable);
}

}  // namespace chat
