#include "common/periodic_task.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace chat {
namespace {

// The outbox sweep starts this way, so that work a stopped node left is taken up as soon as the
// server is back, not an interval later: with an hour-long interval, only a run at start can
// reach the promise.
TEST(PeriodicTask, StartNowRunsAtOnceThenAtTheInterval) {
  std::promise<void> ran;
  auto first = ran.get_future();
  int runs = 0;
  {
    const PeriodicTask task(
        std::chrono::hours(1),
        [&] {
          if (++runs == 1) ran.set_value();
        },
        PeriodicTask::Start::kNow);
    ASSERT_EQ(first.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  }  // stops without waiting out the hour
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace chat
