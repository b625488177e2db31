// Transparent huge pages on huge blocks: a native heap advises the whole 2 MiB extents in the
// first half of a huge block (MADV_HUGEPAGE, VmFlags "hg" in /proc/self/smaps), keeps that true
// when the block grows, moves, shrinks or is reused from the cache at another size, and a
// heap made with small_pages (ZMEM_HUGE_PAGES=0) never asks.  Whether the kernel then backs a
// range with a huge page depends on free memory, so only the advice is checked.
#include <unistd.h>

#include <algorithm>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

bool kernel_has_thp() { return access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0; }

/// The VmFlags line of the mapping that holds `p` ("" if none does).
std::string vm_flags_of(const void* p) {
  auto addr = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
      inside = lo <= addr && addr < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool advised(const void* p) { return vm_flags_of(p).find(" hg") != std::string::npos; }
bool advised_small(const void* p) { return vm_flags_of(p).find(" nh") != std::string::npos; }

/// How many VMAs cover [p, p + size).
int vmas_over(const void* p, std::size_t size) {
  auto lo_end = reinterpret_cast<std::uintptr_t>(p), hi_end = lo_end + size;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  int count = 0;
  while (std::getline(maps, line)) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && lo < hi_end && hi > lo_end) count++;
  }
  return count;
}

/// A block of `size` bytes made from the cached mapping of a freed `cached`-byte block
/// (checked), so its tail beyond the new first half is advised small pages.
char* reused_block(zmem_heap* h, std::size_t cached, std::size_t size) {
  void* big = zmem_alloc(h, cached);
  zmem_free(h, big);
  auto* p = static_cast<char*>(zmem_alloc(h, size));
  EXPECT_EQ(p, big) << "expected the cached mapping to be reused";
  return p;
}

class HugePages : public testing::Test {
 protected:
  void SetUp() override {
    if (!kernel_has_thp()) GTEST_SKIP() << "kernel without transparent huge pages";
    h = zmem_heap_new(&kNativeOptions);
  }
  void TearDown() override {
    if (h != nullptr) zmem_heap_destroy(h);
  }
  /// Replaces h by a heap made with small_pages, which never advises.
  void use_small_pages() {
    zmem_heap_destroy(h);
    zmem_heap_options options = kNativeOptions;
    options.small_pages = 1;
    h = zmem_heap_new(&options);
  }

  zmem_heap* h = nullptr;
};

