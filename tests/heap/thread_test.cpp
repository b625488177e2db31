// Threads (run these under the tsan preset: ctest -L threaded): a heap per thread used at the
// same time through the Zend macros on each thread's current heap; the current heap is
// thread-local; a heap handed from one thread to another; a block freed into the wrong
// thread's heap is reported; heaps created and destroyed concurrently; the persistent
// allocator shared by threads.
#include <zmem/zend_alloc.h>

#include <atomic>
#include <barrier>
#include <random>
#include <thread>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kOpsPerThread = 150'000;
#else
constexpr int kOpsPerThread = 1'000'000;
#endif

struct Live {
  void* p;
  std::size_t size;
  std::uint64_t tag;
};

// Random alloc/realloc/free/reset on this thread's current heap via emalloc & co; returns "" or the first problem.
std::string churn_current_heap(zmem_heap* h, std::uint64_t seed, int ops) {
  std::mt19937_64 rng(seed);
  std::vector<Live> live;
  auto size_of = [&] {
    std::uint32_t r = rng() % 1000;
    if (r < 800) return 1 + rng() % 512;
    if (r < 990) return 513 + rng() % 40000;
    return kMaxLarge + 1 + rng() % (3 * kMiB);
  };
  auto check = [&](const Live& b, std::size_t n) { return first_mismatch(b.p, std::min<std::size_t>(n, 256), b.tag) == std::min<std::size_t>(n, 256); };
  for (int op = 0; op < ops; ++op) {
    if (zmem_current_heap() != h) return "current heap changed under the thread";
    std::uint32_t r = rng() % 100;
    if (r < 45 && live.size() < 4000) {
      std::size_t n = size_of();
      void* p = emalloc(n);
      if (!zmem_owns(h, p)) return "emalloc did not use the current heap";
      Live b{p, n, rng()};
      fill(p, std::min<std::size_t>(n, 256), b.tag);
      live.push_back(b);
    } else if (r < 60 && !live.empty()) {
      Live& b = live[rng() % live.size()];
      if (!check(b, b.size)) return "pattern damaged before realloc";
      std::size_t n = size_of();
      b.p = erealloc(b.p, n);
      if (!check(b, std::min(b.size, n))) return "realloc lost contents";
      b.size = n;
      fill(b.p, std::min<std::size_t>(n, 256), b.tag);
    } else if (!live.empty()) {
      std::size_t i = rng() % live.size();
      if (!check(live[i], live[i].size)) return "pattern damaged before free";
      efree(live[i].p);
      live[i] = live.back();
      live.pop_back();
    }
    if (rng() % 50'000 == 0) {
      for (const Live& b : live)
        if (!check(b, b.size)) return "pattern damaged before reset";
      zmem_heap_reset(h);
      live.clear();
      if (zmem_usage(h, 0) != 0) return "usage not 0 after reset";
    }
  }
  for (const Live& b : live) {
    if (!check(b, b.size)) return "pattern damaged at the end";
    efree(b.p);
  }
  if (zmem_usage(h, 0) != 0) return "usage not 0 after freeing everything";
  return "";
}

