// Hardening: double frees, foreign pointers (malloc's, the stack, another heap's block,
// interior pointers) and corrupted free-list links are reported with the messages of
// docs/errors.md; with a handler the failed call changes nothing and the heap stays usable;
// with no handler a C heap prints "Fatal error: <message>" and aborts (death tests).
#include <cstdlib>
#include <set>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

std::string double_free_message(zmem_heap* h, const void* p, const char* op) {
  return strprintf("zmem heap #%u: double free of %p (%s)", zmem_heap_id(h), p, op);
}
std::string not_owned_message(zmem_heap* h, const char* op, const void* p) {
  return strprintf("zmem heap #%u: %s of %p, which this heap does not own", zmem_heap_id(h), op, p);
}
std::string belongs_message(zmem_heap* h, const char* op, const void* p, zmem_heap* owner) {
  return strprintf("zmem heap #%u: %s of %p, which belongs to heap #%u", zmem_heap_id(h), op, p, zmem_heap_id(owner));
}
std::string interior_message(zmem_heap* h, const char* op, const void* p) {
  return strprintf("zmem heap #%u: %s of %p, which is not the start of a block", zmem_heap_id(h), op, p);
}
std::string corruption_regex(zmem_heap* h, std::size_t bin, const void* at) {
  return strprintf(
      R"re(zmem heap #%u corrupted: free-list link of bin %zu \(%zu-byte blocks\) at %s decodes to (0x[0-9a-f]+|\(nil\)), not a free block of this heap \(write after free or overflow\?\))re",
      zmem_heap_id(h), bin, kBins[bin].size, ptr_str(at).c_str());
}

// Simulates a stray write into a freed slot's first word (the encoded free-list link).
void scribble(void* freed, std::uint64_t value) {
  ZMEM_TEST_UNPOISON(freed, sizeof value);
  std::memcpy(freed, &value, sizeof value);
}

// n allocations of `size` from one heap are pairwise distinct (a double free that slipped through shows here).
void expect_distinct_allocations(zmem_heap* h, std::size_t size, int n) {
  std::set<void*> seen;
  std::vector<void*> live;
  for (int i = 0; i < n; ++i) {
    void* p = zmem_alloc(h, size);
    EXPECT_TRUE(seen.insert(p).second) << "block " << p << " handed out twice";
    live.push_back(p);
  }
  for (void* p : live) zmem_free(h, p);
}

class Hardening : public HeapModeTest {};
ZMEM_INSTANTIATE_HEAP_MODES(Hardening);

