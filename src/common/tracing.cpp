#include "common/tracing.hpp"

#include <algorithm>
#include <chrono>
#include <random>

namespace chat::tracing {

namespace {

std::mt19937_64& Generator() {
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return gen;
}

template <std::size_t N>
std::array<std::uint8_t, N> NonZeroRandom() {
  std::array<std::uint8_t, N> out{};
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      const std::uint64_t r = Generator()();
      for (std::size_t j = 0; j < 8 && i + j < N; ++j) {
        out[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
      }
    }
  } while (std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; }));
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // the spec allows lowercase only
}

template <std::size_t N>
bool ParseHex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  bool any = false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = HexDigit(text[2 * i]), lo = HexDigit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    any = any || out[i] != 0;
  }
  return any;
}

}  // namespace

std::string Hex(const std::uint8_t* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

std::optional<TraceParent> ParseTraceParent(std::string_view header) {
  // Version 00 is exactly 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55 characters. A later version may append
  // fields after a '-', and is read as far as version 00 goes; "ff" is invalid.
  if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') {
    return std::nullopt;
  }
  const int v_hi = HexDigit(header[0]), v_lo = HexDigit(header[1]);
  if (v_hi < 0 || v_lo < 0 || (v_hi == 15 && v_lo == 15)) return std::nullopt;
  if (v_hi == 0 && v_lo == 0 ? header.size() != 55 : header.size() > 55 && header[55] != '-') {
    return std::nullopt;
  }
  TraceParent p;
  if (!ParseHex(header.substr(3, 32), p.trace_id)) return std::nullopt;
  if (!ParseHex(header.substr(36, 16), p.span_id)) return std::nullopt;
  const int hi = HexDigit(header[53]), lo = HexDigit(header[54]);
  if (hi < 0 || lo < 0) return std::nullopt;
  p.sampled = ((hi * 16 + lo) & 1) != 0;
  return p;
}

std::string FormatTraceParent(const TraceId& trace, const SpanId& span, bool sampled) {
  return "00-" + Hex(trace.data(), trace.size()) + "-" + Hex(span.data(), span.size()) +
         (sampled ? "-01" : "-00");
}

TraceId NewTraceId() { return NonZeroRandom<16>(); }
SpanId NewSpanId() { return NonZeroRandom<8>(); }

std::optional<Sampler> Sampler::Parse(std::string_view name, double ratio) {
  if (!(ratio >= 0.0 && ratio <= 1.0)) return std::nullopt;  // NaN too
  constexpr std::string_view kParentBased = "parentbased_";
  const bool parent_based = name.starts_with(kParentBased);
  if (parent_based) name.remove_prefix(kParentBased.size());
  if (name == "always_on") return Sampler(Root::kAlwaysOn, parent_based, ratio);
  if (name == "always_off") return Sampler(Root::kAlwaysOff, parent_based, ratio);
  if (name == "traceidratio") return Sampler(Root::kRatio, parent_based, ratio);
  return std::nullopt;
}

bool Sampler::ShouldSample(const std::optional<TraceParent>& parent, const TraceId& trace) const {
  if (parent_based_ && parent) return parent->sampled;
  switch (root_) {
    case Root::kAlwaysOn:
      return true;
    case Root::kAlwaysOff:
      return false;
    case Root::kRatio:
      break;
  }
  if (ratio_ >= 1.0) return true;
  std::uint64_t low = 0;
  for (std::size_t i = 8; i < 16; ++i) low = (low << 8) | trace[i];
  // 2^64 × ratio, in long double so that ratios near 1 do not round up to 2^64.
  const long double bound = static_cast<long double>(ratio_) * 18446744073709551616.0L;
  return static_cast<long double>(low) < bound;
}

std::int64_t UnixNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace chat::tracing