// Two threads, each with its own heap as current heap, allocate and free at the same time without interfering.
TEST(HeapThreads, TwoThreadsEachWithOwnHeap) {
  std::barrier sync(2);
  std::string result[2];
  zmem_heap* heaps[2] = {nullptr, nullptr};
  auto worker = [&](int id) {
    zmem_heap* h = zmem_heap_new(&kNativeOptions);
    heaps[id] = h;
    zmem_set_current_heap(h);
    sync.arrive_and_wait();
    result[id] = churn_current_heap(h, 1000 + id, kOpsPerThread);
    zmem_set_current_heap(nullptr);
    sync.arrive_and_wait();  // both heaps exist until both threads finish
    zmem_heap_destroy(h);
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(result[0], "");
  EXPECT_EQ(result[1], "");
  EXPECT_NE(heaps[0], heaps[1]);
}

// zmem_set_current_heap on one thread does not change another thread's current heap.
TEST(HeapThreads, CurrentHeapIsThreadLocal) {
  zmem_heap* mine = zmem_heap_new(&kNativeOptions);
  zmem_heap* theirs = zmem_heap_new(&kNativeOptions);
  zmem_set_current_heap(mine);
  zmem_heap* seen_before = nullptr;
  zmem_heap* seen_after = nullptr;
  std::thread t([&] {
    seen_before = zmem_current_heap();
    zmem_set_current_heap(theirs);
    seen_after = zmem_current_heap();
    zmem_set_current_heap(nullptr);
  });
  t.join();
  EXPECT_NE(seen_before, mine);
  EXPECT_NE(seen_before, nullptr);
  EXPECT_EQ(seen_after, theirs);
  EXPECT_EQ(zmem_current_heap(), mine);
  zmem_set_current_heap(nullptr);
  EXPECT_NE(zmem_current_heap(), mine);
  zmem_heap_destroy(mine);
  zmem_heap_destroy(theirs);
}

// Each thread's default heap (created on first use) is its own, and stable for that thread.
TEST(HeapThreads, DefaultHeapsArePerThread) {
  zmem_heap* main_default = zmem_current_heap();
  EXPECT_EQ(zmem_current_heap(), main_default);
  zmem_heap* other_default = nullptr;
  bool stable = false;
  std::thread t([&] {
    other_default = zmem_current_heap();
    void* p = emalloc(100);
    stable = zmem_owns(other_default, p) && zmem_current_heap() == other_default;
    efree(p);
  });
  t.join();
  EXPECT_NE(other_default, main_default);
  EXPECT_TRUE(stable);
}

// A heap created on one thread may be used by another (one at a time) and destroyed by a third.
TEST(HeapThreads, HeapHandedOverBetweenThreads) {
  zmem_heap* h = zmem_heap_new(&kNativeOptions);
  std::vector<void*> blocks;
  std::thread producer([&] {
    for (int i = 0; i < 1000; ++i) {
      void* p = zmem_alloc(h, 16 + i * 7);
      fill(p, 16 + i * 7, i);
      blocks.push_back(p);
    }
    blocks.push_back(zmem_alloc(h, 3 * kMiB));
  });
  producer.join();
  std::string problem;
  std::thread consumer([&] {
    for (int i = 0; i < 1000; ++i)
      if (first_mismatch(blocks[i], 16 + i * 7, i) != 16u + i * 7) problem = "block damaged";
    for (void* p : blocks) zmem_free(h, p);
    if (zmem_usage(h, 0) != 0) problem = "usage not 0";
    zmem_heap_reset(h);
  });
  consumer.join();
  EXPECT_EQ(problem, "");
  zmem_heap_destroy(h);
}

// A block of another thread's heap freed into this thread's heap is reported, naming the owner, and corrupts nothing.
TEST(HeapThreads, FreeIntoWrongThreadsHeapIsReported) {
  zmem_heap* mine = zmem_heap_new(&kNativeOptions);
  zmem_heap_set_error_handler(mine, &throwing_handler, nullptr);
  zmem_heap* theirs = nullptr;
  void* foreign = nullptr;
  std::thread t([&] {
    theirs = zmem_heap_new(&kNativeOptions);
    foreign = zmem_alloc(theirs, 64);
    fill(foreign, 64, 5);
  });
  t.join();
  auto e = catch_heap_error([&] { zmem_free(mine, foreign); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ZMEM_ERR_FOREIGN);
  EXPECT_EQ(e->message, strprintf("zmem heap #%u: free of %p, which belongs to heap #%u", zmem_heap_id(mine), foreign,
                                  zmem_heap_id(theirs)));
  EXPECT_EQ(first_mismatch(foreign, 64, 5), 64u);
  std::thread cleanup([&] {
    zmem_free(theirs, foreign);
    zmem_heap_destroy(theirs);
  });
  cleanup.join();
  zmem_heap_destroy(mine);
}

// Heaps created, used and destroyed on two threads at once (shared chunk registry) stay separate.
TEST(HeapThreads, ConcurrentHeapLifecycles) {
  std::barrier sync(2);
  std::atomic<int> problems{0};
  auto worker = [&](int id) {
    sync.arrive_and_wait();
    for (int round = 0; round < 100; ++round) {
      zmem_heap* h = zmem_heap_new(&kNativeOptions);
      std::vector<void*> blocks;
      for (int i = 0; i < 50; ++i) blocks.push_back(zmem_alloc(h, (i % 3 == 0) ? kMaxLarge : 100 + i * 50));
      blocks.push_back(zmem_alloc(h, 3 * kMiB));
      for (void* p : blocks)
        if (!zmem_owns(h, p)) ++problems;
      for (std::size_t i = 0; i < blocks.size(); i += 2) zmem_free(h, blocks[i]);
      zmem_heap_reset(h);
      zmem_heap_trim(h);
      if (zmem_usage(h, 1) != kChunk) ++problems;
      zmem_heap_destroy(h);
    }
    (void)id;
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(problems.load(), 0);
}

// The persistent allocator (pemalloc(..., 1)) is safe to use from two threads at once.
TEST(HeapThreads, PersistentAllocatorIsThreadSafe) {
  const std::size_t blocks_before = zmem_persistent_blocks();
  const std::size_t bytes_before = zmem_persistent_usage();
  std::barrier sync(2);
  std::atomic<int> problems{0};
  auto worker = [&](int id) {
    std::vector<char*> mine;
    sync.arrive_and_wait();
    for (int i = 0; i < 20000; ++i) {
      char* p = static_cast<char*>(pemalloc(16 + i % 200, 1));
      std::memset(p, id, 16);
      mine.push_back(p);
      if (i % 3 == 0) {
        char* q = mine[i / 2];
        if (q[0] != id) ++problems;
      }
    }
    for (char* p : mine) {
      if (p[15] != id) ++problems;
      pefree(p, 1);
    }
  };
  std::thread a(worker, 1), b(worker, 2);
  a.join();
  b.join();
  EXPECT_EQ(problems.load(), 0);
  EXPECT_EQ(zmem_persistent_blocks(), blocks_before);
  EXPECT_EQ(zmem_persistent_usage(), bytes_before);
}

}  // namespace
