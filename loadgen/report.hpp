// loadgen/report.hpp — the result of one run: named figures, latency summaries and PASS/FAIL
// checks, rendered as an aligned table (stdout) or JSON (--json). Overall PASS iff every check
// passes and there is at least one.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "loadgen/histogram.hpp"

namespace chat::loadgen {

struct LatencySummary {
  std::uint64_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};
LatencySummary Summarize(const Histogram& h);

class Report {
 public:
  Report() = default;
  explicit Report(std::string scenario) : scenario_(std::move(scenario)) {}

  void Config(const std::string& key, boost::json::value value);
  void Config(const std::string& key, const std::string& value);
  void Metric(const std::string& key, double value, const std::string& unit = "");
  void Latency(const std::string& key, const Histogram& h);
  // A threshold: `expectation` is shown as written (e.g. "p95 < 500 ms").
  void Check(const std::string& name, const std::string& expectation, double value, bool pass);
  void Note(const std::string& text);

  bool Passed() const;
  const std::string& scenario() const { return scenario_; }
  std::string Table() const;
  boost::json::object Json() const;

 private:
  struct MetricRow {
    std::string key;
    double value;
    std::string unit;
  };
  struct LatencyRow {
    std::string key;
    LatencySummary summary;
  };
  struct CheckRow {
    std::string name;
    std::string expectation;
    double value;
    bool pass;
  };
  std::string scenario_;
  boost::json::object config_;
  std::vector<MetricRow> metrics_;
  std::vector<LatencyRow> latencies_;
  std::vector<CheckRow> checks_;
  std::vector<std::string> notes_;
};

}  // namespace chat::loadgen
