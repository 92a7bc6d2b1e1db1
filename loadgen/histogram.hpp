// loadgen/histogram.hpp — an HDR-style log-linear latency histogram in microseconds: exact below
// 256 µs, then 128 linear sub-buckets per power of two (relative error under 0.8 %), up to 2^40 µs.
// Fixed memory (~36 KiB), O(1) record. Not thread-safe (the load generator is single-threaded).
#pragma once

#include <cstdint>
#include <vector>

namespace chat::loadgen {

class Histogram {
 public:
  Histogram();

  // Values below 0 count as 0; values above the trackable maximum count as that maximum.
  void Record(std::int64_t value_us, std::uint64_t count = 1);
  void Merge(const Histogram& other);
  void Reset();

  std::uint64_t Count() const { return count_; }
  std::int64_t Min() const { return count_ ? min_ : 0; }
  std::int64_t Max() const { return count_ ? max_ : 0; }
  double Mean() const;
  // The smallest recorded-bucket value v such that at least `percentile` % of the samples are <= v
  // (HDR's "highest equivalent value", clamped to the exact max). 0 when empty.
  std::int64_t Percentile(double percentile) const;

  static constexpr std::int64_t kMaxTrackable = (std::int64_t{1} << 40) - 1;

 private:
  static std::size_t IndexOf(std::int64_t v);
  static std::int64_t HighestEquivalent(std::size_t index);

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace chat::loadgen
