// realloc: contents kept up to min(old, new) across small, large and huge in both directions,
// realloc(NULL) allocating, usage following the new size; native-only: a same-bin realloc keeps
// the pointer, a large block grows in place when the following pages are free, a huge block
// grows in place or moves its pages (never holding two copies), a huge block growing in small
// steps maps slack ahead (within the limit, given back by a shrink and under pressure), and
// block_size/usage reflect the new class exactly.
#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

class Realloc : public HeapModeTest {
 protected:
  // alloc(from), fill, realloc(to): the first min(from, to) bytes survive and the block is usable to `to`.
  void check_move(std::size_t from, std::size_t to) {
    void* p = zmem_alloc(h, from);
    fill(p, from, from * 31 + to);
    void* q = zmem_realloc(h, p, to);
    ASSERT_NE(q, nullptr);
    std::size_t keep = std::min(from, to);
    EXPECT_EQ(first_mismatch(q, keep, from * 31 + to), keep) << from << " -> " << to;
    std::size_t bs = zmem_block_size(h, q);
    EXPECT_GE(bs, to) << from << " -> " << to;
    std::memset(q, 0x11, to);
    zmem_free(h, q);
    EXPECT_EQ(zmem_usage(h, 0), 0u) << from << " -> " << to;
  }
};
ZMEM_INSTANTIATE_HEAP_MODES(Realloc);

const std::size_t kSmall = 100, kLarge = 20000, kHuge = 5 * kMiB + 123;

// realloc(NULL, n) is alloc(n) (erealloc(NULL, n) = emalloc(n)).
TEST_P(Realloc, NullPointerAllocates) {
  void* p = zmem_realloc(h, nullptr, 1000);
  ASSERT_NE(p, nullptr);
  EXPECT_GE(zmem_block_size(h, p), 1000u);
  std::memset(p, 1, 1000);
  zmem_free(h, p);
}

// Small -> large copies the whole small block.
TEST_P(Realloc, SmallToLargeKeepsContents) { check_move(kSmall, kLarge); }
// Large -> small keeps the first bytes that fit.
TEST_P(Realloc, LargeToSmallKeepsPrefix) { check_move(kLarge, kSmall); }
// Large -> huge copies out of the chunk into a mapping.
TEST_P(Realloc, LargeToHugeKeepsContents) { check_move(kLarge, kHuge); }
// Huge -> large copies the prefix back into a chunk.
TEST_P(Realloc, HugeToLargeKeepsPrefix) { check_move(kHuge, kLarge); }
// Small -> huge skips the large class entirely.
TEST_P(Realloc, SmallToHugeKeepsContents) { check_move(kSmall, kHuge); }
// Huge -> small keeps the prefix.
TEST_P(Realloc, HugeToSmallKeepsPrefix) { check_move(kHuge, kSmall); }
// Huge growth (mremap or copy) keeps everything.
TEST_P(Realloc, HugeGrowKeepsContents) { check_move(kHuge, 3 * kHuge); }
// Huge shrink (unmapping the tail) keeps the prefix.
TEST_P(Realloc, HugeShrinkKeepsPrefix) { check_move(3 * kHuge, kHuge + 1); }
// Large growth and shrink within the large class.
TEST_P(Realloc, LargeGrowAndShrinkKeepContents) {
  check_move(kMaxSmall + 1, kMaxLarge);
  check_move(kMaxLarge, kMaxSmall + 1);
}
// Small growth and shrink across bins.
TEST_P(Realloc, SmallAcrossBinsKeepsContents) {
  check_move(8, kMaxSmall);
  check_move(kMaxSmall, 1);
}

// Every pair of sizes around the class edges, in both directions.
TEST_P(Realloc, EveryClassPairKeepsContents) {
  const std::size_t sizes[] = {1,          8,          9,     64,          3072,     3073, 4096, 4097, 70000,
                               kMaxLarge, kMaxLarge + 1, kChunk + 1, 3 * kMiB, 9 * kMiB};
  for (std::size_t from : sizes)
    for (std::size_t to : sizes) {
      check_move(from, to);
      if (HasFatalFailure()) return;
    }
}

