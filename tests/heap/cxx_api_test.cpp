// The C++ face: zmem::Heap (move-only owner, operations, exceptions MemoryLimitError /
// OutOfMemoryError as std::bad_alloc and HeapError for misuse, a C handler replacing the
// exceptions), zmem::HeapResource (std::pmr, alignment up to 4 KiB for every size) and
// zmem::HeapAllocator<T> with standard containers.
#include <zmem/zmem.hpp>

#include <cstdlib>
#include <list>
#include <map>
#include <memory_resource>
#include <string>
#include <type_traits>
#include <vector>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

static_assert(!std::is_copy_constructible_v<zmem::Heap>, "Heap must be move-only");
static_assert(std::is_nothrow_move_constructible_v<zmem::Heap>, "Heap moves without throwing");
static_assert(std::is_base_of_v<std::bad_alloc, zmem::MemoryLimitError>);
static_assert(std::is_base_of_v<std::bad_alloc, zmem::OutOfMemoryError>);

// Alloc, block_size, owns, free and usage work through the C++ object.
TEST(CxxHeap, BasicOperations) {
  zmem::Heap heap;
  void* p = heap.alloc(100);
  EXPECT_TRUE(heap.owns(p));
  EXPECT_GE(heap.block_size(p), 100u);
  EXPECT_GT(heap.usage(), 0u);
  void* z = heap.calloc(10, 10);
  EXPECT_TRUE(all_zero(z, 100));
  p = heap.realloc(p, 10000);
  EXPECT_GE(heap.block_size(p), 10000u);
  heap.free(p);
  heap.free_sized(z, 100);
  EXPECT_EQ(heap.usage(), 0u);
  EXPECT_GE(heap.peak_usage(), 10000u);
}

// Heaps are numbered in creation order.
TEST(CxxHeap, IdsIncreaseInCreationOrder) {
  zmem::Heap a, b;
  EXPECT_EQ(b.id(), a.id() + 1);
  EXPECT_EQ(zmem_heap_id(a.raw()), a.id());
}

// Moving transfers ownership; the moved-from heap holds nothing.
TEST(CxxHeap, MoveTransfersOwnership) {
  zmem::Heap a;
  zmem_heap* raw = a.raw();
  void* p = a.alloc(64);
  zmem::Heap b(std::move(a));
  EXPECT_EQ(a.raw(), nullptr);
  EXPECT_EQ(b.raw(), raw);
  EXPECT_TRUE(b.owns(p));
  zmem::Heap c;
  c = std::move(b);
  EXPECT_EQ(c.raw(), raw);
  c.free(p);
}

// adopt() takes a C heap and the Heap destroys it.
TEST(CxxHeap, AdoptTakesCHeap) {
  zmem_heap* raw = zmem_heap_new(&kNativeOptions);
  zmem::Heap heap = zmem::Heap::adopt(raw);
  EXPECT_EQ(heap.raw(), raw);
  heap.free(heap.alloc(10));
}

// Options are taken as given (limit, system).
TEST(CxxHeap, OptionsAreApplied) {
  zmem::HeapOptions o;
  o.limit = 64 * kMiB;
  zmem::Heap heap(o);
  EXPECT_EQ(heap.limit(), 64 * kMiB);
  EXPECT_EQ(zmem_heap_mode(heap.raw()), 0);
}

// The limit error is a MemoryLimitError with PHP's message, catchable as std::bad_alloc.
TEST(CxxHeap, LimitThrowsMemoryLimitError) {
  zmem::HeapOptions o;
  o.limit = 4 * kMiB;
  zmem::Heap heap(o);
  try {
    heap.alloc(8 * kMiB);
    FAIL() << "no exception";
  } catch (const zmem::MemoryLimitError& e) {
    EXPECT_STREQ(e.what(), "Allowed memory size of 4194304 bytes exhausted (tried to allocate 8388608 bytes)");
  }
  EXPECT_THROW(heap.alloc(8 * kMiB), std::bad_alloc);
  void* p = heap.alloc(1000);  // usable after
  heap.free(p);
}

// set_limit returns false below real usage and leaves the limit as it was.
TEST(CxxHeap, SetLimitReportsFailure) {
  zmem::Heap heap;
  void* p = heap.alloc(5 * kMiB);
  EXPECT_TRUE(heap.set_limit(64 * kMiB));
  EXPECT_FALSE(heap.set_limit(kMiB));
  EXPECT_EQ(heap.limit(), 64 * kMiB);
  heap.free(p);
}

// Out of memory is an OutOfMemoryError (a std::bad_alloc) with PHP's message.
TEST(CxxHeap, OutOfMemoryThrowsOutOfMemoryError) {
  zmem::Heap heap;
  try {
    heap.alloc(std::size_t{1} << 62);
    FAIL() << "no exception";
  } catch (const zmem::OutOfMemoryError& e) {
    EXPECT_TRUE(full_match(e.what(), R"(Out of memory \(allocated [0-9]+ bytes\) \(tried to allocate [0-9]+ bytes\))"));
  }
  EXPECT_THROW(heap.alloc(std::size_t{1} << 62), std::bad_alloc);
}

