// The system heap (ZMEM_ALLOC=system): blocks come from malloc, so the tools
// see them.  Under ASan a one-byte overflow is reported by ASan itself; the
// valgrind run of this binary (see CMakeLists.txt) must report no error.
#include <gtest/gtest.h>
#include <zmem/zmem.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

struct Error {
  int kind;
  std::string message;
};
void throwing_handler(zmem_heap*, int kind, const char* message, void*) { throw Error{kind, message}; }

zmem_heap* new_system_heap(std::size_t limit = 0) {
  zmem_heap_options options{limit, 0, 1, 0};
  zmem_heap* h = zmem_heap_new(&options);
  zmem_heap_set_error_handler(h, throwing_handler, nullptr);
  return h;
}

// USE_ZEND_ALLOC=0 selects the system heap, as in PHP; ZMEM_ALLOC wins when both are set.
TEST(SystemHeap, SelectedByEnvironment) {
  setenv("USE_ZEND_ALLOC", "0", 1);
  unsetenv("ZMEM_ALLOC");
  zmem_heap* h = zmem_heap_new(nullptr);
  EXPECT_EQ(zmem_heap_mode(h), 3);
  zmem_heap_destroy(h);
  setenv("ZMEM_ALLOC", "zmem", 1);
  h = zmem_heap_new(nullptr);
  EXPECT_EQ(zmem_heap_mode(h), 0);
  zmem_heap_destroy(h);
  unsetenv("USE_ZEND_ALLOC");
  unsetenv("ZMEM_ALLOC");
}

// Usage is the sum of requested sizes; reset frees what the request left behind.
TEST(SystemHeap, UsageAndResetTrackEveryBlock) {
  zmem_heap* h = new_system_heap();
  void* a = zmem_alloc(h, 100);
  zmem_alloc(h, 5000);
  zmem_alloc(h, 3 << 20);
  EXPECT_EQ(zmem_usage(h, 0), 100u + 5000u + (3u << 20));
  EXPECT_GT(zmem_usage(h, 1), zmem_usage(h, 0));
  EXPECT_EQ(zmem_block_size(h, a), 100u);
  EXPECT_TRUE(zmem_owns(h, a));
  zmem_free(h, a);
  EXPECT_EQ(zmem_usage(h, 0), 5000u + (3u << 20));
  zmem_heap_reset(h);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
  EXPECT_EQ(zmem_peak_usage(h, 0), 0u);
  zmem_heap_destroy(h);
}

// The limit applies to real usage and the heap stays usable after the error.
TEST(SystemHeap, LimitRaisesAndHeapStaysUsable) {
  zmem_heap* h = new_system_heap(1 << 20);
  void* keep = zmem_alloc(h, 1000);
  try {
    zmem_alloc(h, 2 << 20);
    FAIL() << "no limit error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind, ZMEM_ERR_LIMIT);
    EXPECT_EQ(e.message, "Allowed memory size of 1048576 bytes exhausted (tried to allocate 2097152 bytes)");
  }
  std::memset(keep, 1, 1000);
  zmem_free(h, keep);
  zmem_free(h, zmem_alloc(h, 1000));
  zmem_heap_destroy(h);
}

// Double free and foreign free are told apart.
TEST(SystemHeap, DoubleAndForeignFree) {
  zmem_heap* h = new_system_heap();
  void* p = zmem_alloc(h, 10);
  zmem_free(h, p);
  try {
    zmem_free(h, p);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind, ZMEM_ERR_DOUBLE_FREE);
  }
  int local = 0;
  try {
    zmem_free(h, &local);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind, ZMEM_ERR_FOREIGN);
    EXPECT_NE(e.message.find("which this heap does not own"), std::string::npos);
  }
  zmem_heap_destroy(h);
}

// realloc keeps contents across sizes.
TEST(SystemHeap, ReallocKeepsContents) {
  zmem_heap* h = new_system_heap();
  char* p = static_cast<char*>(zmem_alloc(h, 16));
  std::memcpy(p, "0123456789abcdef", 16);
  p = static_cast<char*>(zmem_realloc(h, p, 3 << 20));
  EXPECT_EQ(std::memcmp(p, "0123456789abcdef", 16), 0);
  p = static_cast<char*>(zmem_realloc(h, p, 8));
  EXPECT_EQ(std::memcmp(p, "01234567", 8), 0);
  EXPECT_EQ(zmem_usage(h, 0), 8u);
  zmem_heap_destroy(h);
}

#if defined(__SANITIZE_ADDRESS__)
// ASan sees system-mode blocks exactly: one byte past the end is its report, not ours.
TEST(SystemHeapDeathTest, AsanCatchesOneByteOverflow) {
  auto overflow_by_one = [] {
    zmem_heap* h = new_system_heap();
    volatile char* p = static_cast<char*>(zmem_alloc(h, 24));
    p[24] = 1;
  };
  EXPECT_DEATH(overflow_by_one(), "AddressSanitizer: heap-buffer-overflow");
}
#endif

// The program the valgrind test runs: every kind of block, freed, leaked to reset, reallocated.
TEST(SystemHeap, ValgrindWorkload) {
  zmem_heap* h = new_system_heap();
  for (int round = 0; round < 3; ++round) {
    for (int i = 1; i < 2000; i += 7) {
      char* p = static_cast<char*>(zmem_alloc(h, static_cast<std::size_t>(i) * 13));
      std::memset(p, i & 0xff, static_cast<std::size_t>(i) * 13);
      if (i % 3 == 0) p = static_cast<char*>(zmem_realloc(h, p, static_cast<std::size_t>(i) * 40));
      if (i % 2 == 0) zmem_free(h, p);
    }
    zmem_heap_reset(h);
  }
  zmem_heap_destroy(h);
}

}  // namespace
