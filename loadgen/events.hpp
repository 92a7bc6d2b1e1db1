// loadgen/events.hpp — coroutine wake-ups for the single-threaded run: an Event that wakes every
// waiter (callers re-check their condition), and a sleep. Header-only; include from .cpp files.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace chat::loadgen {

using SteadyTime = std::chrono::steady_clock::time_point;

class Event {
 public:
  explicit Event(boost::asio::io_context& io) : timer_(io) {}
  void Notify() { timer_.cancel(); }
  // Returns when notified or at `deadline`, whichever comes first; never throws.
  boost::asio::awaitable<void> WaitUntil(SteadyTime deadline) {
    timer_.expires_at(deadline);
    auto [ec] = co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;
  }

 private:
  boost::asio::steady_timer timer_;
};

inline boost::asio::awaitable<void> SleepUntil(boost::asio::io_context& io, SteadyTime when) {
  boost::asio::steady_timer timer(io, when);
  auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  (void)ec;
}

inline SteadyTime After(double seconds) {
  return std::chrono::steady_clock::now() +
         std::chrono::microseconds(static_cast<std::int64_t>(seconds * 1e6));
}

}  // namespace chat::loadgen
