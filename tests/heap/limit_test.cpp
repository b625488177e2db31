// The memory limit (on real usage, checked when a chunk or huge mapping is needed) and out of
// memory: the error kind and exact message, the exact boundary (reaching the limit succeeds,
// one page over fails), the heap staying usable and unchanged after an error, cached chunks and
// huge mappings released before failing, and set_limit's rules.  Boundaries in chunk units are
// native-only.
#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

std::string limit_message(std::size_t limit, std::size_t tried) {
  return strprintf("Allowed memory size of %zu bytes exhausted (tried to allocate %zu bytes)", limit, tried);
}

class Limit : public HeapModeTest {};
ZMEM_INSTANTIATE_HEAP_MODES(Limit);

// A new heap with explicit options {0,...} is unlimited.
TEST_P(Limit, DefaultIsUnlimited) { EXPECT_EQ(zmem_heap_limit(h), 0u); }

// An allocation far above the limit raises ZMEM_ERR_LIMIT with PHP's message.
TEST_P(Limit, AllocationAboveLimitRaisesLimitError) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  auto e = catch_heap_error([&] { zmem_alloc(h, 16 * kMiB); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT) << kind_name(e->kind);
  EXPECT_EQ(e->heap, h);
  EXPECT_TRUE(full_match(e->message,
                         R"(Allowed memory size of 8388608 bytes exhausted \(tried to allocate [0-9]+ bytes\))"));
}

// The failed call changed nothing and the heap serves every class afterwards.
TEST_P(Limit, HeapUsableAfterLimitError) {
  void* keep = zmem_alloc(h, 1000);
  fill(keep, 1000, 3);
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  std::size_t usage = zmem_usage(h, 0), real = zmem_usage(h, 1);
  ASSERT_TRUE(catch_heap_error([&] { zmem_alloc(h, 16 * kMiB); }));
  EXPECT_EQ(zmem_usage(h, 0), usage);
  EXPECT_EQ(zmem_usage(h, 1), real);
  EXPECT_EQ(first_mismatch(keep, 1000, 3), 1000u);
  for (std::size_t s : {std::size_t{8}, std::size_t{3000}, std::size_t{40000}, 3 * kMiB}) {
    void* p = zmem_alloc(h, s);
    std::memset(p, 0x22, s);
    zmem_free(h, p);
  }
  zmem_free(h, keep);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// A second error after the first is reported just the same (no sticky state).
TEST_P(Limit, RepeatedLimitErrorsAreEachReported) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  for (int i = 0; i < 3; ++i) {
    auto e = catch_heap_error([&] { zmem_alloc(h, 32 * kMiB); });
    ASSERT_TRUE(e) << "attempt " << i;
    EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  }
}

