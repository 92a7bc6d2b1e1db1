// common/periodic_task.hpp — runs a piece of work every `interval` on a thread of its own, so
// that work which blocks (a heap trim, a database sweep) never runs on an I/O thread. The first
// run is one interval after construction, or at once with Start::kNow; destruction stops the thread
// without waiting out the interval (a run in progress finishes first). No library offers this; it
// is a thread and a timed wait.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace chat {

class PeriodicTask {
 public:
  enum class Start { kAfterInterval, kNow };
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> work,
               Start start = Start::kAfterInterval);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  std::jthread thread_;
};

}  // namespace chat
