#include "gateway/writer_wakes.hpp"

#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace chat::gateway {
namespace {

std::vector<std::shared_ptr<WriterWake>> MakeWriters(std::size_t n, std::vector<int>& resumed) {
  resumed.assign(n, 0);
  std::vector<std::shared_ptr<WriterWake>> writers;
  for (std::size_t i = 0; i < n; ++i) {
    auto w = std::make_shared<WriterWake>();
    w->resume = [&resumed, i] { ++resumed[i]; };
    writers.push_back(std::move(w));
  }
  return writers;
}

TEST(WriterWakes, WakesFromAnotherThreadResumeEveryWriterOnceOnTheContextThread) {
  net::io_context context(1);
  auto& wakes = WriterWakes::Of(context.get_executor());
  std::vector<int> resumed;
  auto writers = MakeWriters(1000, resumed);
  std::thread::id resumed_on;
  writers[999]->resume = [&] {
    ++resumed[999];
    resumed_on = std::this_thread::get_id();
  };
  std::thread publisher([&] {
    for (auto& w : writers) wakes.Wake(w);
  });
  publisher.join();
  context.run();
  for (int count : resumed) EXPECT_EQ(count, 1);
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

TEST(WriterWakes, AGoneWriterIsSkipped) {
  net::io_context context(1);
  std::vector<int> resumed;
  auto writers = MakeWriters(2, resumed);
  writers[0]->resume = nullptr;  // its connection ended after the frame was queued
  WriterWakes::Of(context.get_executor()).Wake(writers[0]);
  WriterWakes::Of(context.get_executor()).Wake(writers[1]);
  context.run();
  EXPECT_EQ(resumed[1], 1);
}

TEST(WriterWakes, ALargeBurstLetsOtherWorkOnTheThreadRunBetweenTurns) {
  net::io_context context(1);
  auto& wakes = WriterWakes::Of(context.get_executor());
  std::vector<int> resumed;
  auto writers = MakeWriters(1000, resumed);
  wakes.Wake(writers[0]);
  int resumed_before_other_work = -1;
  net::post(context, [&] {
    resumed_before_other_work = 0;
    for (int count : resumed) resumed_before_other_work += count;
  });
  for (std::size_t i = 1; i < writers.size(); ++i) wakes.Wake(writers[i]);
  context.run();
  EXPECT_GT(resumed_before_other_work, 0);
  EXPECT_LT(resumed_before_other_work, 1000);
  for (int count : resumed) EXPECT_EQ(count, 1);
}

TEST(WriterWakes, AWakeDuringABatchIsResumedInALaterOne) {
  net::io_context context(1);
  auto& wakes = WriterWakes::Of(context.get_executor());
  std::vector<int> resumed;
  auto writers = MakeWriters(2, resumed);
  // The first writer's resume queues a frame for the second and, once, for itself again.
  writers[0]->resume = [&] {
    if (++resumed[0] == 1) wakes.Wake(writers[0]);
    wakes.Wake(writers[1]);
  };
  wakes.Wake(writers[0]);
  context.run();
  EXPECT_EQ(resumed[0], 2);
  EXPECT_EQ(resumed[1], 2);
}

TEST(WriterWakes, RefusesAnExecutorOtherThanAnIoContexts) {
  net::thread_pool pool(1);
  EXPECT_THROW(WriterWakes::Of(pool.get_executor()), std::logic_error);
  pool.join();
}

}  // namespace
}  // namespace chat::gateway