// Misuse (double free) is a HeapError carrying the kind and message.
TEST(CxxHeap, DoubleFreeThrowsHeapError) {
  zmem::Heap heap;
  void* p = heap.alloc(64);
  heap.free(p);
  try {
    heap.free(p);
    FAIL() << "no exception";
  } catch (const zmem::HeapError& e) {
    EXPECT_EQ(e.kind(), ZMEM_ERR_DOUBLE_FREE);
    EXPECT_EQ(std::string(e.what()), strprintf("zmem heap #%u: double free of %p (free)", heap.id(), p));
  }
}

// A foreign pointer is a HeapError of kind FOREIGN.
TEST(CxxHeap, ForeignFreeThrowsHeapError) {
  zmem::Heap heap;
  void* m = std::malloc(16);
  try {
    heap.free(m);
    FAIL() << "no exception";
  } catch (const zmem::HeapError& e) {
    EXPECT_EQ(e.kind(), ZMEM_ERR_FOREIGN);
  }
  std::free(m);
}

// Overflow is a HeapError of kind OVERFLOW.
TEST(CxxHeap, OverflowThrowsHeapError) {
  zmem::Heap heap;
  try {
    heap.calloc(SIZE_MAX, 2);
    FAIL() << "no exception";
  } catch (const zmem::HeapError& e) {
    EXPECT_EQ(e.kind(), ZMEM_ERR_OVERFLOW);
  }
}

// An installed C handler receives kind and message instead of the exception; nullptr restores exceptions.
TEST(CxxHeap, CHandlerReplacesExceptions) {
  zmem::HeapOptions o;
  o.limit = 4 * kMiB;
  zmem::Heap heap(o);
  int calls = 0;
  heap.set_error_handler(&throwing_handler, &calls);
  auto e = catch_heap_error([&] { heap.alloc(8 * kMiB); });
  ASSERT_TRUE(e);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(e->heap, heap.raw());
  EXPECT_EQ(e->kind, ZMEM_ERR_LIMIT);
  EXPECT_EQ(e->message, "Allowed memory size of 4194304 bytes exhausted (tried to allocate 8388608 bytes)");
  heap.set_error_handler(nullptr, nullptr);
  EXPECT_THROW(heap.alloc(8 * kMiB), zmem::MemoryLimitError);
  EXPECT_EQ(calls, 1);
}

// reset() and trim() through the C++ object.
TEST(CxxHeap, ResetAndTrim) {
  zmem::Heap heap;
  for (int i = 0; i < 100; ++i) heap.alloc(50000);
  heap.reset();
  EXPECT_EQ(heap.usage(), 0u);
  EXPECT_EQ(heap.peak_usage(), 0u);
  heap.trim();
  EXPECT_EQ(heap.usage(true), kChunk);
  EXPECT_EQ(heap.stats().real_usage, kChunk);
}

// reset_peak() restarts the peak from current usage.
TEST(CxxHeap, ResetPeak) {
  zmem::Heap heap;
  heap.free(heap.alloc(100000));
  heap.reset_peak();
  EXPECT_EQ(heap.peak_usage(), heap.usage());
}

// ---------------- HeapResource ----------------

// Every power-of-two alignment up to 4 KiB is honoured for every size class, and the block is writable.
TEST(CxxHeapResource, HonoursAlignmentUpTo4KiBForEverySize) {
  zmem::Heap heap;
  zmem::HeapResource res(heap);
  const std::size_t sizes[] = {1, 7, 8, 24, 100, 1000, 3072, 3073, 4096, 5000, 70000, kMaxLarge, kMaxLarge + 1,
                               3 * kMiB};
  for (std::size_t align = 1; align <= 4096; align *= 2) {
    std::vector<std::pair<void*, std::size_t>> live;
    for (std::size_t size : sizes) {
      void* p = res.allocate(size, align);
      ASSERT_NE(p, nullptr);
      EXPECT_TRUE(aligned(p, align)) << "size " << size << " align " << align << " -> " << p;
      fill(p, size, size ^ align);
      live.emplace_back(p, size);
    }
    for (auto [p, size] : live) EXPECT_EQ(first_mismatch(p, size, size ^ align), size) << size << "/" << align;
    for (auto [p, size] : live) res.deallocate(p, size, align);
    EXPECT_EQ(heap.usage(), 0u) << "align " << align;
  }
}

// Many small over-aligned blocks at once stay aligned (not just the first in a run).
TEST(CxxHeapResource, ManySmallOverAlignedBlocks) {
  zmem::Heap heap;
  zmem::HeapResource res(heap);
  for (std::size_t align : {16u, 64u, 256u, 4096u}) {
    std::vector<void*> live;
    for (int i = 0; i < 100; ++i) {
      void* p = res.allocate(24, align);
      EXPECT_TRUE(aligned(p, align)) << align << " #" << i;
      std::memset(p, 1, 24);
      live.push_back(p);
    }
    for (void* p : live) res.deallocate(p, 24, align);
  }
  EXPECT_EQ(heap.usage(), 0u);
}

