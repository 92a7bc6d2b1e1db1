// Unit tests of the HDR-style latency histogram.
#include "loadgen/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace chat::loadgen {
namespace {

TEST(Histogram, EmptyReportsZeros) {
  Histogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Percentile(50), 0);
  EXPECT_EQ(h.Percentile(99.9), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_DOUBLE_EQ(h.Mean(), 0.0);
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (int v = 0; v < 256; ++v) h.Record(v);
  EXPECT_EQ(h.Count(), 256u);
  EXPECT_EQ(h.Percentile(50), 127);
  EXPECT_EQ(h.Percentile(100), 255);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Max(), 255);
  EXPECT_DOUBLE_EQ(h.Mean(), 127.5);
}

TEST(Histogram, LargeValuesStayWithinOnePercent) {
  for (std::int64_t v : {300LL, 1'234LL, 99'999LL, 5'000'000LL, 123'456'789LL}) {
    Histogram h;
    h.Record(v);
    h.Record(1);  // makes the percentile pick a bucket, not the exact max
    const auto p = h.Percentile(100);
    EXPECT_EQ(p, v) << "the maximum is exact";
    Histogram g;
    g.Record(v);
    g.Record(v * 2);
    const double rel =
        std::fabs(static_cast<double>(g.Percentile(50) - v)) / static_cast<double>(v);
    EXPECT_LT(rel, 0.008) << v;
  }
}

TEST(Histogram, PercentilesOfAUniformSpread) {
  Histogram h;
  for (int v = 1; v <= 100000; ++v) h.Record(v);
  auto near = [](std::int64_t got, double want) {
    return std::fabs(static_cast<double>(got) - want) / want < 0.01;
  };
  EXPECT_TRUE(near(h.Percentile(50), 50000)) << h.Percentile(50);
  EXPECT_TRUE(near(h.Percentile(90), 90000)) << h.Percentile(90);
  EXPECT_TRUE(near(h.Percentile(99), 99000)) << h.Percentile(99);
  EXPECT_TRUE(near(h.Percentile(99.9), 99900)) << h.Percentile(99.9);
  EXPECT_EQ(h.Max(), 100000);
  EXPECT_EQ(h.Min(), 1);
}

TEST(Histogram, PercentilesNeverDecrease) {
  Histogram h;
  for (int i = 0; i < 5000; ++i) h.Record((i * 7919) % 300000);
  std::int64_t prev = 0;
  for (double q = 0; q <= 100; q += 0.5) {
    const auto p = h.Percentile(q);
    EXPECT_GE(p, prev) << q;
    prev = p;
  }
}

TEST(Histogram, OutliersAreClampedAndCounted) {
  Histogram h;
  h.Record(-5);
  h.Record(Histogram::kMaxTrackable * 4);
  EXPECT_EQ(h.Count(), 2u);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Max(), Histogram::kMaxTrackable);
}

TEST(Histogram, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, both;
  for (int v = 0; v < 1000; ++v) {
    (v % 2 ? a : b).Record(v * 37);
    both.Record(v * 37);
  }
  a.Merge(b);
  EXPECT_EQ(a.Count(), both.Count());
  EXPECT_EQ(a.Min(), both.Min());
  EXPECT_EQ(a.Max(), both.Max());
  for (double q : {1.0, 50.0, 90.0, 99.0, 99.9}) EXPECT_EQ(a.Percentile(q), both.Percentile(q));
}

TEST(Histogram, RecordWithCountWeighsTheValue) {
  Histogram h;
  h.Record(10, 99);
  h.Record(1000, 1);
  EXPECT_EQ(h.Count(), 100u);
  EXPECT_EQ(h.Percentile(99), 10);
  EXPECT_EQ(h.Percentile(100), 1000);
}

TEST(Histogram, ResetForgetsEverything) {
  Histogram h;
  h.Record(42);
  h.Reset();
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Percentile(50), 0);
}

}  // namespace
}  // namespace chat::loadgen