// realloc that would exceed the limit fails and leaves the old block untouched and valid.
TEST_P(Limit, ReallocAboveLimitLeavesBlockUntouched) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  void* p = zmem_alloc(h, 100000);
  fill(p, 100000, 4);
  std::size_t bs = zmem_block_size(h, p);
  auto e = catch_heap_error([&] { zmem_realloc(h, p, 16 * kMiB); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(zmem_block_size(h, p), bs);
  EXPECT_EQ(first_mismatch(p, 100000, 4), 100000u);
  zmem_free(h, p);
}

// calloc is limited like alloc.
TEST_P(Limit, CallocAboveLimitRaisesLimitError) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  auto e = catch_heap_error([&] { zmem_calloc(h, 4 * kMiB, 4); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
}

// set_limit below real usage fails with -1 and leaves the limit as it was.
TEST_P(Limit, SetLimitBelowRealUsageFails) {
  ASSERT_EQ(zmem_heap_set_limit(h, 64 * kMiB), 0);
  void* p = zmem_alloc(h, 5 * kMiB);
  EXPECT_EQ(zmem_heap_set_limit(h, kMiB), -1);
  EXPECT_EQ(zmem_heap_limit(h), 64 * kMiB);
  zmem_free(h, p);
}

// Limit 0 means unlimited again.
TEST_P(Limit, ZeroLimitRemovesLimit) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  EXPECT_EQ(zmem_heap_limit(h), 8 * kMiB);
  ASSERT_EQ(zmem_heap_set_limit(h, 0), 0);
  EXPECT_EQ(zmem_heap_limit(h), 0u);
  void* p = zmem_alloc(h, 16 * kMiB);
  zmem_free(h, p);
}

// The limit survives a reset (it is a property of the heap, not of the request).
TEST_P(Limit, LimitSurvivesReset) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  zmem_heap_reset(h);
  EXPECT_EQ(zmem_heap_limit(h), 8 * kMiB);
  auto e = catch_heap_error([&] { zmem_alloc(h, 16 * kMiB); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
}

// Raising the limit after an error lets the same allocation through.
TEST_P(Limit, RaisingLimitAfterErrorAllowsAllocation) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  ASSERT_TRUE(catch_heap_error([&] { zmem_alloc(h, 16 * kMiB); }));
  ASSERT_EQ(zmem_heap_set_limit(h, 64 * kMiB), 0);
  void* p = zmem_alloc(h, 16 * kMiB);
  std::memset(p, 1, 16 * kMiB);
  zmem_free(h, p);
}

// ---------------- native-only: boundaries in chunk and page units ----------------

class NativeLimit : public NativeHeapTest {};

// Two full-chunk runs fit a 4 MiB limit exactly (real usage == limit); a third is refused naming its run size.
TEST_F(NativeLimit, ChunkBoundaryIsExact) {
  ASSERT_EQ(zmem_heap_set_limit(h, 4 * kMiB), 0);
  void* a = zmem_alloc(h, kMaxLarge);
  void* b = zmem_alloc(h, kMaxLarge);
  EXPECT_EQ(zmem_usage(h, 1), 4 * kMiB);
  auto e = catch_heap_error([&] { zmem_alloc(h, kMaxLarge); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(e->message, limit_message(4 * kMiB, kMaxLarge));
  EXPECT_EQ(zmem_usage(h, 1), 4 * kMiB);
  EXPECT_EQ(zmem_usage(h, 0), 2 * kMaxLarge);
  zmem_free(h, a);
  zmem_free(h, b);
}

// A small block that needs a new run in a new chunk reports "tried to allocate 4096".
TEST_F(NativeLimit, SmallAllocationNeedingChunkReportsRunSize) {
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk), 0);  // equal to real usage: allowed
  void* full = zmem_alloc(h, kMaxLarge);          // every page of the first chunk
  auto e = catch_heap_error([&] { zmem_alloc(h, 64); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(e->message, limit_message(kChunk, kPage));
  zmem_free(h, full);
  void* p = zmem_alloc(h, 64);  // fits again
  zmem_free(h, p);
}

// A large block that needs a new chunk reports its page-rounded run size.
TEST_F(NativeLimit, LargeAllocationNeedingChunkReportsPageRoundedSize) {
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk), 0);
  void* full = zmem_alloc(h, kMaxLarge - 2 * kPage);  // leaves 2 pages
  void* fits = zmem_alloc(h, 2 * kPage);
  auto e = catch_heap_error([&] { zmem_alloc(h, kPage + 1); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, limit_message(kChunk, 2 * kPage));
  zmem_free(h, fits);
  zmem_free(h, full);
}

// A huge block that brings real usage exactly to the limit succeeds.
TEST_F(NativeLimit, HugeReachingLimitExactlySucceeds) {
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk + 4 * kMiB), 0);
  void* p = zmem_alloc(h, 4 * kMiB);
  EXPECT_EQ(zmem_usage(h, 1), kChunk + 4 * kMiB);
  zmem_free(h, p);
}

// One byte more (one page after rounding) fails, naming the page-rounded huge size.
TEST_F(NativeLimit, HugeOnePageOverLimitFails) {
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk + 4 * kMiB), 0);
  auto e = catch_heap_error([&] { zmem_alloc(h, 4 * kMiB + 1); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(e->message, limit_message(kChunk + 4 * kMiB, 4 * kMiB + kPage));
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// Huge realloc growth is limited too: up to the limit works, one page over fails and keeps the block.
TEST_F(NativeLimit, HugeReallocGrowthIsLimited) {
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk + 4 * kMiB), 0);
  void* p = zmem_alloc(h, 3 * kMiB);
  fill(p, 3 * kMiB, 12);
  p = zmem_realloc(h, p, 4 * kMiB);
  EXPECT_EQ(zmem_usage(h, 1), kChunk + 4 * kMiB);
  auto e = catch_heap_error([&] { zmem_realloc(h, p, 4 * kMiB + kPage); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(zmem_block_size(h, p), 4 * kMiB);
  EXPECT_EQ(first_mismatch(p, 3 * kMiB, 12), 3 * kMiB);
  zmem_free(h, p);
}

// An empty (cached) chunk is released before a limit error: its 2 MiB make room for a huge block.
TEST_F(NativeLimit, CachedChunkReleasedBeforeLimitError) {
  ASSERT_EQ(zmem_heap_set_limit(h, 4 * kMiB), 0);
  void* a = zmem_alloc(h, kMaxLarge);  // first chunk
  void* b = zmem_alloc(h, kMaxLarge);  // second chunk
  zmem_free(h, b);                     // second chunk empty: cached or unmapped
  void* huge = nullptr;
  auto e = catch_heap_error([&] { huge = zmem_alloc(h, kChunk); });
  EXPECT_FALSE(e) << e->message;
  EXPECT_EQ(zmem_usage(h, 1), 4 * kMiB);
  zmem_free(h, huge);
  zmem_free(h, a);
}

// Chunks cached by a reset are released before a limit error.
TEST_F(NativeLimit, ChunksCachedByResetReleasedBeforeLimitError) {
  std::vector<void*> runs;
  for (int i = 0; i < 4; ++i) runs.push_back(zmem_alloc(h, kMaxLarge));
  zmem_heap_reset(h);  // up to 3 chunks may be cached now
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk + 4 * kMiB), 0);  // may trim the cache to fit
  auto e = catch_heap_error([&] { zmem_free(h, zmem_alloc(h, 4 * kMiB)); });
  EXPECT_FALSE(e) << e->message;
}

