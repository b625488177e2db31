// Reset (request end) and trim: usage and peaks after reset, the heap serving again after
// reset, reset_peak, and (native-only) the real-usage figures: a fresh heap holds one 2 MiB
// chunk; after reset real usage = 2 MiB * (1 + cached chunks) + cached huge bytes; after trim
// of an empty heap exactly 2 MiB; trim reports at least the bytes it gave back.
#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

class ResetTrim : public HeapModeTest {};
ZMEM_INSTANTIATE_HEAP_MODES(ResetTrim);

void allocate_mix(zmem_heap* h, std::vector<void*>& out) {
  for (int i = 0; i < 2000; ++i) out.push_back(zmem_alloc(h, 1 + (i * 37) % 3072));
  for (int i = 0; i < 50; ++i) out.push_back(zmem_alloc(h, 3073 + i * 9000));
  out.push_back(zmem_alloc(h, 5 * kMiB));
  out.push_back(zmem_alloc(h, 9 * kMiB + 1));
}

// A fresh heap has usage 0 and peak 0.
TEST_P(ResetTrim, FreshHeapHasNoUsage) {
  EXPECT_EQ(zmem_usage(h, 0), 0u);
  EXPECT_EQ(zmem_peak_usage(h, 0), 0u);
}

// Reset forgets every block: usage and peak are 0 (peaks restart).
TEST_P(ResetTrim, ResetZeroesUsageAndPeak) {
  std::vector<void*> live;
  allocate_mix(h, live);
  EXPECT_GT(zmem_usage(h, 0), 14 * kMiB);
  zmem_heap_reset(h);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
  EXPECT_EQ(zmem_peak_usage(h, 0), 0u);
}

// After reset the real peak restarts at the current real usage.
TEST_P(ResetTrim, ResetRestartsRealPeak) {
  std::vector<void*> live;
  allocate_mix(h, live);
  zmem_heap_reset(h);
  EXPECT_EQ(zmem_peak_usage(h, 1), zmem_usage(h, 1));
}

// The heap serves every class again after reset, with no block overlapping another.
TEST_P(ResetTrim, HeapServesAgainAfterReset) {
  for (int round = 0; round < 3; ++round) {
    std::vector<void*> live;
    allocate_mix(h, live);
    for (std::size_t i = 0; i < live.size(); ++i) fill(live[i], std::min<std::size_t>(zmem_block_size(h, live[i]), 8192), i);
    for (std::size_t i = 0; i < live.size(); ++i) {
      std::size_t n = std::min<std::size_t>(zmem_block_size(h, live[i]), 8192);
      ASSERT_EQ(first_mismatch(live[i], n, i), n) << "round " << round << " block " << i;
    }
    zmem_heap_reset(h);
  }
}

// Many resets in a row with allocations in between do not grow real usage without bound.
TEST_P(ResetTrim, RepeatedRequestsKeepRealUsageBounded) {
  std::vector<void*> live;
  allocate_mix(h, live);
  zmem_heap_reset(h);
  live.clear();
  allocate_mix(h, live);
  std::size_t real_after_two = zmem_peak_usage(h, 1);
  for (int i = 0; i < 20; ++i) {
    zmem_heap_reset(h);
    live.clear();
    allocate_mix(h, live);
  }
  EXPECT_LE(zmem_peak_usage(h, 1), real_after_two + 16 * kMiB);
}

// Peak usage keeps the high-water mark after frees.
TEST_P(ResetTrim, PeakKeepsHighWaterMark) {
  void* a = zmem_alloc(h, 100000);
  void* b = zmem_alloc(h, 100000);
  std::size_t high = zmem_usage(h, 0);
  zmem_free(h, a);
  zmem_free(h, b);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
  EXPECT_EQ(zmem_peak_usage(h, 0), high);
  EXPECT_GE(zmem_peak_usage(h, 1), zmem_usage(h, 1));
}

// reset_peak restarts the peaks from the current figures (memory_reset_peak_usage()).
TEST_P(ResetTrim, ResetPeakRestartsFromCurrentUsage) {
  void* a = zmem_alloc(h, 100000);
  void* b = zmem_alloc(h, 200);
  zmem_free(h, a);
  zmem_reset_peak(h);
  EXPECT_EQ(zmem_peak_usage(h, 0), zmem_usage(h, 0));
  EXPECT_EQ(zmem_peak_usage(h, 1), zmem_usage(h, 1));
  zmem_free(h, b);
}