// A doubling chain 1 -> 16 MiB and back keeps the original bytes at every step.
TEST_P(Realloc, GrowthChainKeepsContents) {
  std::size_t size = 1;
  void* p = zmem_alloc(h, size);
  fill(p, size, 99);
  std::size_t filled = size;
  while (size < 16 * kMiB) {
    std::size_t next = size * 2 + 3;
    p = zmem_realloc(h, p, next);
    ASSERT_EQ(first_mismatch(p, filled, 99), filled) << size << " -> " << next;
    fill(p, next, 99);
    filled = size = next;
  }
  while (size > 1) {
    std::size_t next = size / 3;
    p = zmem_realloc(h, p, next);
    ASSERT_EQ(first_mismatch(p, next, 99), next) << size << " -> " << next;
    size = next;
  }
  zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// realloc of one block leaves its neighbours' contents alone (no over-copy or over-clear).
TEST_P(Realloc, NeighboursUntouched) {
  void* a = zmem_alloc(h, 5000);
  void* b = zmem_alloc(h, 5000);
  void* c = zmem_alloc(h, 5000);
  fill(a, 5000, 1);
  fill(b, 5000, 2);
  fill(c, 5000, 3);
  b = zmem_realloc(h, b, 9000);
  b = zmem_realloc(h, b, 100);
  EXPECT_EQ(first_mismatch(a, 5000, 1), 5000u);
  EXPECT_EQ(first_mismatch(b, 100, 2), 100u);
  EXPECT_EQ(first_mismatch(c, 5000, 3), 5000u);
  zmem_free(h, a);
  zmem_free(h, b);
  zmem_free(h, c);
}

// zmem_realloc_if_owned: the heap's own blocks (every class, and NULL) are reallocated as by
// zmem_realloc; a block of another allocator or another heap is left alone and gets NULL.
TEST_P(Realloc, IfOwnedReallocatesOwnBlocksOnly) {
  for (std::size_t from : {kSmall, kLarge, kHuge}) {
    for (std::size_t to : {kSmall / 2, kSmall * 3, kLarge * 2, kHuge + kMiB}) {
      void* p = zmem_alloc(h, from);
      fill(p, from, from + to);
      void* q = zmem_realloc_if_owned(h, p, to);
      ASSERT_NE(q, nullptr) << from << " -> " << to;
      std::size_t keep = std::min(from, to);
      EXPECT_EQ(first_mismatch(q, keep, from + to), keep) << from << " -> " << to;
      EXPECT_GE(zmem_block_size(h, q), to);
      zmem_free(h, q);
    }
  }
  void* fresh = zmem_realloc_if_owned(h, nullptr, 300);
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(zmem_owns(h, fresh));
  zmem_free(h, fresh);
  EXPECT_EQ(zmem_usage(h, 0), 0u);

  void* foreign = std::malloc(64);
  fill(foreign, 64, 9);
  EXPECT_EQ(zmem_realloc_if_owned(h, foreign, 128), nullptr);
  EXPECT_EQ(first_mismatch(foreign, 64, 9), 64u);
  std::free(foreign);

  zmem_heap* other = zmem_heap_new(nullptr);
  for (std::size_t size : {kSmall, kLarge, kHuge}) {
    void* theirs = zmem_alloc(other, size);
    EXPECT_EQ(zmem_realloc_if_owned(h, theirs, size * 2), nullptr) << size;
    EXPECT_TRUE(zmem_owns(other, theirs)) << size;
    zmem_free(other, theirs);
  }
  zmem_heap_destroy(other);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// ---------------- native-only ----------------

class NativeRealloc : public NativeHeapTest {};

// A new size in the same bin keeps the pointer (PHP reallocs in place within a bin).
TEST_F(NativeRealloc, SameBinKeepsPointer) {
  void* p = zmem_alloc(h, 20);  // 24-byte bin
  fill(p, 20, 5);
  EXPECT_EQ(zmem_realloc(h, p, 24), p);
  EXPECT_EQ(zmem_realloc(h, p, 17), p);
  EXPECT_EQ(first_mismatch(p, 17, 5), 17u);
  EXPECT_EQ(zmem_usage(h, 0), 24u);
  zmem_free(h, p);
}

// A large block grows in place when the pages after it are free (fresh heap: nothing follows it).
TEST_F(NativeRealloc, LargeGrowsInPlaceWhenNextPagesFree) {
  void* p = zmem_alloc(h, 3 * kPage);
  fill(p, 3 * kPage, 6);
  void* q = zmem_realloc(h, p, 6 * kPage);
  EXPECT_EQ(q, p);
  EXPECT_EQ(first_mismatch(q, 3 * kPage, 6), 3 * kPage);
  EXPECT_EQ(zmem_block_size(h, q), 6 * kPage);
  EXPECT_EQ(zmem_usage(h, 0), 6 * kPage);
  zmem_free(h, q);
}

// When the next page is taken, growth moves the block and still keeps its contents; the neighbour is untouched.
TEST_F(NativeRealloc, LargeGrowMovesWhenNextPageTaken) {
  void* p = zmem_alloc(h, 3 * kPage);
  void* next = zmem_alloc(h, kPage);
  fill(p, 3 * kPage, 7);
  fill(next, kPage, 8);
  void* q = zmem_realloc(h, p, 6 * kPage);
  EXPECT_EQ(first_mismatch(q, 3 * kPage, 7), 3 * kPage);
  EXPECT_EQ(first_mismatch(next, kPage, 8), kPage);
  EXPECT_EQ(zmem_usage(h, 0), 7 * kPage);
  zmem_free(h, q);
  zmem_free(h, next);
}

// After realloc, block_size and usage(0) are those of the new class exactly.
TEST_F(NativeRealloc, UsageFollowsNewClass) {
  const std::size_t steps[] = {1, 100, 3072, 3073, 9000, kMaxLarge, kMaxLarge + 1, 7 * kMiB + 1, 50, 8};
  void* p = nullptr;
  for (std::size_t s : steps) {
    p = zmem_realloc(h, p, s);
    EXPECT_EQ(zmem_block_size(h, p), native_block_size(s)) << "size " << s;
    EXPECT_EQ(zmem_usage(h, 0), native_block_size(s)) << "size " << s;
  }
  zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// A small block moving to another bin: the old slot is reusable at once (pushed on its bin),
// and the peak does not count the moment both blocks were live (as zend_mm_realloc_slow).
TEST_F(NativeRealloc, SmallMoveFreesOldSlotWithoutPeak) {
  void* p = zmem_alloc(h, 40);
  fill(p, 40, 3);
  zmem_reset_peak(h);
  void* q = zmem_realloc(h, p, 200);
  ASSERT_NE(q, p);
  EXPECT_EQ(first_mismatch(q, 40, 3), 40u);
  EXPECT_EQ(zmem_usage(h, 0), 224u);
  EXPECT_EQ(zmem_peak_usage(h, 0), 224u);
  EXPECT_EQ(zmem_alloc(h, 40), p);
  zmem_free(h, p);
  zmem_free(h, q);
}

// A huge block regrowing into its own mapping's slack keeps the pointer and its contents.
TEST_F(NativeRealloc, HugeRegrowWithinMappingKeepsPointer) {
  void* p = zmem_alloc(h, 6 * kMiB);
  fill(p, 6 * kMiB, 4);
  void* q = zmem_realloc(h, p, 6 * kMiB + 5000);
  EXPECT_EQ(first_mismatch(q, 6 * kMiB, 4), 6 * kMiB);
  void* r = zmem_realloc(h, q, 6 * kMiB + 6000);  // same page count: in place
  EXPECT_EQ(r, q);
  EXPECT_EQ(zmem_usage(h, 0), native_block_size(6 * kMiB + 6000));
  zmem_free(h, r);
}

// A reallocated huge block stays 2 MiB aligned.
TEST_F(NativeRealloc, HugeStaysChunkAligned) {
  void* p = zmem_alloc(h, 3 * kMiB);
  p = zmem_realloc(h, p, 11 * kMiB);
  EXPECT_TRUE(aligned(p, kChunk)) << p;
  p = zmem_realloc(h, p, 5 * kMiB);
  EXPECT_TRUE(aligned(p, kChunk)) << p;
  EXPECT_EQ(zmem_block_size(h, p), 5 * kMiB);
  zmem_free(h, p);
}

// With the address range after it free, a huge block grows in place: shrinking a block
// unmaps its tail, which frees that range for the regrowth.
TEST_F(NativeRealloc, HugeGrowsInPlaceWhenTheRangeAfterIsFree) {
  auto* p = static_cast<char*>(zmem_alloc(h, 10 * kMiB));
  ASSERT_EQ(zmem_realloc(h, p, 6 * kMiB), p);
  EXPECT_TRUE(unmapped(p + 6 * kMiB));
  fill(p, 6 * kMiB, 12);
  std::size_t real = zmem_usage(h, 1);
  EXPECT_EQ(zmem_realloc(h, p, 10 * kMiB), p);
  EXPECT_EQ(first_mismatch(p, 6 * kMiB, 12), 6 * kMiB);
  EXPECT_EQ(zmem_usage(h, 1), real + 4 * kMiB);
  std::memset(p, 0x33, 10 * kMiB);
  zmem_free(h, p);
}

// With the range after it taken, a huge block moves: its pages travel to a new aligned
// mapping and the old range is unmapped, not kept as a second copy; real usage grows by the
// growth only.
TEST_F(NativeRealloc, HugeGrowMovesWhenTheRangeAfterIsTaken) {
  auto* p = static_cast<char*>(zmem_alloc(h, 6 * kMiB));
  fill(p, 6 * kMiB, 13);
  PageTaken after(p + 6 * kMiB);
  std::size_t real = zmem_usage(h, 1);
  auto* q = static_cast<char*>(zmem_realloc(h, p, 10 * kMiB));
  ASSERT_NE(q, p);
  EXPECT_TRUE(aligned(q, kChunk)) << static_cast<void*>(q);
  EXPECT_EQ(first_mismatch(q, 6 * kMiB, 13), 6 * kMiB);
  EXPECT_TRUE(unmapped(p)) << "old range still mapped";
  EXPECT_TRUE(unmapped(p + 6 * kMiB - 1));
  EXPECT_FALSE(zmem_owns(h, p));
  EXPECT_EQ(zmem_usage(h, 1), real + 4 * kMiB);
  EXPECT_EQ(zmem_usage(h, 0), 10 * kMiB);
  std::memset(q, 0x44, 10 * kMiB);
  fill(q, 10 * kMiB, 14);
  void* r = zmem_realloc(h, q, 3 * kMiB);  // and back down in place
  EXPECT_EQ(r, q);
  EXPECT_EQ(first_mismatch(r, 3 * kMiB, 14), 3 * kMiB);
  zmem_free(h, r);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// A move carries the pages instead of copying them: a copy of 8 MiB into fresh memory would
// fault at least its small-page half (1,024 faults); moved pages fault no more.  (Under ASan
// the shadow of the block, 1/8 of its size, adds about 300.)
TEST_F(NativeRealloc, HugeMoveCopiesNothing) {
  auto* p = static_cast<char*>(zmem_alloc(h, 8 * kMiB));
  fill(p, 8 * kMiB, 15);
  PageTaken after(p + 8 * kMiB);
  long before = minor_faults();
  auto* q = static_cast<char*>(zmem_realloc(h, p, 9 * kMiB));
  long faults = minor_faults() - before;
  ASSERT_NE(q, p);
  EXPECT_LT(faults, 512) << "the block was copied, not moved";
  EXPECT_EQ(first_mismatch(q, 8 * kMiB, 15), 8 * kMiB);
  zmem_free(h, q);
}

// ---- growth slack: a huge block growing in small steps ------------------------------------

std::size_t real_usage(zmem_heap* h) { return zmem_usage(h, 1); }

// A string growing a few bytes at a time (PHP's .=): the first step past the mapping maps an
// eighth more, and the steps after it stay inside without mapping anything or moving; usage
// follows the block, real usage the mapping.
TEST_F(NativeRealloc, HugeSmallStepsGrowIntoSlack) {
  const std::size_t start = 8 * kMiB;
  auto* p = static_cast<char*>(zmem_alloc(h, start));
  fill(p, start, 21);
  std::size_t real = real_usage(h);
  std::size_t size = start + 100;
  p = static_cast<char*>(zmem_realloc(h, p, size));
  EXPECT_EQ(real_usage(h), real + kPage + start / 8) << "an eighth of the mapping ahead";
  EXPECT_EQ(zmem_usage(h, 0), start + kPage);
  std::size_t remaps = 0;
  for (size += 777; size <= start + start / 8; size += 777) {
    std::size_t before = real_usage(h);
    ASSERT_EQ(zmem_realloc(h, p, size), p) << size;
    remaps += real_usage(h) != before;
    EXPECT_EQ(zmem_block_size(h, p), round_up(size, kPage));
    std::memset(p + size - 777, 0x5a, 777);  // the step's new bytes are writable
  }
  EXPECT_EQ(remaps, 0u) << "growth inside the slack mapped more";
  EXPECT_EQ(first_mismatch(p, start, 21), start);
  zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// A container doubling gets exactly what it asks: no slack (its next step would not fit it).
TEST_F(NativeRealloc, HugeBigStepGetsNoSlack) {
  void* p = zmem_alloc(h, 4 * kMiB);
  std::size_t real = real_usage(h);
  p = zmem_realloc(h, p, 8 * kMiB);
  EXPECT_EQ(real_usage(h), real + 4 * kMiB);
  zmem_free(h, p);
}

// A shrink gives the slack back with the pages past the new end: real usage is the block.
TEST_F(NativeRealloc, HugeShrinkGivesBackTheSlack) {
  void* p = zmem_alloc(h, 8 * kMiB);
  std::size_t real = real_usage(h);
  auto* q = static_cast<char*>(zmem_realloc(h, p, 8 * kMiB + kPage));
  ASSERT_GT(real_usage(h), real + kPage);
  ASSERT_EQ(zmem_realloc(h, q, 6 * kMiB), q);
  EXPECT_EQ(real_usage(h), real - 2 * kMiB);
  EXPECT_TRUE(unmapped(q + 6 * kMiB));
  zmem_free(h, q);
}

// Near the limit the step gets no slack: the limit is not spent on memory nobody asked for.
TEST_F(NativeRealloc, HugeSlackOnlyWithinTheLimit) {
  void* p = zmem_alloc(h, 8 * kMiB);
  std::size_t real = real_usage(h);
  ASSERT_EQ(zmem_heap_set_limit(h, real + 64 * kPage), 0);
  p = zmem_realloc(h, p, 8 * kMiB + kPage);
  EXPECT_EQ(real_usage(h), real + kPage);
  p = zmem_realloc(h, p, 8 * kMiB + 64 * kPage);  // exactly up to the limit
  EXPECT_EQ(real_usage(h), real + 64 * kPage);
  auto error = catch_heap_error([&] { zmem_realloc(h, p, 8 * kMiB + 65 * kPage); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(zmem_block_size(h, p), 8 * kMiB + 64 * kPage) << "the failed step changed the block";
  zmem_free(h, p);
}

// A block that must grow past its mapping under a tight limit cannot pay for it by giving
// back its own slack and then take more than the limit allows.
TEST_F(NativeRealloc, HugeGrowthPastOwnSlackRespectsTheLimit) {
  void* p = zmem_alloc(h, 8 * kMiB);
  p = zmem_realloc(h, p, 8 * kMiB + kPage);  // maps an eighth ahead
  std::size_t limit = real_usage(h);
  ASSERT_EQ(zmem_heap_set_limit(h, limit), 0);
  // One page past the mapping: giving back the slack (1 MiB) makes room for a page, but the
  // block then needs 1 MiB + 1 page, over the limit by one page.
  auto error = catch_heap_error([&] { zmem_realloc(h, p, 9 * kMiB + 2 * kPage); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->kind, ZMEM_ERR_LIMIT);
  EXPECT_LE(real_usage(h), limit);
  EXPECT_EQ(zmem_block_size(h, p), 8 * kMiB + kPage);
  zmem_free(h, p);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)  // they reserve address space
void limit_address_space(std::size_t bytes) {
  rlimit limit{bytes, RLIM_INFINITY};
  setrlimit(RLIMIT_AS, &limit);
}

// When the OS grants the growth but not its slack (an address-space limit), the block grows
// by exactly what was asked instead of failing; a child process carries the limit.
TEST_F(NativeRealloc, HugeSlackNeverCostsAnOutOfMemory) {
  EXPECT_EXIT(
      {
        auto* p = static_cast<char*>(zmem_alloc(h, 8 * kMiB));
        PageTaken after(p + 8 * kMiB);  // the growth must move
        // Room for the exact new mapping (and aligning it), not for the slack.
        limit_address_space(statm_bytes(0) + 8 * kMiB + kPage + kChunk + 16 * kPage);
        void* q = zmem_realloc(h, p, 8 * kMiB + kPage);
        std::exit(q != nullptr && zmem_block_size(h, q) == 8 * kMiB + kPage ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

// A move whose first mapping fails releases the caches, the block's own slack among them, and
// real usage still adds up afterwards.
TEST_F(NativeRealloc, MoveAfterReleasingCachesKeepsRealUsageExact) {
  EXPECT_EXIT(
      {
        zmem_free(h, zmem_alloc(h, 32 * kMiB));  // a cached mapping to release
        auto* p = static_cast<char*>(zmem_alloc(h, 8 * kMiB));
        p = static_cast<char*>(zmem_realloc(h, p, 8 * kMiB + kPage));  // slack: 1 MiB
        std::size_t mapped = 9 * kMiB + kPage;
        PageTaken after(p + mapped);  // the next growth must move
        limit_address_space(statm_bytes(0) + 4 * kMiB);  // only after the release
        auto* q = static_cast<char*>(zmem_realloc(h, p, mapped + kPage));
        limit_address_space(RLIM_INFINITY);
        zmem_heap_trim(h);  // everything cached and every slack given back
        std::exit(zmem_usage(h, 1) == kChunk + zmem_block_size(h, q) ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}
#endif

// Slack never costs an allocation: under the limit it is given back before an error is raised,
// and the block keeps its contents and can grow again.
TEST_F(NativeRealloc, HugeSlackGivenBackUnderPressure) {
  void* p = zmem_alloc(h, 8 * kMiB);
  fill(p, 8 * kMiB, 22);
  std::size_t exact = real_usage(h) + kPage;
  auto* q = static_cast<char*>(zmem_realloc(h, p, 8 * kMiB + kPage));
  ASSERT_EQ(real_usage(h) - exact, kMiB) << "an eighth of the mapping ahead";
  // Room for a 3 MiB block only once the slack is gone.
  ASSERT_EQ(zmem_heap_set_limit(h, exact + 3 * kMiB), 0);
  void* other = nullptr;
  auto error = catch_heap_error([&] { other = zmem_alloc(h, 3 * kMiB); });
  ASSERT_FALSE(error.has_value()) << error->message;
  EXPECT_EQ(real_usage(h), exact + 3 * kMiB);
  EXPECT_TRUE(unmapped(q + 8 * kMiB + kPage));
  EXPECT_EQ(first_mismatch(q, 8 * kMiB, 22), 8 * kMiB);
  zmem_free(h, other);
  q = static_cast<char*>(zmem_realloc(h, q, 8 * kMiB + 2 * kPage));
  std::memset(q + 8 * kMiB, 0x77, 2 * kPage);
  zmem_free(h, q);
}

#if defined(__SANITIZE_ADDRESS__)
// The slack is poisoned: a write past the block into it is an overflow ASan reports.
TEST_F(NativeRealloc, HugeSlackIsPoisoned) {
  void* block = zmem_alloc(h, 8 * kMiB);
  auto* p = static_cast<char*>(zmem_realloc(h, block, 8 * kMiB + 1));
  EXPECT_FALSE(__asan_address_is_poisoned(p + 8 * kMiB + kPage - 1));
  EXPECT_TRUE(__asan_address_is_poisoned(p + 8 * kMiB + kPage));
  ASSERT_EQ(zmem_realloc(h, p, 8 * kMiB + 2 * kPage), p);
  EXPECT_FALSE(__asan_address_is_poisoned(p + 8 * kMiB + 2 * kPage - 1));
  EXPECT_TRUE(__asan_address_is_poisoned(p + 8 * kMiB + 2 * kPage));
  zmem_free(h, p);
}
#endif

}  // namespace
