#include "loadgen/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace chat::loadgen {

namespace {
constexpr int kSubBits = 8;                      // 256 exact values, then 128 per octave
constexpr std::int64_t kLinear = 1 << kSubBits;  // 256
constexpr std::int64_t kHalf = kLinear / 2;      // sub-buckets per octave
constexpr int kMaxBit = 40;                      // values < 2^40
constexpr std::size_t kBuckets = kLinear + (kMaxBit - kSubBits) * kHalf;
}  // namespace

Histogram::Histogram() : buckets_(kBuckets, 0) {}

std::size_t Histogram::IndexOf(std::int64_t v) {
  if (v < kLinear) return static_cast<std::size_t>(v);
  const int msb = 63 - std::countl_zero(static_cast<std::uint64_t>(v));  // >= kSubBits
  const int shift = msb - (kSubBits - 1);
  const std::int64_t sub = v >> shift;  // in [kHalf, kLinear)
  return static_cast<std::size_t>(kLinear + (msb - kSubBits) * kHalf + (sub - kHalf));
}

std::int64_t Histogram::HighestEquivalent(std::size_t index) {
  const auto i = static_cast<std::int64_t>(index);
  if (i < kLinear) return i;
  const std::int64_t octave = (i - kLinear) / kHalf;  // msb - kSubBits
  const std::int64_t sub = (i - kLinear) % kHalf + kHalf;
  const int shift = static_cast<int>(octave) + 1;
  return ((sub + 1) << shift) - 1;
}

void Histogram::Record(std::int64_t value_us, std::uint64_t count) {
  if (count == 0) return;
  const std::int64_t v = std::clamp<std::int64_t>(value_us, 0, kMaxTrackable);
  buckets_[IndexOf(v)] += count;
  if (count_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  count_ += count;
  sum_ += static_cast<double>(v) * static_cast<double>(count);
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  sum_ += other.sum_;
}

void Histogram::Reset() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  min_ = max_ = 0;
  sum_ = 0;
}

double Histogram::Mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }

std::int64_t Histogram::Percentile(double percentile) const {
  if (count_ == 0) return 0;
  const double q = std::clamp(percentile, 0.0, 100.0) / 100.0;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(HighestEquivalent(i), min_, max_);
  }
  return max_;
}

}  // namespace chat::loadgen