// Freeing p twice in a row is reported as a double free naming p and the heap.
TEST_P(Hardening, ImmediateDoubleFreeIsReported) {
  void* keep = zmem_alloc(h, 64);
  void* p = zmem_alloc(h, 64);
  zmem_free(h, p);
  auto e = catch_heap_error([&] { zmem_free(h, p); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_DOUBLE_FREE) << kind_name(e->kind) << ": " << e->message;
  EXPECT_EQ(e->message, double_free_message(h, p, "free"));
  zmem_free(h, keep);
}

// After a reported double free the block is on the free list once: later allocations never alias.
TEST_P(Hardening, DoubleFreeLeavesHeapConsistent) {
  void* p = zmem_alloc(h, 64);
  std::size_t usage = zmem_usage(h, 0);
  zmem_free(h, p);
  std::size_t after_free = zmem_usage(h, 0);
  ASSERT_TRUE(catch_heap_error([&] { zmem_free(h, p); }));
  EXPECT_EQ(zmem_usage(h, 0), after_free);
  EXPECT_LT(after_free, usage);
  expect_distinct_allocations(h, 64, 200);
}

// free of a malloc'd pointer is foreign: "which this heap does not own".
TEST_P(Hardening, FreeOfMallocPointerIsForeign) {
  void* m = std::malloc(64);
  auto e = catch_heap_error([&] { zmem_free(h, m); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN) << kind_name(e->kind);
  EXPECT_EQ(e->message, not_owned_message(h, "free", m));
  std::free(m);
}

// free of a stack address is foreign.
TEST_P(Hardening, FreeOfStackAddressIsForeign) {
  alignas(16) char local[64];
  auto e = catch_heap_error([&] { zmem_free(h, local); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN) << kind_name(e->kind);
  EXPECT_EQ(e->message, not_owned_message(h, "free", local));
}

// realloc of a foreign pointer is reported as realloc and leaves the pointer's memory alone.
TEST_P(Hardening, ReallocOfMallocPointerIsForeign) {
  auto* m = static_cast<unsigned char*>(std::malloc(64));
  std::memset(m, 0x77, 64);
  auto e = catch_heap_error([&] { zmem_realloc(h, m, 128); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN);
  EXPECT_EQ(e->message, not_owned_message(h, "realloc", m));
  for (int i = 0; i < 64; ++i) ASSERT_EQ(m[i], 0x77) << i;
  std::free(m);
}

// A block of another heap is foreign in every mode; the owner's block stays valid there.
TEST_P(Hardening, FreeOfOtherHeapsBlockIsForeign) {
  zmem_heap_options o = GetParam();
  zmem_heap* other = zmem_heap_new(&o);
  void* q = zmem_alloc(other, 64);
  fill(q, 64, 9);
  auto e = catch_heap_error([&] { zmem_free(h, q); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN);
  EXPECT_TRUE(e->message == belongs_message(h, "free", q, other) || e->message == not_owned_message(h, "free", q))
      << e->message;
  EXPECT_EQ(first_mismatch(q, 64, 9), 64u);
  zmem_free(other, q);
  EXPECT_EQ(zmem_usage(other, 0), 0u);
  zmem_heap_destroy(other);
}

// After foreign frees the heap is unchanged and serves as before.
TEST_P(Hardening, HeapUsableAfterForeignFree) {
  void* keep = zmem_alloc(h, 200);
  std::size_t usage = zmem_usage(h, 0);
  void* m = std::malloc(32);
  ASSERT_TRUE(catch_heap_error([&] { zmem_free(h, m); }));
  std::free(m);
  EXPECT_EQ(zmem_usage(h, 0), usage);
  expect_distinct_allocations(h, 200, 100);
  zmem_free(h, keep);
}

// ---------------- native-only ----------------

class NativeHardening : public NativeHeapTest {};

// A double free is caught in every bin, not only the one the first test used.
TEST_F(NativeHardening, ImmediateDoubleFreeCaughtInEveryBin) {
  for (std::size_t b = 0; b < kBins.size(); ++b) {
    void* p = zmem_alloc(h, kBins[b].size);
    zmem_free(h, p);
    auto e = catch_heap_error([&] { zmem_free(h, p); });
    ASSERT_TRUE(e) << "bin " << b;
    EXPECT_EQ(e->kind, ZMEM_ERR_DOUBLE_FREE) << "bin " << b << ": " << e->message;
  }
}

// realloc of a just-freed block is a double free reported as realloc.
TEST_F(NativeHardening, ReallocOfFreedBlockIsDoubleFree) {
  void* p = zmem_alloc(h, 64);
  zmem_free(h, p);
  auto e = catch_heap_error([&] { zmem_realloc(h, p, 100); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_DOUBLE_FREE) << e->message;
  EXPECT_EQ(e->message, double_free_message(h, p, "realloc"));
}

// A large block freed twice is reported (double free, or a free page: not the start of a block).
TEST_F(NativeHardening, LargeDoubleFreeIsReported) {
  void* keep = zmem_alloc(h, 3 * kPage);
  void* p = zmem_alloc(h, 5 * kPage);
  zmem_free(h, p);
  auto e = catch_heap_error([&] { zmem_free(h, p); });
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->kind == ZMEM_ERR_DOUBLE_FREE || e->kind == ZMEM_ERR_FOREIGN) << kind_name(e->kind);
  EXPECT_TRUE(e->message == double_free_message(h, p, "free") || e->message == interior_message(h, "free", p))
      << e->message;
  EXPECT_EQ(zmem_usage(h, 0), 3 * kPage);
  zmem_free(h, keep);
}

// A huge block freed twice is reported, never unmapped twice.
TEST_F(NativeHardening, HugeDoubleFreeIsReported) {
  void* p = zmem_alloc(h, 3 * kMiB);
  zmem_free(h, p);
  auto e = catch_heap_error([&] { zmem_free(h, p); });
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->kind == ZMEM_ERR_DOUBLE_FREE || e->kind == ZMEM_ERR_FOREIGN) << kind_name(e->kind);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// Another native heap's block names its owner: "which belongs to heap #M".
TEST_F(NativeHardening, OtherHeapsBlockNamesOwner) {
  zmem_heap* other = zmem_heap_new(&kNativeOptions);
  for (std::size_t size : {std::size_t{64}, std::size_t{5000}, 3 * kMiB}) {
    void* q = zmem_alloc(other, size);
    auto e = catch_heap_error([&] { zmem_free(h, q); });
    ASSERT_TRUE(e) << "size " << size;
    EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN);
    EXPECT_EQ(e->message, belongs_message(h, "free", q, other)) << "size " << size;
    zmem_free(other, q);
  }
  zmem_heap_destroy(other);
}

// An interior pointer of a large block (next page, or inside the first page) is not the start of a block.
TEST_F(NativeHardening, InteriorPointerOfLargeBlock) {
  auto* p = static_cast<char*>(zmem_alloc(h, 5 * kPage));
  for (char* inside : {p + kPage, p + 64, p + 4 * kPage + 8}) {
    auto e = catch_heap_error([&] { zmem_free(h, inside); });
    ASSERT_TRUE(e) << "offset " << inside - p;
    EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN);
    EXPECT_EQ(e->message, interior_message(h, "free", inside));
  }
  EXPECT_EQ(zmem_usage(h, 0), 5 * kPage);
  zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// realloc of an interior pointer is reported as realloc.
TEST_F(NativeHardening, ReallocOfInteriorPointer) {
  auto* p = static_cast<char*>(zmem_alloc(h, 5 * kPage));
  auto e = catch_heap_error([&] { zmem_realloc(h, p + kPage, 100); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, interior_message(h, "realloc", p + kPage));
  zmem_free(h, p);
}

// Interior pointers of a huge block, including a 2 MiB-aligned one that looks like a chunk start.
TEST_F(NativeHardening, InteriorPointerOfHugeBlock) {
  auto* p = static_cast<char*>(zmem_alloc(h, 5 * kMiB));
  std::memset(p, 0x5C, 5 * kMiB);  // user data where a chunk header would be
  for (char* inside : {p + kPage, p + 8, p + kChunk}) {
    auto e = catch_heap_error([&] { zmem_free(h, inside); });
    ASSERT_TRUE(e) << "offset " << inside - p;
    EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN);
    EXPECT_EQ(e->message, interior_message(h, "free", inside));
  }
  zmem_free(h, p);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

// A corrupted link (write after free) in any bin is caught within two allocations from that bin.
TEST_F(NativeHardening, CorruptedFreeListLinkCaughtInEveryBin) {
  for (std::size_t b = 0; b < kBins.size(); ++b) {
    zmem_heap* x = zmem_heap_new(&kNativeOptions);
    zmem_heap_set_error_handler(x, &throwing_handler, nullptr);
    void* a = zmem_alloc(x, kBins[b].size);
    void* p = zmem_alloc(x, kBins[b].size);
    void* c = zmem_alloc(x, kBins[b].size);
    zmem_free(x, p);
    scribble(p, 0x4141414141414141ULL);
    auto e = catch_heap_error([&] {
      zmem_alloc(x, kBins[b].size);
      zmem_alloc(x, kBins[b].size);
    });
    ASSERT_TRUE(e) << "bin " << b << ": corruption not caught";
    EXPECT_EQ(e->kind, ZMEM_ERR_CORRUPTION) << "bin " << b << ": " << e->message;
    EXPECT_TRUE(full_match(e->message, corruption_regex(x, b, p))) << "bin " << b;
    (void)a;
    (void)c;
    zmem_heap_destroy(x);
  }
}

// A raw (unencoded) pointer to a live block written into a freed slot is caught, not handed out.
TEST_F(NativeHardening, RawPointerInFreedSlotIsCaught) {
  void* live = zmem_alloc(h, 128);
  void* p = zmem_alloc(h, 128);
  zmem_free(h, p);
  scribble(p, reinterpret_cast<std::uintptr_t>(live));
  void* got1 = nullptr;
  void* got2 = nullptr;
  auto e = catch_heap_error([&] {
    got1 = zmem_alloc(h, 128);
    got2 = zmem_alloc(h, 128);
  });
  ASSERT_TRUE(e) << "allocations returned " << got1 << " and " << got2 << "; live block is " << live;
  EXPECT_EQ(e->kind, ZMEM_ERR_CORRUPTION);
  EXPECT_NE(got2, live);
}

// Each heap has its own secret: a link copied from another heap's freed slot does not decode validly.
TEST_F(NativeHardening, LinkFromAnotherHeapIsCaught) {
  zmem_heap* other = zmem_heap_new(&kNativeOptions);
  void* o1 = zmem_alloc(other, 64);
  void* o2 = zmem_alloc(other, 64);
  zmem_free(other, o1);  // o1 now holds other's encoding of its next free slot
  std::uint64_t foreign_link;
  ZMEM_TEST_UNPOISON(o1, 8);
  std::memcpy(&foreign_link, o1, 8);
  void* p = zmem_alloc(h, 64);
  void* q = zmem_alloc(h, 64);
  zmem_free(h, p);
  scribble(p, foreign_link);
  auto e = catch_heap_error([&] {
    zmem_alloc(h, 64);
    zmem_alloc(h, 64);
  });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_CORRUPTION);
  (void)q;
  (void)o2;
  zmem_heap_destroy(other);
}

// A valid encoded link copied from a freed slot of another bin decodes to a slot of the wrong bin: caught
// within two allocations (a link must decode to a slot of the same bin), never handed out as a 16-byte block.
TEST_F(NativeHardening, LinkCopiedFromAnotherBinIsCaught) {
  void* x1 = zmem_alloc(h, 64);
  void* x2 = zmem_alloc(h, 64);
  zmem_free(h, x1);  // x1's first word: this heap's encoding of a free 64-byte slot
  std::uint64_t link;
  ZMEM_TEST_UNPOISON(x1, 8);
  std::memcpy(&link, x1, 8);
  void* a = zmem_alloc(h, 16);
  void* b = zmem_alloc(h, 16);
  zmem_free(h, b);
  scribble(b, link);
  void* got1 = nullptr;
  void* got2 = nullptr;
  auto e = catch_heap_error([&] {
    got1 = zmem_alloc(h, 16);
    got2 = zmem_alloc(h, 16);
  });
  ASSERT_TRUE(e) << "16-byte allocations returned " << got1 << " and " << got2 << " (block_size "
                 << (got2 ? zmem_block_size(h, got2) : 0) << ")";
  EXPECT_EQ(e->kind, ZMEM_ERR_CORRUPTION);
  EXPECT_TRUE(full_match(e->message, corruption_regex(h, 1, b))) << e->message;
  (void)a;
  (void)x2;
}

// ---------------- no handler: "Fatal error: <message>" and abort ----------------

class HardeningDeathTest : public testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

const char* const kPtr = "0x[0-9a-f]+";
const char* const kId = "#[0-9]+";

// Double free without a handler aborts with its message.
TEST_F(HardeningDeathTest, DoubleFreeAborts) {
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        void* p = zmem_alloc(x, 64);
        zmem_free(x, p);
        zmem_free(x, p);
      },
      strprintf("Fatal error: zmem heap %s: double free of %s \\(free\\)", kId, kPtr));
}

// Freeing malloc's pointer without a handler aborts with the "does not own" message.
TEST_F(HardeningDeathTest, MallocPointerAborts) {
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        zmem_free(x, std::malloc(64));
      },
      strprintf("Fatal error: zmem heap %s: free of %s, which this heap does not own", kId, kPtr));
}