// Two resources over one heap compare equal; over different heaps they do not.
TEST(CxxHeapResource, EqualityFollowsHeap) {
  zmem::Heap a, b;
  zmem::HeapResource ra1(a), ra2(a.raw()), rb(b);
  EXPECT_TRUE(ra1.is_equal(ra2));
  EXPECT_FALSE(ra1.is_equal(rb));
  EXPECT_FALSE(ra1.is_equal(*std::pmr::new_delete_resource()));
  EXPECT_EQ(ra2.heap(), a.raw());
}

// A pmr container on the resource allocates from the heap and gives it all back.
TEST(CxxHeapResource, PmrContainersUseHeap) {
  zmem::Heap heap;
  zmem::HeapResource res(heap);
  {
    std::pmr::vector<std::pmr::string> v(&res);
    for (int i = 0; i < 1000; ++i) v.emplace_back(std::string(50 + i % 100, 'x'));
    EXPECT_GT(heap.usage(), 50000u);
    EXPECT_EQ(v[999].size(), 50u + 999 % 100);
    std::pmr::map<int, int> m(&res);
    for (int i = 0; i < 1000; ++i) m[i] = i;
    EXPECT_EQ(m.size(), 1000u);
  }
  EXPECT_EQ(heap.usage(), 0u);
}

// The resource's limit error reaches the caller as std::bad_alloc.
TEST(CxxHeapResource, LimitErrorIsBadAlloc) {
  zmem::HeapOptions o;
  o.limit = 4 * kMiB;
  zmem::Heap heap(o);
  zmem::HeapResource res(heap);
  EXPECT_THROW((void)res.allocate(8 * kMiB, 64), std::bad_alloc);
}

// ---------------- HeapAllocator ----------------

// std::vector<int> with HeapAllocator grows, keeps its elements and gives everything back.
TEST(CxxHeapAllocator, WorksWithVector) {
  zmem::Heap heap;
  {
    std::vector<int, zmem::HeapAllocator<int>> v{zmem::HeapAllocator<int>(heap)};
    for (int i = 0; i < 1000000; ++i) v.push_back(i);
    for (int i = 0; i < 1000000; i += 997) ASSERT_EQ(v[i], i);
    EXPECT_GE(heap.usage(), 4000000u);
    v.shrink_to_fit();
  }
  EXPECT_EQ(heap.usage(), 0u);
}

// Node containers rebind the allocator to their node type.
TEST(CxxHeapAllocator, WorksWithNodeContainers) {
  zmem::Heap heap;
  {
    std::list<long, zmem::HeapAllocator<long>> l{zmem::HeapAllocator<long>(heap)};
    for (long i = 0; i < 10000; ++i) l.push_back(i);
    EXPECT_EQ(l.back(), 9999);
    using Alloc = zmem::HeapAllocator<std::pair<const int, double>>;
    std::map<int, double, std::less<int>, Alloc> m{Alloc(heap.raw())};
    for (int i = 0; i < 1000; ++i) m[i] = i * 0.5;
    EXPECT_EQ(m.at(999), 499.5);
    EXPECT_GT(heap.usage(), 0u);
  }
  EXPECT_EQ(heap.usage(), 0u);
}

// Allocators compare equal exactly when they name the same heap, across value types.
TEST(CxxHeapAllocator, EqualityFollowsHeap) {
  zmem::Heap a, b;
  zmem::HeapAllocator<int> ia(a);
  zmem::HeapAllocator<double> da(ia);
  zmem::HeapAllocator<int> ib(b);
  EXPECT_TRUE(ia == da);
  EXPECT_FALSE(ia == ib);
  EXPECT_EQ(da.heap(), a.raw());
}

// allocate(n) with n * sizeof(T) overflowing is a HeapError of kind OVERFLOW, not a short block.
TEST(CxxHeapAllocator, OverflowingCountThrows) {
  zmem::Heap heap;
  zmem::HeapAllocator<std::uint64_t> alloc(heap);
  try {
    alloc.allocate(SIZE_MAX / 4);
    FAIL() << "no exception";
  } catch (const zmem::HeapError& e) {
    EXPECT_EQ(e.kind(), ZMEM_ERR_OVERFLOW);
  }
}

// A vector exceeding the heap's limit throws std::bad_alloc from push_back and keeps its elements.
TEST(CxxHeapAllocator, LimitSurfacesAsBadAlloc) {
  zmem::HeapOptions o;
  o.limit = 8 * kMiB;
  zmem::Heap heap(o);
  std::vector<char, zmem::HeapAllocator<char>> v{zmem::HeapAllocator<char>(heap)};
  bool threw = false;
  try {
    for (std::size_t i = 0; i < 64 * kMiB; ++i) v.push_back(static_cast<char>(i));
  } catch (const std::bad_alloc&) {
    threw = true;
  }
  EXPECT_TRUE(threw);
  for (std::size_t i = 0; i < v.size(); i += 4099) ASSERT_EQ(v[i], static_cast<char>(i));
}

}  // namespace
