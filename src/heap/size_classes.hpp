// The geometry of a heap and PHP 8.2's 30 small size classes (bins), defined
// once here and expanded into lookup tables at compile time.
// Counterpart: Zend/zend_alloc_sizes.h (ZEND_MM_BINS_INFO).
// Invariant: bin_size(b) * bin_slots(b) <= bin_pages(b) * kPageSize, and
// size_to_bin(s) is the smallest bin whose size is >= s (size 0 -> bin 0).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace zmem::detail {

inline constexpr std::size_t kChunkSize = 2 * 1024 * 1024;
inline constexpr std::size_t kPageSize = 4096;
inline constexpr std::size_t kPagesPerChunk = kChunkSize / kPageSize;  // 512
inline constexpr std::size_t kFirstPage = 1;  // page 0 holds the chunk header
inline constexpr std::size_t kMaxSmallSize = 3072;
inline constexpr std::size_t kChunkPagesBytes = kChunkSize - kPageSize * kFirstPage;  // past the header
inline constexpr std::size_t kMaxLargeSize = kChunkPagesBytes;  // 2,093,056: a run of every page
inline constexpr unsigned kBinCount = 30;

struct BinInfo {
  std::uint32_t size;
  std::uint32_t slots;
  std::uint32_t pages;
};

inline constexpr std::array<BinInfo, kBinCount> kBins = {{
    {8, 512, 1},   {16, 256, 1},  {24, 170, 1},  {32, 128, 1},   {40, 102, 1},  {48, 85, 1},
    {56, 73, 1},   {64, 64, 1},   {80, 51, 1},   {96, 42, 1},    {112, 36, 1},  {128, 32, 1},
    {160, 25, 1},  {192, 21, 1},  {224, 18, 1},  {256, 16, 1},   {320, 64, 5},  {384, 32, 3},
    {448, 9, 1},   {512, 8, 1},   {640, 32, 5},  {768, 16, 3},   {896, 9, 2},   {1024, 8, 2},
    {1280, 16, 5}, {1536, 8, 3},  {1792, 16, 7}, {2048, 8, 4},   {2560, 8, 5},  {3072, 4, 3},
}};

/// (size + 7) / 8 -> bin, for every size 0..kMaxSmallSize: one byte load on the fast path.
inline constexpr auto kSizeToBin = [] {
  std::array<std::uint8_t, kMaxSmallSize / 8 + 1> table{};
  unsigned bin = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    while (kBins[bin].size < i * 8) ++bin;
    table[i] = static_cast<std::uint8_t>(bin);
  }
  return table;
}();

/// Bin sizes as a flat table (hot: read on every small alloc and free).
inline constexpr auto kBinSize = [] {
  std::array<std::uint32_t, kBinCount> table{};
  for (unsigned b = 0; b < kBinCount; ++b) table[b] = kBins[b].size;
  return table;
}();

inline constexpr unsigned size_to_bin(std::size_t size) { return kSizeToBin[(size + 7) >> 3]; }

constexpr bool bins_are_consistent() {
  for (unsigned b = 0; b < kBinCount; ++b) {
    if (kBins[b].size * kBins[b].slots > kBins[b].pages * kPageSize) return false;
    if (b > 0 && kBins[b].size <= kBins[b - 1].size) return false;
  }
  for (std::size_t s = 0; s <= kMaxSmallSize; ++s) {
    unsigned b = size_to_bin(s);
    if (kBins[b].size < s || (b > 0 && kBins[b - 1].size >= s && s != 0)) return false;
  }
  return kBins[kBinCount - 1].size == kMaxSmallSize;
}
static_assert(bins_are_consistent(), "bin table must be sorted, fit its runs, and size_to_bin must pick the tightest bin");

inline constexpr std::size_t pages_for(std::size_t size) { return (size + kPageSize - 1) / kPageSize; }

}  // namespace zmem::detail