/// True when exactly the first `advised_bytes` of [p, p + bytes) are advised, checked at
/// every 2 MiB extent's first and last byte.
::testing::AssertionResult advised_prefix(const char* p, std::size_t bytes, std::size_t advised_bytes) {
  for (std::size_t at = 0; at < bytes; at += 2 * kMiB) {
    for (std::size_t probe : {at, std::min(at + 2 * kMiB, bytes) - 1}) {
      if (advised(p + probe) != (probe < advised_bytes)) {
        return ::testing::AssertionFailure() << "byte " << probe << " of " << bytes << ": " << vm_flags_of(p + probe);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

TEST_F(HugePages, TheWholeExtentsOfTheFirstHalfAreAdvised) {
  auto* p = static_cast<char*>(zmem_alloc(h, 8 * kMiB + 100));
  EXPECT_TRUE(advised_prefix(p, 8 * kMiB + 4096, 4 * kMiB));
  std::memset(p, 0x5a, 8 * kMiB + 100);
  EXPECT_EQ(zmem_usage(h, 0), 8 * kMiB + 4096);
  zmem_free(h, p);
}

TEST_F(HugePages, BlocksUnderFourMiBGetNoAdvice) {
  auto* p = static_cast<char*>(zmem_alloc(h, 4 * kMiB - 4096));
  EXPECT_TRUE(advised_prefix(p, 4 * kMiB - 4096, 0));
  zmem_free(h, p);
}

// Growth advises the extents that the new first half takes in, whether the block grows in place or
// moves, and the contents survive.
TEST_F(HugePages, GrowthExtendsTheAdvice) {
  auto* p = static_cast<char*>(zmem_alloc(h, 4 * kMiB));
  fill(p, 4 * kMiB, 0x11);
  auto* q = static_cast<char*>(zmem_realloc(h, p, 12 * kMiB));
  EXPECT_TRUE(advised_prefix(q, 12 * kMiB, 6 * kMiB));
  EXPECT_EQ(first_mismatch(q, 4 * kMiB, 0x11), 4 * kMiB);
  auto* r = static_cast<char*>(zmem_realloc(h, q, 12 * kMiB + 4096));  // a page more: same extents
  EXPECT_TRUE(advised_prefix(r, 12 * kMiB + 4096, 6 * kMiB));
  auto* t = static_cast<char*>(zmem_realloc(h, r, 16 * kMiB));
  EXPECT_TRUE(advised_prefix(t, 16 * kMiB, 8 * kMiB));
  EXPECT_EQ(first_mismatch(t, 4 * kMiB, 0x11), 4 * kMiB);
  zmem_free(h, t);
}

// A cached mapping reused for a smaller block gives up the advice past its new first half.
TEST_F(HugePages, ReuseAtASmallerSizeWithdrawsTheAdvice) {
  char* p = reused_block(h, 12 * kMiB, 7 * kMiB);
  ASSERT_FALSE(HasFailure());
  EXPECT_TRUE(advised_prefix(p, 7 * kMiB, 2 * kMiB));
  fill(p, 7 * kMiB, 0x22);
  auto* q = static_cast<char*>(zmem_realloc(h, p, 9 * kMiB));
  EXPECT_TRUE(advised_prefix(q, 9 * kMiB, 4 * kMiB));
  EXPECT_EQ(first_mismatch(q, 7 * kMiB, 0x22), 7 * kMiB);
  zmem_free(h, q);
}

// A block that must move (the range after it taken) carries its layout: advised prefix and
// small-page tail, then the grown part advised as the extents require.
TEST_F(HugePages, AMoveCarriesTheAdvice) {
  char* p = reused_block(h, 12 * kMiB, 7 * kMiB);  // prefix 2 MiB, small tail
  fill(p, 7 * kMiB, 0x55);
  PageTaken after(p + 7 * kMiB);
  auto* q = static_cast<char*>(zmem_realloc(h, p, 15 * kMiB));
  EXPECT_NE(q, p);
  EXPECT_TRUE(advised_prefix(q, 15 * kMiB, 6 * kMiB));
  EXPECT_EQ(first_mismatch(q, 7 * kMiB, 0x55), 7 * kMiB);
  zmem_free(h, q);
}

// Moves and in-place growth, repeated: every step keeps the contents, the layout (one VMA for
// the advised prefix, one for the rest: the kernel must be able to move each whole) and the
// advice; a reused block's tail is advised small pages and stays so.  Every step is over an
// eighth of the block, so no growth slack is mapped past `size`.
TEST_F(HugePages, RepeatedGrowthKeepsTwoVMAs) {
  char* p = reused_block(h, 14 * kMiB, 9 * kMiB);  // small-page tail
  std::size_t size = 9 * kMiB;
  fill(p, size, 0x66);
  EXPECT_TRUE(advised_small(p + size - 1)) << vm_flags_of(p + size - 1);
  std::vector<PageTaken> taken;
  for (int step = 0; step < 6; ++step) {
    std::size_t next = round_up(size + size / 4, kPage) + (step % 3) * 3 * kMiB + 4096;
    if (step % 2 == 0) taken.emplace_back(p + size);  // even steps move
    else ASSERT_EQ(zmem_realloc(h, p, size - 4096), p);  // odd steps grow where they are
    auto* q = static_cast<char*>(zmem_realloc(h, p, next));
    if (step % 2 == 0) EXPECT_NE(q, p) << step;
    else EXPECT_EQ(q, p) << step;
    ASSERT_EQ(first_mismatch(q, size - 4096, 0x66), size - 4096) << step;
    fill(q, next, 0x66);
    p = q;
    size = next;
    EXPECT_LE(vmas_over(p, size), 2) << step;
    EXPECT_TRUE(advised_prefix(p, size, (size / 2) & ~(2 * kMiB - 1))) << step;
    EXPECT_TRUE(advised_small(p + size - 1)) << step << vm_flags_of(p + size - 1);
  }
  zmem_free(h, p);
}

// Without advice a block stays one VMA however it grows, so every move is one mremap.
TEST_F(HugePages, SmallPagesBlockStaysOneVMA) {
  use_small_pages();
  auto* p = static_cast<char*>(zmem_alloc(h, 5 * kMiB));
  std::size_t size = 5 * kMiB;
  std::vector<PageTaken> taken;
  for (int step = 0; step < 4; ++step) {
    fill(p, size, 0x77);
    taken.emplace_back(p + size);
    auto* q = static_cast<char*>(zmem_realloc(h, p, size + 3 * kMiB));
    EXPECT_NE(q, p);
    ASSERT_EQ(first_mismatch(q, size, 0x77), size) << step;
    p = q;
    size += 3 * kMiB;
    EXPECT_EQ(vmas_over(p, size), 1) << step;
    EXPECT_FALSE(advised(p)) << vm_flags_of(p);
  }
  zmem_free(h, p);
}

TEST_F(HugePages, SmallPagesHeapNeverAdvises) {
  use_small_pages();
  auto* p = static_cast<char*>(zmem_alloc(h, 4 * kMiB));
  std::string flags = vm_flags_of(p);
  EXPECT_FALSE(flags.empty());
  EXPECT_EQ(flags.find(" hg"), std::string::npos) << flags;
  auto* q = static_cast<char*>(zmem_realloc(h, p, 12 * kMiB));
  EXPECT_FALSE(advised(q)) << vm_flags_of(q);
  zmem_free(h, q);
}

// Small and large blocks live in chunks, which are never advised: only huge blocks are.
TEST_F(HugePages, ChunksAreNotAdvised) {
  void* small = zmem_alloc(h, 64);
  void* large = zmem_alloc(h, 64 * 1024);
  EXPECT_FALSE(advised(small)) << vm_flags_of(small);
  EXPECT_FALSE(advised(large)) << vm_flags_of(large);
  zmem_free(h, small);
  zmem_free(h, large);
}

}  // namespace
