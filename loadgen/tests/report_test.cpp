// Unit tests of the run report: verdict, table and JSON shape.
#include "loadgen/report.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace chat::loadgen {
namespace {

TEST(LoadgenReport, PassesOnlyWhenEveryCheckPasses) {
  Report r("fanout");
  EXPECT_FALSE(r.Passed()) << "no checks: nothing was shown to work";
  r.Check("lost", "= 0", 0, true);
  EXPECT_TRUE(r.Passed());
  r.Check("duplicated", "= 0", 2, false);
  EXPECT_FALSE(r.Passed());
  EXPECT_NE(r.Table().find("FAIL"), std::string::npos);
}

TEST(LoadgenReport, JsonCarriesMetricsLatencyAndChecks) {
  Report r("rest");
  r.Config("concurrency", 4);
  r.Metric("requests", 120);
  Histogram h;
  for (int v = 1; v <= 1000; ++v) h.Record(v * 1000);  // 1..1000 ms
  r.Latency("all", h);
  r.Check("non-2xx responses", "= 0", 0, true);
  auto j = r.Json();
  EXPECT_EQ(j.at("scenario").as_string(), "rest");
  EXPECT_EQ(j.at("result").as_string(), "PASS");
  EXPECT_EQ(j.at("config").at("concurrency").as_int64(), 4);
  EXPECT_DOUBLE_EQ(j.at("metrics").at("requests").as_double(), 120);
  const auto& all = j.at("latency_ms").at("all").as_object();
  EXPECT_EQ(all.at("count").as_uint64(), 1000u);
  EXPECT_NEAR(all.at("p50").as_double(), 500, 5);
  EXPECT_NEAR(all.at("p99").as_double(), 990, 10);
  EXPECT_DOUBLE_EQ(all.at("max").as_double(), 1000);
  EXPECT_TRUE(j.at("checks").as_array().at(0).at("pass").as_bool());
}

}  // namespace
}  // namespace chat::loadgen
