// common/metrics.hpp — a small Prometheus registry (no prometheus-cpp in Debian 12): counters
// and histograms keyed by label values, gauges read at scrape time, rendered in the text
// exposition format 0.0.4. Families are created at start-up by the composition root; Inc and
// Observe are thread-safe and cheap (a mutex per family, held for a map lookup).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chat::metrics {

using Labels = std::vector<std::string>;  // values, in the order the family declared names

class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);
  void Inc(const Labels& values, double by = 1);
  void Render(std::string& out) const;

 private:
  const std::string name_, help_;
  const std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::map<Labels, double> values_;  // guarded by mutex_
};

class HistogramFamily {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> buckets);
  void Observe(const Labels& values, double v);
  void Render(std::string& out) const;

 private:
  struct Series {
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative
    double sum = 0;
    std::uint64_t count = 0;
  };
  const std::string name_, help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> buckets_;
  mutable std::mutex mutex_;
  std::map<Labels, Series> series_;  // guarded by mutex_
};

// A value computed when scraped (open connections, RSS, fds).
struct Gauge {
  std::string name, help, type = "gauge", labels;  // labels pre-rendered: `version="0.1.0"`
  std::function<double()> read;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  CounterFamily& AddCounter(std::string name, std::string help, std::vector<std::string> labels);
  HistogramFamily& AddHistogram(std::string name, std::string help, std::vector<std::string> labels,
                                std::vector<double> buckets);
  void AddGauge(Gauge gauge);
  // Adds process_* gauges (resident memory, CPU seconds, open fds, start time).
  void AddProcessMetrics();

  std::string Render() const;

 private:
  std::vector<std::unique_ptr<CounterFamily>> counters_;
  std::vector<std::unique_ptr<HistogramFamily>> histograms_;
  std::vector<Gauge> gauges_;
};

std::string EscapeLabelValue(const std::string& v);

}  // namespace chat::metrics
