// Size classes: every small-bin boundary, large page rounding, huge rounding, the alignment
// of every class, usage(0) per class, slots and pages per run, ownership, and calloc zeroing
// (also of reused blocks).  Exact figures (bin sizes, 4096 / 2 MiB alignment, run geometry)
// are native-only; the mode-parameterised tests hold for every heap mode.
#include <algorithm>
#include <cstdlib>
#include <set>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

class SizeClasses : public HeapModeTest {};
ZMEM_INSTANTIATE_HEAP_MODES(SizeClasses);

// Sizes around every class boundary: each bin size and the byte after it, the large and huge edges.
std::vector<std::size_t> boundary_sizes() {
  std::vector<std::size_t> sizes{0, 1};
  for (const BinInfo& b : kBins) {
    sizes.push_back(b.size - 1);
    sizes.push_back(b.size);
    sizes.push_back(b.size + 1);
  }
  for (std::size_t s : {kPage - 1, kPage, kPage + 1, 2 * kPage + 1, kMaxLarge - 1, kMaxLarge, kMaxLarge + 1,
                        kChunk, kChunk + 1, 3 * kMiB + 1})
    sizes.push_back(s);
  return sizes;
}

// Every small size, all live at once, must own [0, block_size) exclusively: overlap shows as a broken pattern.
TEST_P(SizeClasses, EverySmallSizeOwnsItsWholeBlock) {
  std::vector<std::pair<void*, std::size_t>> blocks;
  for (std::size_t s = 0; s <= kMaxSmall; ++s) {
    void* p = zmem_alloc(h, s);
    ASSERT_NE(p, nullptr) << "size " << s;
    std::size_t bs = zmem_block_size(h, p);
    ASSERT_GE(bs, s) << "size " << s;
    fill(p, bs, s);
    blocks.emplace_back(p, bs);
  }
  for (std::size_t s = 0; s < blocks.size(); ++s)
    ASSERT_EQ(first_mismatch(blocks[s].first, blocks[s].second, s), blocks[s].second) << "size " << s;
  for (auto& b : blocks) zmem_free(h, b.first);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// Boundary sizes (both sides of every class edge) give usable, writable blocks.
TEST_P(SizeClasses, BoundarySizesGiveUsableBlocks) {
  for (std::size_t s : boundary_sizes()) {
    void* p = zmem_alloc(h, s);
    ASSERT_NE(p, nullptr);
    std::size_t bs = zmem_block_size(h, p);
    ASSERT_GE(bs, s) << "size " << s;
    fill(p, bs, s + 7);
    EXPECT_EQ(first_mismatch(p, bs, s + 7), bs) << "size " << s;
    zmem_free(h, p);
  }
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// Every class returns 8-byte aligned blocks (ZEND_MM_ALIGNMENT), for several blocks per class.
TEST_P(SizeClasses, EveryClassIsEightByteAligned) {
  std::vector<void*> live;
  for (std::size_t s : boundary_sizes()) {
    for (int i = 0; i < 3; ++i) {
      void* p = zmem_alloc(h, s);
      EXPECT_TRUE(aligned(p, 8)) << "size " << s << " -> " << p;
      live.push_back(p);
    }
  }
  for (void* p : live) zmem_free(h, p);
}

// Two zero-size allocations are distinct, non-null and freeable (PHP: size 0 -> 8-byte bin).
TEST_P(SizeClasses, ZeroSizeAllocationsAreDistinct) {
  void* a = zmem_alloc(h, 0);
  void* b = zmem_alloc(h, 0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  zmem_free(h, a);
  zmem_free(h, b);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// free(NULL) does nothing (efree(NULL) is a no-op in PHP).
TEST_P(SizeClasses, FreeNullIsNoop) {
  std::size_t before = zmem_usage(h, 0);
  zmem_free(h, nullptr);
  EXPECT_EQ(zmem_usage(h, 0), before);
}

// Freeing every block brings usage back to the starting figure, per class.
TEST_P(SizeClasses, UsageReturnsToZeroAfterFree) {
  for (std::size_t s : boundary_sizes()) {
    void* p = zmem_alloc(h, s);
    if (s > 0) {  // system mode counts requested bytes: 0 for size 0
      EXPECT_GT(zmem_usage(h, 0), 0u) << "size " << s;
    }
    zmem_free(h, p);
    EXPECT_EQ(zmem_usage(h, 0), 0u) << "size " << s;
  }
}

// free_sized with the requested size is an ordinary free.
TEST_P(SizeClasses, FreeSizedReleasesBlock) {
  for (std::size_t s : boundary_sizes()) {
    void* p = zmem_alloc(h, s);
    zmem_free_sized(h, p, s);
  }
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// owns() is true for the start of live blocks of every class and false for memory it never gave out.
TEST_P(SizeClasses, OwnsItsBlocksOnly) {
  std::vector<void*> live;
  for (std::size_t s : {std::size_t{8}, std::size_t{3072}, std::size_t{5000}, kMaxLarge, 3 * kMiB}) {
    void* p = zmem_alloc(h, s);
    EXPECT_TRUE(zmem_owns(h, p)) << "size " << s;
    live.push_back(p);
  }
  void* m = std::malloc(64);
  int local = 0;
  EXPECT_FALSE(zmem_owns(h, m));
  EXPECT_FALSE(zmem_owns(h, &local));
  zmem_heap* other = zmem_heap_new(&kNativeOptions);
  void* q = zmem_alloc(other, 64);
  EXPECT_FALSE(zmem_owns(h, q));
  zmem_free(other, q);
  zmem_heap_destroy(other);
  std::free(m);
  for (void* p : live) zmem_free(h, p);
}

// calloc returns zeroed memory for every class on a fresh heap.
TEST_P(SizeClasses, CallocZeroesEveryClass) {
  for (std::size_t s : boundary_sizes()) {
    if (s == 0) continue;
    void* p = zmem_calloc(h, 1, s);
    EXPECT_TRUE(all_zero(p, s)) << "size " << s;
    zmem_free(h, p);
  }
}

// calloc after the same class was dirtied and freed must still zero (free lists and reused pages hold garbage).
TEST_P(SizeClasses, CallocZeroesReusedBlocks) {
  for (std::size_t s : boundary_sizes()) {
    if (s == 0) continue;
    std::vector<void*> dirty;
    for (int i = 0; i < 4; ++i) {
      void* p = zmem_alloc(h, s);
      std::memset(p, 0xAB, zmem_block_size(h, p));
      dirty.push_back(p);
    }
    for (void* p : dirty) zmem_free(h, p);
    std::vector<void*> clean;
    for (int i = 0; i < 4; ++i) {
      void* p = zmem_calloc(h, s, 1);
      EXPECT_TRUE(all_zero(p, s)) << "size " << s << " block " << i;
      clean.push_back(p);
    }
    for (void* p : clean) zmem_free(h, p);
  }
}

// calloc(count, size) zeroes count*size bytes, not just `size`.
TEST_P(SizeClasses, CallocZeroesCountTimesSize) {
  void* d = zmem_alloc(h, 4000);
  std::memset(d, 0xCD, 4000);
  zmem_free(h, d);
  void* p = zmem_calloc(h, 100, 40);
  EXPECT_GE(zmem_block_size(h, p), 4000u);
  EXPECT_TRUE(all_zero(p, 4000));
  zmem_free(h, p);
}

// ---------------- native-only figures ----------------

class NativeSizeClasses : public NativeHeapTest {};

// Each size 0..3072 maps to the smallest PHP bin that holds it (size 0 -> 8), exhaustively.
TEST_F(NativeSizeClasses, SmallSizeMapsToSmallestBin) {
  for (std::size_t s = 0; s <= kMaxSmall; ++s) {
    void* p = zmem_alloc(h, s);
    ASSERT_EQ(zmem_block_size(h, p), native_block_size(s)) << "size " << s;
    zmem_free(h, p);
  }
}

// At every bin edge, the bin size stays in the bin and one byte more moves to the next class.
TEST_F(NativeSizeClasses, EveryBinBoundary) {
  for (std::size_t i = 0; i < kBins.size(); ++i) {
    std::size_t s = kBins[i].size;
    std::size_t next = i + 1 < kBins.size() ? kBins[i + 1].size : kPage;
    void* at = zmem_alloc(h, s);
    void* over = zmem_alloc(h, s + 1);
    EXPECT_EQ(zmem_block_size(h, at), s) << "bin " << i;
    EXPECT_EQ(zmem_block_size(h, over), next) << "bin " << i;
    zmem_free(h, at);
    zmem_free(h, over);
  }
}

// usage(0) grows by the bin size, not the requested size (memory_get_usage counts bin granularity).
TEST_F(NativeSizeClasses, UsageCountsBinSize) {
  for (std::size_t s : boundary_sizes()) {
    std::size_t before = zmem_usage(h, 0);
    void* p = zmem_alloc(h, s);
    EXPECT_EQ(zmem_usage(h, 0) - before, native_block_size(s)) << "size " << s;
    zmem_free(h, p);
    EXPECT_EQ(zmem_usage(h, 0), before) << "size " << s;
  }
}

// 3073..2,093,056 are large: whole pages, 4096-aligned.
TEST_F(NativeSizeClasses, LargeSizesArePageRoundedAndPageAligned) {
  const std::pair<std::size_t, std::size_t> cases[] = {
      {kMaxSmall + 1, kPage}, {kPage, kPage},         {kPage + 1, 2 * kPage},  {10000, 3 * kPage},
      {kMaxLarge - 1, kMaxLarge}, {kMaxLarge, kMaxLarge},
  };
  for (auto [size, expect] : cases) {
    void* p = zmem_alloc(h, size);
    EXPECT_EQ(zmem_block_size(h, p), expect) << "size " << size;
    EXPECT_TRUE(aligned(p, kPage)) << "size " << size << " -> " << p;
    EXPECT_EQ(zmem_usage(h, 0), expect) << "size " << size;
    zmem_free(h, p);
  }
}

// Above 2,093,056 blocks are huge: size rounded up to 4096, 2 MiB aligned.
TEST_F(NativeSizeClasses, HugeSizesAreRoundedAndChunkAligned) {
  const std::pair<std::size_t, std::size_t> cases[] = {
      {kMaxLarge + 1, kChunk}, {kChunk, kChunk}, {kChunk + 1, kChunk + kPage}, {3 * kMiB + 1, 3 * kMiB + kPage},
      {17 * kMiB + 5, 17 * kMiB + kPage},
  };
  for (auto [size, expect] : cases) {
    void* p = zmem_alloc(h, size);
    EXPECT_EQ(zmem_block_size(h, p), expect) << "size " << size;
    EXPECT_TRUE(aligned(p, kChunk)) << "size " << size << " -> " << p;
    EXPECT_EQ(zmem_usage(h, 0), expect) << "size " << size;
    zmem_free(h, p);
  }
}

// Several live large blocks are each page aligned (not only the first one in a chunk).
TEST_F(NativeSizeClasses, EveryLargeBlockIsPageAligned) {
  std::vector<void*> live;
  for (std::size_t s = kMaxSmall + 1; s < 40 * kPage; s += 3001) {
    void* p = zmem_alloc(h, s);
    EXPECT_TRUE(aligned(p, kPage)) << "size " << s << " -> " << p;
    live.push_back(p);
  }
  for (void* p : live) zmem_free(h, p);
}

// One run of bin b holds exactly count slots laid out contiguously from a page start; slot count+1 opens a second run.
TEST_F(NativeSizeClasses, RunHoldsBinCountSlots) {
  for (std::size_t b = 0; b < kBins.size(); ++b) {
    zmem_heap_reset(h);
    std::vector<std::uintptr_t> addrs;
    std::vector<void*> live;
    for (unsigned i = 0; i < kBins[b].count; ++i) {
      void* p = zmem_alloc(h, kBins[b].size);
      live.push_back(p);
      addrs.push_back(reinterpret_cast<std::uintptr_t>(p));
    }
    zmem_heap_stats s = stats();
    EXPECT_EQ(s.bin_runs[b], 1u) << "bin " << b;
    EXPECT_EQ(s.bin_in_use[b], kBins[b].count) << "bin " << b;
    std::sort(addrs.begin(), addrs.end());
    EXPECT_EQ(addrs.back() - addrs.front(), (kBins[b].count - 1) * kBins[b].size) << "bin " << b;
    EXPECT_EQ(addrs.front() % kPage, 0u) << "bin " << b;
    live.push_back(zmem_alloc(h, kBins[b].size));
    EXPECT_EQ(stats().bin_runs[b], 2u) << "bin " << b;
    for (void* p : live) zmem_free(h, p);
  }
}

// A run of bin b takes exactly pages(b) pages: with one run live, 511 - pages(b) pages still fit in the first chunk,
// and one page more needs a second chunk.
TEST_F(NativeSizeClasses, RunUsesBinPages) {
  for (std::size_t b = 0; b < kBins.size(); ++b) {
    zmem_heap_reset(h);
    zmem_heap_trim(h);
    ASSERT_EQ(zmem_usage(h, 1), kChunk) << "bin " << b;
    void* small = zmem_alloc(h, kBins[b].size);
    void* fill_rest = zmem_alloc(h, (kChunkPages - kBins[b].pages) * kPage);
    EXPECT_EQ(zmem_usage(h, 1), kChunk) << "bin " << b << ": run should take " << kBins[b].pages << " pages";
    void* one_more = zmem_alloc(h, kPage);
    EXPECT_EQ(zmem_usage(h, 1), 2 * kChunk) << "bin " << b;
    zmem_free(h, one_more);
    zmem_free(h, fill_rest);
    zmem_free(h, small);
  }
}

// The stats report PHP's 30 bin sizes in order.
TEST_F(NativeSizeClasses, StatsListPhpBinSizes) {
  zmem_heap_stats s = stats();
  for (std::size_t b = 0; b < kBins.size(); ++b) EXPECT_EQ(s.bin_size[b], kBins[b].size) << "bin " << b;
}

// bin_in_use follows allocations and frees of that bin only.
TEST_F(NativeSizeClasses, StatsCountLiveBlocksPerBin) {
  void* a = zmem_alloc(h, 100);  // bin 10 (112)
  void* b = zmem_alloc(h, 112);
  void* c = zmem_alloc(h, 113);  // bin 11 (128)
  zmem_heap_stats s = stats();
  EXPECT_EQ(s.bin_in_use[10], 2u);
  EXPECT_EQ(s.bin_in_use[11], 1u);
  zmem_free(h, a);
  EXPECT_EQ(stats().bin_in_use[10], 1u);
  zmem_free(h, b);
  zmem_free(h, c);
  s = stats();
  EXPECT_EQ(s.bin_in_use[10], 0u);
  EXPECT_EQ(s.bin_in_use[11], 0u);
}

// Blocks of one bin never share an address while live (distinctness across a full run and beyond).
TEST_F(NativeSizeClasses, LiveBlocksAreDistinct) {
  std::set<void*> seen;
  std::vector<void*> live;
  for (int i = 0; i < 2000; ++i) {
    void* p = zmem_alloc(h, 24);
    EXPECT_TRUE(seen.insert(p).second) << p;
    live.push_back(p);
  }
  for (void* p : live) zmem_free(h, p);
}

}  // namespace