// A cached huge mapping is released before a limit error (a cache never causes an error).
TEST_F(NativeLimit, CachedHugeMappingReleasedBeforeLimitError) {
  ASSERT_EQ(zmem_heap_set_limit(h, kChunk + 6 * kMiB), 0);
  zmem_free(h, zmem_alloc(h, 6 * kMiB));  // the mapping may stay cached
  void* p = nullptr;
  void* q = nullptr;
  auto e = catch_heap_error([&] { p = zmem_alloc(h, 3 * kMiB); });
  ASSERT_FALSE(e) << e->message;
  e = catch_heap_error([&] { q = zmem_alloc(h, 3 * kMiB); });  // 2 + 3 + 3 == limit
  ASSERT_FALSE(e) << e->message;
  EXPECT_EQ(zmem_usage(h, 1), kChunk + 6 * kMiB);
  zmem_free(h, q);
  zmem_free(h, p);
}

// A huge block shrunk to half or less gives its tail back: real usage no longer counts the whole old mapping.
// (PHP munmaps the tail to the page; zmem may keep up to the next 2 MiB boundary, so only that bound is checked.)
TEST_F(NativeLimit, HugeShrinkGivesTailBack) {
  void* p = zmem_alloc(h, 10 * kMiB);
  fill(p, 3 * kMiB, 17);
  p = zmem_realloc(h, p, 3 * kMiB);
  EXPECT_EQ(zmem_block_size(h, p), 3 * kMiB);
  EXPECT_EQ(zmem_usage(h, 0), 3 * kMiB);
  EXPECT_LE(zmem_usage(h, 1), kChunk + 4 * kMiB);
  EXPECT_EQ(first_mismatch(p, 3 * kMiB, 17), 3 * kMiB);
  zmem_free(h, p);
}

// set_limit to exactly the current real usage succeeds (PHP fails only when new < real).
TEST_F(NativeLimit, SetLimitEqualToRealUsageSucceeds) {
  EXPECT_EQ(zmem_heap_set_limit(h, kChunk), 0);
  EXPECT_EQ(zmem_heap_limit(h), kChunk);
}

// set_limit one byte below real usage fails and leaves the limit unchanged.
TEST_F(NativeLimit, SetLimitOneByteBelowRealUsageFails) {
  ASSERT_EQ(zmem_heap_set_limit(h, 8 * kMiB), 0);
  EXPECT_EQ(zmem_heap_set_limit(h, kChunk - 1), -1);
  EXPECT_EQ(zmem_heap_limit(h), 8 * kMiB);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
}

// set_limit trims cached chunks when that makes the new limit fit.
TEST_F(NativeLimit, SetLimitTrimsCachedChunksToFit) {
  void* a = zmem_alloc(h, kMaxLarge);
  void* b = zmem_alloc(h, kMaxLarge);
  zmem_free(h, b);
  EXPECT_EQ(zmem_heap_set_limit(h, kChunk), 0);
  EXPECT_EQ(zmem_heap_limit(h), kChunk);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
  zmem_free(h, a);
}

// set_limit below what live blocks need fails even after trimming.
TEST_F(NativeLimit, SetLimitBelowLiveChunksFails) {
  void* a = zmem_alloc(h, kMaxLarge);
  void* b = zmem_alloc(h, kMaxLarge);
  EXPECT_EQ(zmem_heap_set_limit(h, 3 * kMiB), -1);
  EXPECT_EQ(zmem_heap_limit(h), 0u);
  zmem_free(h, a);
  zmem_free(h, b);
}

// The OS refusing a mapping raises ZMEM_ERR_OOM with PHP's message (allocated = real usage).
TEST_F(NativeLimit, OutOfMemoryMessage) {
  const std::size_t absurd = std::size_t{1} << 62;  // no address space holds this
  auto e = catch_heap_error([&] { zmem_alloc(h, absurd); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OOM) << kind_name(e->kind);
  EXPECT_EQ(e->message,
            strprintf("Out of memory (allocated %zu bytes) (tried to allocate %zu bytes)", kChunk, absurd));
  void* p = zmem_alloc(h, 100);  // still usable
  zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 1), kChunk);
}

// ---------------- no handler: print and abort ----------------

// With no handler a C heap prints "Fatal error: <limit message>" and aborts.
TEST(LimitDeathTest, LimitWithoutHandlerAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        zmem_heap_set_limit(x, 4 * kMiB);
        zmem_alloc(x, 8 * kMiB);
      },
      "Fatal error: Allowed memory size of 4194304 bytes exhausted \\(tried to allocate 8388608 bytes\\)");
}

// With no handler, out of memory prints its message and aborts.
TEST(LimitDeathTest, OutOfMemoryWithoutHandlerAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        zmem_alloc(x, std::size_t{1} << 62);
      },
      "Fatal error: Out of memory \\(allocated [0-9]+ bytes\\) \\(tried to allocate [0-9]+ bytes\\)");
}

}  // namespace
