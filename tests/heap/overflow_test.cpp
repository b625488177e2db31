// Size-computation overflow: safe_alloc / safe_realloc (n * size + offset), calloc (n * size),
// strndup (length + 1), zmem_safe_size on the current heap, and (native) huge-size rounding.
// Each raises ZMEM_ERR_OVERFLOW with PHP's "Possible integer overflow in memory allocation"
// message, changes nothing, and leaves the heap usable.
#include <cstdint>

#include <zmem/zend_alloc.h>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

constexpr std::size_t kMax = SIZE_MAX;

std::string overflow_message(std::size_t n, std::size_t size, std::size_t offset) {
  return strprintf("Possible integer overflow in memory allocation (%zu * %zu + %zu)", n, size, offset);
}

class Overflow : public HeapModeTest {};
ZMEM_INSTANTIATE_HEAP_MODES(Overflow);

// n * size overflows: reported with the three operands.
TEST_P(Overflow, SafeAllocMultiplicationOverflow) {
  const std::size_t n = kMax / 2 + 1;
  auto e = catch_heap_error([&] { zmem_safe_alloc_at(h, n, 2, 0, __FILE__, __LINE__); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW) << kind_name(e->kind);
  EXPECT_EQ(e->message, overflow_message(n, 2, 0));
}

// n * size fits but + offset overflows.
TEST_P(Overflow, SafeAllocAdditionOverflow) {
  auto e = catch_heap_error([&] { zmem_safe_alloc_at(h, 1, kMax, 1, __FILE__, __LINE__); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW);
  EXPECT_EQ(e->message, overflow_message(1, kMax, 1));
}

// A product that overflows only in its high word (2^32 * 2^32) is still caught.
TEST_P(Overflow, SafeAllocHighWordOverflow) {
  const std::size_t n = std::size_t{1} << 32;
  auto e = catch_heap_error([&] { zmem_safe_alloc_at(h, n, n, 0, __FILE__, __LINE__); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW);
  EXPECT_EQ(e->message, overflow_message(n, n, 0));
}

// Non-overflowing operands allocate n * size + offset bytes.
TEST_P(Overflow, SafeAllocComputesSize) {
  void* p = zmem_safe_alloc_at(h, 10, 100, 24, __FILE__, __LINE__);
  ASSERT_GE(zmem_block_size(h, p), 1024u);
  std::memset(p, 3, 1024);
  zmem_free(h, p);
}

// safe_realloc overflow leaves the old block untouched.
TEST_P(Overflow, SafeReallocOverflowKeepsBlock) {
  void* p = zmem_alloc(h, 300);
  fill(p, 300, 21);
  std::size_t usage = zmem_usage(h, 0);
  auto e = catch_heap_error([&] { zmem_safe_realloc_at(h, p, kMax, 3, 7, __FILE__, __LINE__); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW);
  EXPECT_EQ(e->message, overflow_message(kMax, 3, 7));
  EXPECT_EQ(first_mismatch(p, 300, 21), 300u);
  EXPECT_EQ(zmem_usage(h, 0), usage);
  zmem_free(h, p);
}

// safe_realloc without overflow behaves like realloc.
TEST_P(Overflow, SafeReallocComputesSize) {
  void* p = zmem_alloc(h, 10);
  fill(p, 10, 22);
  p = zmem_safe_realloc_at(h, p, 100, 50, 8, __FILE__, __LINE__);
  EXPECT_GE(zmem_block_size(h, p), 5008u);
  EXPECT_EQ(first_mismatch(p, 10, 22), 10u);
  zmem_free(h, p);
}

// calloc(count, size) checks count * size like ecalloc (zend_safe_address_guarded(n, size, 0)).
TEST_P(Overflow, CallocOverflow) {
  auto e = catch_heap_error([&] { zmem_calloc(h, kMax / 8, 16); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW) << kind_name(e->kind);
  EXPECT_EQ(e->message, overflow_message(kMax / 8, 16, 0));
}

// strndup of length SIZE_MAX would need length + 1 bytes: overflow, reported before reading the string.
TEST_P(Overflow, StrndupLengthOverflow) {
  auto e = catch_heap_error([&] { zmem_strndup_at(h, "abc", kMax, __FILE__, __LINE__); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW);
  EXPECT_TRUE(e->message == overflow_message(1, kMax, 1) || e->message == overflow_message(kMax, 1, 1)) << e->message;
}

// zmem_safe_size reports through the current heap's handler.
TEST_P(Overflow, SafeSizeUsesCurrentHeap) {
  zmem_set_current_heap(h);
  EXPECT_EQ(zmem_safe_size(3, 5, 7), 22u);
  auto e = catch_heap_error([&] { zmem_safe_size(kMax, kMax, 0); });
  zmem_set_current_heap(nullptr);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->heap, h);
  EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW);
  EXPECT_EQ(e->message, overflow_message(kMax, kMax, 0));
}

// After overflow errors the heap is unchanged and usable.
TEST_P(Overflow, HeapUsableAfterOverflow) {
  void* keep = zmem_alloc(h, 77);
  std::size_t usage = zmem_usage(h, 0);
  ASSERT_TRUE(catch_heap_error([&] { zmem_safe_alloc_at(h, kMax, kMax, kMax, nullptr, 0); }));
  ASSERT_TRUE(catch_heap_error([&] { zmem_calloc(h, kMax, kMax); }));
  EXPECT_EQ(zmem_usage(h, 0), usage);
  void* p = zmem_alloc(h, 5000);
  zmem_free(h, p);
  zmem_free(h, keep);
  EXPECT_EQ(zmem_usage(h, 0), 0u);
}

class NativeOverflow : public NativeHeapTest {};

// A size whose page rounding wraps is an overflow ("(%zu + %zu)"), not a tiny allocation.
TEST_F(NativeOverflow, HugeRoundingOverflow) {
  for (std::size_t size : {kMax, kMax - 100, kMax - kPage + 2}) {
    auto e = catch_heap_error([&] { zmem_alloc(h, size); });
    ASSERT_TRUE(e) << "size " << size;
    EXPECT_EQ(e->kind, ZMEM_ERR_OVERFLOW) << "size " << size << ": " << e->message;
    EXPECT_TRUE(full_match(e->message, R"(Possible integer overflow in memory allocation \([0-9]+ \+ [0-9]+\))"));
  }
}

// Without a handler an overflow prints its message and aborts.
TEST(OverflowDeathTest, OverflowWithoutHandlerAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        zmem_heap* x = zmem_heap_new(&kNativeOptions);
        zmem_safe_alloc_at(x, SIZE_MAX, 2, 0, nullptr, 0);
      },
      "Fatal error: Possible integer overflow in memory allocation \\(18446744073709551615 \\* 2 \\+ 0\\)");
}

}  // namespace
