// common/tracing.hpp — spans as OpenTelemetry describes them, and W3C trace context
// (`traceparent`), with no exporter: whoever records spans takes a SpanSink (telemetry/ has the
// OTLP one). Ids come from a per-thread generator seeded from the OS; they need to be unique, not
// secret.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace chat::tracing {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

struct TraceParent {
  TraceId trace_id{};
  SpanId span_id{};
  bool sampled = false;
};

// "00-<32 hex>-<16 hex>-<2 hex flags>"; nullopt unless it is well formed with non-zero ids (the
// spec's rule: a bad header starts a new trace).
std::optional<TraceParent> ParseTraceParent(std::string_view header);
std::string FormatTraceParent(const TraceId& trace, const SpanId& span, bool sampled);

TraceId NewTraceId();
SpanId NewSpanId();
std::string Hex(const std::uint8_t* bytes, std::size_t n);

// Which traces are kept: OpenTelemetry's samplers by their OTEL_TRACES_SAMPLER names. The
// parent-based ones follow the caller's `sampled` flag whenever a traceparent came in, so one
// request is kept or dropped alike by every service it crosses; at the root (no traceparent),
// traceidratio keeps a trace when its id's last 8 bytes, read as a big-endian number, fall below
// ratio × 2^64 (the same id gives the same answer everywhere).
class Sampler {
 public:
  enum class Root : std::uint8_t { kAlwaysOn, kAlwaysOff, kRatio };
  Sampler() = default;
  Sampler(Root root, bool parent_based, double ratio)
      : root_(root), parent_based_(parent_based), ratio_(ratio) {}
  // always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off,
  // parentbased_traceidratio; `ratio` (OTEL_TRACES_SAMPLER_ARG) in [0, 1]. nullopt otherwise.
  static std::optional<Sampler> Parse(std::string_view name, double ratio);
  bool ShouldSample(const std::optional<TraceParent>& parent, const TraceId& trace) const;

 private:
  Root root_ = Root::kAlwaysOn;
  bool parent_based_ = true;
  double ratio_ = 1.0;
};

enum class SpanKind : std::uint8_t { kInternal = 1, kServer = 2, kClient = 3 };

struct Span {
  using Value = std::variant<std::string, std::int64_t, bool>;
  std::string name;
  TraceId trace_id{};
  SpanId span_id{};
  std::optional<SpanId> parent_id;
  SpanKind kind = SpanKind::kInternal;
  std::int64_t start_unix_ns = 0;
  std::int64_t end_unix_ns = 0;
  bool error = false;
  std::vector<std::pair<std::string, Value>> attributes;
};

// Takes finished spans. Record must not block (it runs on I/O threads). Thread-safe.
class SpanSink {
 public:
  virtual ~SpanSink() = default;
  virtual void Record(Span span) = 0;
};

std::int64_t UnixNanos();

}  // namespace chat::tracing
