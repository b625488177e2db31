// Transparent huge pages on huge blocks: a native heap advises each new huge mapping
// (MADV_HUGEPAGE, VmFlags "hg" in /proc/self/smaps), growth in place keeps the advice, and a
// heap made with small_pages (ZMEM_HUGE_PAGES=0) never asks.  Whether the kernel then backs a
// range with a huge page depends on free memory, so only the advice is checked.
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

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

class HugePages : public testing::Test {
 protected:
  void SetUp() override {
    if (!kernel_has_thp()) GTEST_SKIP() << "kernel without transparent huge pages";
  }
};

TEST_F(HugePages, NewHugeMappingIsAdvised) {
  zmem_heap* h = zmem_heap_new(&kNativeOptions);
  auto* p = static_cast<char*>(zmem_alloc(h, 4 * kMiB));
  EXPECT_TRUE(advised(p)) << vm_flags_of(p);
  EXPECT_TRUE(advised(p + 4 * kMiB - 1)) << "the whole mapping, one VMA";
  std::memset(p, 0x5a, 4 * kMiB);
  EXPECT_EQ(zmem_usage(h, 0), 4 * kMiB);
  zmem_free(h, p);
  zmem_heap_destroy(h);
}

// Growth keeps the advice whether the mapping grows in place or the block moves.
TEST_F(HugePages, GrowthKeepsTheAdvice) {
  zmem_heap* h = zmem_heap_new(&kNativeOptions);
  auto* p = static_cast<char*>(zmem_alloc(h, 4 * kMiB));
  std::memset(p, 0x11, 4 * kMiB);
  auto* q = static_cast<char*>(zmem_realloc(h, p, 12 * kMiB));
  EXPECT_TRUE(advised(q)) << vm_flags_of(q);
  EXPECT_TRUE(advised(q + 12 * kMiB - 1)) << vm_flags_of(q + 12 * kMiB - 1);
  for (std::size_t i = 0; i < 4 * kMiB; i += 4096) ASSERT_EQ(q[i], 0x11) << i;
  zmem_free(h, q);
  zmem_heap_destroy(h);
}

TEST_F(HugePages, SmallPagesHeapNeverAdvises) {
  zmem_heap_options options = kNativeOptions;
  options.small_pages = 1;
  zmem_heap* h = zmem_heap_new(&options);
  auto* p = static_cast<char*>(zmem_alloc(h, 4 * kMiB));
  std::string flags = vm_flags_of(p);
  EXPECT_FALSE(flags.empty());
  EXPECT_EQ(flags.find(" hg"), std::string::npos) << flags;
  auto* q = static_cast<char*>(zmem_realloc(h, p, 12 * kMiB));
  EXPECT_FALSE(advised(q)) << vm_flags_of(q);
  zmem_free(h, q);
  zmem_heap_destroy(h);
}

// Small and large blocks live in chunks, which are never advised: only huge blocks are.
TEST_F(HugePages, ChunksAreNotAdvised) {
  zmem_heap* h = zmem_heap_new(&kNativeOptions);
  void* small = zmem_alloc(h, 64);
  void* large = zmem_alloc(h, 64 * 1024);
  EXPECT_FALSE(advised(small)) << vm_flags_of(small);
  EXPECT_FALSE(advised(large)) << vm_flags_of(large);
  zmem_free(h, small);
  zmem_free(h, large);
  zmem_heap_destroy(h);
}

}  // namespace
