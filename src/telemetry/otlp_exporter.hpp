// telemetry/otlp_exporter.hpp — sends finished spans to an OpenTelemetry collector (Jaeger,
// the OpenTelemetry Collector…) as OTLP/HTTP JSON: POST <endpoint>/v1/traces, in batches, from a
// thread of its own, through libcurl. Record() only queues: a slow or absent collector costs the
// server nothing but the spans it drops once the queue is full (counted in dropped(); /metrics
// shows it). The destructor sends one last batch (so at most one request timeout), drops the rest,
// and joins. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/tracing.hpp"

namespace chat::telemetry {

struct OtlpOptions {
  std::string endpoint;  // OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://localhost:4318
  std::string service_name = "chat-server";
  std::size_t max_queue = 4096;
  std::size_t max_batch = 512;
  std::chrono::milliseconds interval{1'000};  // longest a span waits before it is sent
  std::chrono::milliseconds timeout{5'000};
};

// The OTLP/JSON body for `spans` (trace and span ids in hex, times as decimal strings).
std::string EncodeSpans(const std::vector<tracing::Span>& spans, const std::string& service_name);

class OtlpExporter final : public tracing::SpanSink {
 public:
  explicit OtlpExporter(OtlpOptions options);
  ~OtlpExporter() override;
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  void Record(tracing::Span span) override;
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::uint64_t exported() const { return exported_.load(std::memory_order_relaxed); }

 private:
  void Loop();
  bool Post(const std::string& body);

  const OtlpOptions options_;
  const std::string url_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<tracing::Span> queue_;  // guarded by mutex_
  bool stopping_ = false;             // guarded by mutex_
  bool failing_ = false;              // the loop's own: logs an outage once
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> exported_{0};
  std::thread thread_;
};

}  // namespace chat::telemetry