// Freeing a stack address without a handler aborts with the "does not own" message.
TEST_F(HardeningDeathTest, StackAddressAborts) {
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        char local[32];
        zmem_free(x, local);
      },
      strprintf("Fatal error: zmem heap %s: free of %s, which this heap does not own", kId, kPtr));
}

// Freeing another heap's block without a handler aborts naming the owner.
TEST_F(HardeningDeathTest, OtherHeapsBlockAborts) {
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        zmem_heap* y = zmem_heap_new(&kNativeOptions);
        zmem_free(x, zmem_alloc(y, 64));
      },
      strprintf("Fatal error: zmem heap %s: free of %s, which belongs to heap %s", kId, kPtr, kId));
}

// Freeing an interior pointer of a large block without a handler aborts.
TEST_F(HardeningDeathTest, InteriorPointerAborts) {
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        char* p = static_cast<char*>(zmem_alloc(x, 5 * kPage));
        zmem_free(x, p + kPage);
      },
      strprintf("Fatal error: zmem heap %s: free of %s, which is not the start of a block", kId, kPtr));
}

// A corrupted free-list link without a handler aborts with the corruption message.
TEST_F(HardeningDeathTest, CorruptedLinkAborts) {
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        void* a = zmem_alloc(x, 64);
        void* p = zmem_alloc(x, 64);
        zmem_free(x, p);
        scribble(p, 0x4141414141414141ULL);
        zmem_alloc(x, 64);
        zmem_alloc(x, 64);
        (void)a;
      },
      strprintf("Fatal error: zmem heap %s corrupted: free-list link of bin 7 \\(64-byte blocks\\) at %s decodes to "
                "(%s|\\(nil\\)), not a free block of this heap \\(write after free or overflow\\?\\)",
                kId, kPtr, kPtr));
}

// A double free of a block that is no longer at the head of its list (free p, free q,
// free p) is beyond the native heap's O(1) check (docs/errors.md says so); the debug
// heap catches it at the second free, naming both sites.
void free_p_q_p_on_debug_heap() {
  zmem_heap_options debug_options{0, 1, 0, 0};
  zmem_heap* x = zmem_heap_new(&debug_options);
  void* p = zmem_alloc_at(x, 64, "first.c", 1);
  void* q = zmem_alloc(x, 64);
  zmem_free_at(x, p, "first.c", 2);
  zmem_free(x, q);
  zmem_free_at(x, p, "first.c", 3);
}

TEST_F(HardeningDeathTest, NonImmediateDoubleFreeCaughtByDebugHeap) {
  EXPECT_DEATH(
      free_p_q_p_on_debug_heap(),
      strprintf("Fatal error: zmem heap %s: double free of %s \\(free at first.c:3\\): allocated at first.c:1, "
                "first freed at first.c:2",
                kId, kPtr));
}

}  // namespace