// Trim keeps live blocks intact.
TEST_P(ResetTrim, TrimKeepsLiveBlocks) {
  std::vector<void*> live;
  for (int i = 0; i < 300; ++i) live.push_back(zmem_alloc(h, 64 + i * 211));
  for (std::size_t i = 0; i < live.size(); ++i) fill(live[i], 64 + i * 211, i);
  for (std::size_t i = 0; i < live.size(); i += 2) zmem_free(h, live[i]);
  zmem_heap_trim(h);
  for (std::size_t i = 1; i < live.size(); i += 2)
    EXPECT_EQ(first_mismatch(live[i], 64 + i * 211, i), 64 + i * 211) << "block " << i;
  for (std::size_t i = 1; i < live.size(); i += 2) zmem_free(h, live[i]);
}

// Trim on an empty heap after reset leaves a heap that still serves every class.
TEST_P(ResetTrim, HeapServesAfterTrim) {
  std::vector<void*> live;
  allocate_mix(h, live);
  zmem_heap_reset(h);
  zmem_heap_trim(h);
  live.clear();
  allocate_mix(h, live);
  for (void* p : live) zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// ---------------- native-only: real usage in chunk units ----------------

class NativeResetTrim : public NativeHeapTest {
 protected:
  std::size_t documented_real_after_reset() {
    zmem_heap_stats s = stats();
    return kChunk * (1 + s.cached_chunks) + s.cached_huge_bytes;
  }
  void allocate_chunks(int n, std::vector<void*>& out) {
    for (int i = 0; i < n; ++i) out.push_back(zmem_alloc(h, kMaxLarge));
  }
};

// A fresh heap maps one 2 MiB chunk: real usage and real peak are 2,097,152.
TEST_F(NativeResetTrim, FreshHeapRealUsageIsOneChunk) {
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
  EXPECT_EQ(zmem_peak_usage(h, 1), kChunk);
}

// Each full chunk's worth of large runs maps one more chunk.
TEST_F(NativeResetTrim, RealUsageGrowsByWholeChunks) {
  std::vector<void*> live;
  for (int i = 1; i <= 5; ++i) {
    live.push_back(zmem_alloc(h, kMaxLarge));
    EXPECT_EQ(zmem_usage(h, 1), i * kChunk) << i << " chunks";
  }
  for (void* p : live) zmem_free(h, p);
}

// A huge block adds its page-rounded size to real usage.
TEST_F(NativeResetTrim, HugeBlockAddsItsSizeToRealUsage) {
  void* p = zmem_alloc(h, 3 * kMiB + 1);
  EXPECT_EQ(zmem_usage(h, 1), kChunk + 3 * kMiB + kPage);
  zmem_free(h, p);
}

// After reset, real usage is 2 MiB * (1 + cached chunks) + cached huge bytes, and the real peak equals it.
TEST_F(NativeResetTrim, ResetRealUsageIsMainPlusCaches) {
  std::vector<void*> live;
  allocate_chunks(10, live);
  live.push_back(zmem_alloc(h, 7 * kMiB));
  zmem_heap_reset(h);
  EXPECT_EQ(zmem_usage(h, 1), documented_real_after_reset());
  EXPECT_EQ(zmem_peak_usage(h, 1), zmem_usage(h, 1));
  EXPECT_LE(zmem_usage(h, 1), 11 * kChunk + 7 * kMiB);
  EXPECT_EQ(stats().huge_blocks, 0u);
}

// Reset on a fresh heap changes nothing: still exactly one chunk.
TEST_F(NativeResetTrim, ResetOfFreshHeapKeepsOneChunk) {
  zmem_heap_reset(h);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
  EXPECT_EQ(zmem_peak_usage(h, 1), kChunk);
}

// After reset the main chunk is empty again: a full chunk of pages fits without mapping anything.
TEST_F(NativeResetTrim, ResetEmptiesMainChunk) {
  void* a = zmem_alloc(h, kMaxLarge);
  (void)a;
  zmem_heap_reset(h);
  std::size_t real = zmem_usage(h, 1);
  void* b = zmem_alloc(h, kMaxLarge);
  EXPECT_EQ(zmem_usage(h, 1), real);
  zmem_free(h, b);
}

// Chunks cached by reset are reused by the next request instead of mapping new ones.
TEST_F(NativeResetTrim, CachedChunksAreReused) {
  std::vector<void*> live;
  allocate_chunks(4, live);
  zmem_heap_reset(h);
  std::size_t real = zmem_usage(h, 1);
  std::size_t cached = stats().cached_chunks;
  live.clear();
  allocate_chunks(static_cast<int>(1 + cached), live);
  EXPECT_EQ(zmem_usage(h, 1), real);
}

// trim() after reset leaves exactly one chunk mapped (2,097,152) and returns at least what it unmapped.
TEST_F(NativeResetTrim, TrimAfterResetLeavesExactlyOneChunk) {
  std::vector<void*> live;
  allocate_chunks(6, live);
  live.push_back(zmem_alloc(h, 5 * kMiB));
  zmem_heap_reset(h);
  std::size_t before = zmem_usage(h, 1);
  std::size_t given = zmem_heap_trim(h);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
  EXPECT_GE(given, before - kChunk);
  zmem_heap_stats s = stats();
  EXPECT_EQ(s.cached_chunks, 0u);
  EXPECT_EQ(s.cached_huge_blocks, 0u);
  EXPECT_EQ(s.cached_huge_bytes, 0u);
}

// trim() of a fresh heap gives nothing back that matters: real usage stays one chunk.
TEST_F(NativeResetTrim, TrimOfFreshHeapKeepsOneChunk) {
  zmem_heap_trim(h);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
}

// A chunk emptied by frees (not by reset) is unmapped by trim while other chunks keep live blocks.
TEST_F(NativeResetTrim, TrimReleasesEmptyChunkWithLiveBlocksElsewhere) {
  void* a = zmem_alloc(h, kMaxLarge);
  void* b = zmem_alloc(h, kMaxLarge);
  fill(a, 4096, 1);
  zmem_free(h, b);
  std::size_t before = zmem_usage(h, 1);
  std::size_t given = zmem_heap_trim(h);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
  EXPECT_GE(given, before - kChunk);
  EXPECT_EQ(first_mismatch(a, 4096, 1), 4096u);
  zmem_free(h, a);
}

// A freed huge block leaves at most a cached mapping, and trim unmaps it.
TEST_F(NativeResetTrim, TrimReleasesCachedHugeMapping) {
  zmem_free(h, zmem_alloc(h, 6 * kMiB));
  EXPECT_EQ(zmem_usage(h, 1), kChunk + stats().cached_huge_bytes);
  zmem_heap_trim(h);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
}

// The real peak covers the largest real usage of the request, even after trim lowered the current figure.
TEST_F(NativeResetTrim, RealPeakSurvivesTrim) {
  std::vector<void*> live;
  allocate_chunks(3, live);
  for (void* p : live) zmem_free(h, p);
  zmem_heap_trim(h);
  EXPECT_EQ(zmem_peak_usage(h, 1), 3 * kChunk);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
}

// After reset + trim the stats report one chunk, nothing cached, nothing huge.
TEST_F(NativeResetTrim, StatsAfterResetAndTrim) {
  std::vector<void*> live;
  allocate_chunks(3, live);
  live.push_back(zmem_alloc(h, 3 * kMiB));
  zmem_heap_reset(h);
  zmem_heap_trim(h);
  zmem_heap_stats s = stats();
  EXPECT_EQ(s.usage, 0u);
  EXPECT_EQ(s.real_usage, kChunk);
  EXPECT_EQ(s.chunks, 1u);
  EXPECT_EQ(s.cached_chunks, 0u);
  EXPECT_EQ(s.huge_blocks, 0u);
  EXPECT_EQ(s.huge_bytes, 0u);
  EXPECT_EQ(s.large_bytes, 0u);
  for (std::size_t b = 0; b < kBins.size(); ++b) EXPECT_EQ(s.bin_in_use[b], 0u) << "bin " << b;
}

}  // namespace
