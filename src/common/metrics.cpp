#include "common/metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace chat::metrics {
namespace {

void RenderLabels(std::string& out, const std::vector<std::string>& names, const Labels& values,
                  const std::string& extra = {}) {
  if (names.empty() && extra.empty()) return;
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    out += EscapeLabelValue(values[i]);
    out += '"';
  }
  if (!extra.empty()) {
    if (!first) out += ',';
    out += extra;
  }
  out += '}';
}

std::string Number(double v) {
  // Shortest text that reads back as the same double: "0.005", not "0.0050000000000000001".
  char buf[64];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

void Header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// /proc/self/stat fields 14 and 15 (utime, stime) in clock ticks; 22 starttime.
bool ReadProcStat(double& cpu_seconds, double& start_seconds) {
  std::ifstream in("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  auto close = content.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(content.substr(close + 2));
  std::vector<std::string> f;
  std::string x;
  while (fields >> x) f.push_back(x);
  if (f.size() < 20) return false;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  double boot = 0;
  std::ifstream stat("/proc/stat");
  std::string line;
  while (std::getline(stat, line)) {
    if (line.rfind("btime ", 0) == 0) boot = std::stod(line.substr(6));
  }
  start_seconds = boot + std::stod(f[19]) / ticks;
  return true;
}

}  // namespace

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

CounterFamily::CounterFamily(std::string name, std::string help, std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(labels)) {}

void CounterFamily::Inc(const Labels& values, double by) {
  std::lock_guard lock(mutex_);
  values_[values] += by;
}

void CounterFamily::Render(std::string& out) const {
  Header(out, name_, help_, "counter");
  std::lock_guard lock(mutex_);
  for (const auto& [labels, value] : values_) {
    out += name_;
    RenderLabels(out, label_names_, labels);
    out += ' ' + Number(value) + '\n';
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels, std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(labels)),
      buckets_(std::move(buckets)) {}

void HistogramFamily::Observe(const Labels& values, double v) {
  std::lock_guard lock(mutex_);
  auto& s = series_[values];
  if (s.counts.empty()) s.counts.assign(buckets_.size(), 0);
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    if (v <= buckets_[i]) {
      ++s.counts[i];
      break;
    }
  }
  s.sum += v;
  ++s.count;
}

void HistogramFamily::Render(std::string& out) const {
  Header(out, name_, help_, "histogram");
  std::lock_guard lock(mutex_);
  for (const auto& [labels, s] : series_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      cumulative += s.counts[i];
      out += name_ + "_bucket";
      RenderLabels(out, label_names_, labels, "le=\"" + Number(buckets_[i]) + "\"");
      out += ' ' + std::to_string(cumulative) + '\n';
    }
    out += name_ + "_bucket";
    RenderLabels(out, label_names_, labels, "le=\"+Inf\"");
    out += ' ' + std::to_string(s.count) + '\n';
    out += name_ + "_sum";
    RenderLabels(out, label_names_, labels);
    out += ' ' + Number(s.sum) + '\n';
    out += name_ + "_count";
    RenderLabels(out, label_names_, labels);
    out += ' ' + std::to_string(s.count) + '\n';
  }
}

CounterFamily& Registry::AddCounter(std::string name, std::string help,
                                    std::vector<std::string> labels) {
  counters_.push_back(
      std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(labels)));
  return *counters_.back();
}

HistogramFamily& Registry::AddHistogram(std::string name, std::string help,
                                        std::vector<std::string> labels,
                                        std::vector<double> buckets) {
  histograms_.push_back(std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                                          std::move(labels), std::move(buckets)));
  return *histograms_.back();
}

void Registry::AddGauge(Gauge gauge) { gauges_.push_back(std::move(gauge)); }

void Registry::AddProcessMetrics() {
  AddGauge({"process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", "", [] {
              long pages = 0, resident = 0;
              if (FILE* f = std::fopen("/proc/self/statm", "r")) {
                if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
                std::fclose(f);
              }
              return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
            }});
  AddGauge({"process_cpu_seconds_total", "Total user and system CPU time in seconds.", "counter",
            "", [] {
              double cpu = 0, start = 0;
              ReadProcStat(cpu, start);
              return cpu;
            }});
  AddGauge({"process_start_time_seconds", "Start time since the unix epoch in seconds.", "gauge",
            "", [] {
              double cpu = 0, start = 0;
              ReadProcStat(cpu, start);
              return start;
            }});
  AddGauge({"process_open_fds", "Number of open file descriptors.", "gauge", "", [] {
              double n = 0;
              if (DIR* d = opendir("/proc/self/fd")) {
                while (readdir(d)) ++n;
                closedir(d);
                n -= 3;  // ".", ".." and the directory's own descriptor
              }
              return n;
            }});
}

std::string Registry::Render() const {
  std::string out;
  out.reserve(4096);
  for (const auto& c : counters_) c->Render(out);
  for (const auto& h : histograms_) h->Render(out);
  for (const auto& g : gauges_) {
    Header(out, g.name, g.help, g.type.c_str());
    out += g.name;
    if (!g.labels.empty()) out += '{' + g.labels + '}';
    out += ' ' + Number(g.read()) + '\n';
  }
  return out;
}

}  // namespace chat::metrics
