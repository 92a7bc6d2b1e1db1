#include "loadgen/report.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace chat::loadgen {

namespace {
double Ms(std::int64_t us) { return static_cast<double>(us) / 1000.0; }

std::string Fmt(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f", v);
  }
  return buf;
}

// Rounded to microseconds so that JSON stays readable.
double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }
}  // namespace

LatencySummary Summarize(const Histogram& h) {
  LatencySummary s;
  s.count = h.Count();
  s.p50_ms = Ms(h.Percentile(50));
  s.p90_ms = Ms(h.Percentile(90));
  s.p99_ms = Ms(h.Percentile(99));
  s.p999_ms = Ms(h.Percentile(99.9));
  s.max_ms = Ms(h.Max());
  s.mean_ms = h.Mean() / 1000.0;
  return s;
}

void Report::Config(const std::string& key, boost::json::value value) {
  config_[key] = std::move(value);
}

void Report::Config(const std::string& key, const std::string& value) {
  config_[key] = boost::json::string(value);
}

void Report::Metric(const std::string& key, double value, const std::string& unit) {
  metrics_.push_back({key, value, unit});
}

void Report::Latency(const std::string& key, const Histogram& h) {
  latencies_.push_back({key, Summarize(h)});
}

void Report::Check(const std::string& name, const std::string& expectation, double value,
                   bool pass) {
  checks_.push_back({name, expectation, value, pass});
}

void Report::Note(const std::string& text) { notes_.push_back(text); }

bool Report::Passed() const {
  if (checks_.empty()) return false;
  for (const auto& c : checks_) {
    if (!c.pass) return false;
  }
  return true;
}

std::string Report::Table() const {
  std::ostringstream out;
  out << "chat-loadgen " << scenario_ << ": " << (Passed() ? "PASS" : "FAIL") << "\n\n";
  if (!metrics_.empty()) {
    std::size_t w = 6;
    for (const auto& m : metrics_) w = std::max(w, m.key.size());
    for (const auto& m : metrics_) {
      out << "  " << m.key << std::string(w - m.key.size() + 2, ' ') << Fmt(m.value)
          << (m.unit.empty() ? "" : " " + m.unit) << "\n";
    }
    out << "\n";
  }
  if (!latencies_.empty()) {
    std::size_t w = 10;
    for (const auto& l : latencies_) w = std::max(w, l.key.size());
    char line[256];
    std::snprintf(line, sizeof line, "  %-*s %9s %9s %9s %9s %9s %9s %9s\n", static_cast<int>(w),
                  "latency ms", "count", "p50", "p90", "p99", "p99.9", "max", "mean");
    out << line;
    for (const auto& l : latencies_) {
      const auto& s = l.summary;
      std::snprintf(line, sizeof line, "  %-*s %9llu %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f\n",
                    static_cast<int>(w), l.key.c_str(), static_cast<unsigned long long>(s.count),
                    s.p50_ms, s.p90_ms, s.p99_ms, s.p999_ms, s.max_ms, s.mean_ms);
      out << line;
    }
    out << "\n";
  }
  for (const auto& c : checks_) {
    out << "  [" << (c.pass ? "PASS" : "FAIL") << "] " << c.name << ": " << c.expectation
        << " (got " << Fmt(c.value) << ")\n";
  }
  for (const auto& n : notes_) out << "  note: " << n << "\n";
  return out.str();
}

boost::json::object Report::Json() const {
  boost::json::object root;
  root["scenario"] = scenario_;
  root["result"] = Passed() ? "PASS" : "FAIL";
  root["config"] = config_;
  boost::json::object metrics;
  for (const auto& m : metrics_) metrics[m.key] = m.value;
  root["metrics"] = std::move(metrics);
  boost::json::object lat;
  for (const auto& l : latencies_) {
    const auto& s = l.summary;
    lat[l.key] = {{"count", s.count},          {"p50", Round3(s.p50_ms)},
                  {"p90", Round3(s.p90_ms)},   {"p99", Round3(s.p99_ms)},
                  {"p999", Round3(s.p999_ms)}, {"max", Round3(s.max_ms)},
                  {"mean", Round3(s.mean_ms)}};
  }
  root["latency_ms"] = std::move(lat);
  boost::json::array checks;
  for (const auto& c : checks_) {
    checks.push_back(
        {{"name", c.name}, {"threshold", c.expectation}, {"value", c.value}, {"pass", c.pass}});
  }
  root["checks"] = std::move(checks);
  boost::json::array notes;
  for (const auto& n : notes_) notes.push_back(boost::json::string(n));
  root["notes"] = std::move(notes);
  return root;
}

}  // namespace chat::loadgen
