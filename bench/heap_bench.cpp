// Heap benchmark: zmem against the allocator it rebuilds and three others, on
// identical operation sequences, in one binary.
//
//   zmem     zmem_heap_new / zmem_alloc / zmem_free / zmem_realloc / zmem_heap_reset
//   zendmm   the real ZendMM from Debian's libphp8.2.so: zend_mm_startup, _zend_mm_alloc,
//            _zend_mm_free, _zend_mm_realloc; reset = zend_mm_shutdown(heap, 0, 1), which is
//            what php_request_shutdown() does at the end of every request
//   glibc    malloc / free / realloc; reset = free every block still live
//   mimalloc mi_heap_new / mi_heap_malloc / mi_free / mi_heap_realloc; reset = mi_heap_destroy
//            + mi_heap_new.  Loaded with dlopen(RTLD_LOCAL | RTLD_DEEPBIND): Debian's
//            libmimalloc.so exports malloc/free, so linking it would silently turn the glibc
//            column into a second mimalloc column.
//   pmr      std::pmr::unsynchronized_pool_resource over new_delete_resource; realloc =
//            allocate + memcpy + deallocate (the interface has nothing better); reset = release()
//
// Workloads (every sequence is generated once, from a fixed seed, before any timing; the
// timed loops only replay it):
//   pairs    alloc + free pairs, sizes uniform in 8..512 (a table of 4096 sizes, replayed)
//   request  one PHP-like request: 200k blocks (70% 16-128 B, 20% 129-1024 B, 8% 1-3 KiB,
//            1.9% 4-64 KiB, 0.1% 256 KiB-4 MiB), 60% of them freed in random order, then reset
//   growth   a string grown by realloc from 16 B to 1 MiB in appends of 1..512 B, each append
//            reallocating to the exact new length (what `$s .= $x` does through
//            zend_string_extend), then freed
//   churn    1M live blocks (the request mix restricted to PHP's small sizes, <= 3 KiB); one
//            iteration replaces 1M random blocks (free one, allocate another size in its slot)
//   request_2t  the request workload on two threads at once, each on its own heap, against
//            the same work on one thread; wall time.  Scaling = 2 * t(1 thread) / t(2 threads).
//
// Blocks are never written by the benchmark: only allocator work is timed.
//
// A second mode, outside Google Benchmark, serves callgrind:
//   heap_bench --pairs=<zmem|zendmm|glibc|mimalloc|pmr|none> N
// runs N pairs of the `pairs` workload and exits; bench/callgrind_pairs.sh runs it for two N
// and divides the difference in instructions by the difference in N (start-up cost cancels).
// `none` runs the same loop on a bump pointer, to show the loop's own instructions.

#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <zmem/zmem.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory_resource>
#include <mutex>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

// --- ZendMM, declared by hand from Zend/zend_alloc.h (PHP 8.2, ZEND_DEBUG 0, NTS) ---------
// In a non-debug build ZEND_FILE_LINE_DC and ZEND_FILE_LINE_ORIG_DC expand to nothing and
// ZEND_FASTCALL is empty on x86-64, so these are plain C functions of the shown arity.
#ifdef ZMEM_BENCH_HAVE_ZENDMM
extern "C" {
struct _zend_mm_heap;
_zend_mm_heap *zend_mm_startup(void);
void zend_mm_shutdown(_zend_mm_heap *heap, bool full_shutdown, bool silent);
void *_zend_mm_alloc(_zend_mm_heap *heap, std::size_t size);
void _zend_mm_free(_zend_mm_heap *heap, void *p);
void *_zend_mm_realloc(_zend_mm_heap *heap, void *p, std::size_t size);
}
#endif

namespace {

// --- Blocks still live at a reset: allocators without a reset of their own free these. ---
struct Live {
  void *const *ptrs;
  std::span<const std::uint32_t> idx;  // ptrs[idx[i]] is live
};

// --- Adapters: one static interface, no virtual calls. --------------------------------------
// alloc(n); free(p, n) (n is the size it was allocated with; only pmr needs it);
// realloc(p, old_n, n); reset(live): everything allocated since the last reset is gone.

struct Zmem {
  static constexpr const char *kName = "zmem";
  zmem_heap *h;
  Zmem() {
    zmem_heap_options o{};  // native mode, unlimited: the defaults, whatever the environment says
    h = zmem_heap_new(&o);
  }
  ~Zmem() { zmem_heap_destroy(h); }
  Zmem(const Zmem &) = delete;
  Zmem &operator=(const Zmem &) = delete;
  void *alloc(std::size_t n) { return zmem_alloc(h, n); }
  void free(void *p, std::size_t) { zmem_free(h, p); }
  void *realloc(void *p, std::size_t, std::size_t n) { return zmem_realloc(h, p, n); }
  void reset(Live) { zmem_heap_reset(h); }
};

// zmem's other heap modes (issue: debug and system modes), measured against the native heap.
// Debug heaps get a site with every call, as the Zend macros pass one.
template <int kDebug, int kSystem>
struct ZmemMode {
  zmem_heap *h;
  ZmemMode() {
    zmem_heap_options o{0, kDebug, kSystem, 0};
    h = zmem_heap_new(&o);
  }
  ~ZmemMode() { zmem_heap_destroy(h); }
  ZmemMode(const ZmemMode &) = delete;
  ZmemMode &operator=(const ZmemMode &) = delete;
  void *alloc(std::size_t n) { return zmem_alloc_at(h, n, __FILE__, __LINE__); }
  void free(void *p, std::size_t) { zmem_free_at(h, p, __FILE__, __LINE__); }
  void *realloc(void *p, std::size_t, std::size_t n) { return zmem_realloc_at(h, p, n, __FILE__, __LINE__); }
  void reset(Live) { zmem_heap_reset(h); }
};
struct ZmemDebugSites : ZmemMode<1, 0> {
  static constexpr const char *kName = "zmem-debug1";
};
struct ZmemDebugStacks : ZmemMode<2, 0> {
  static constexpr const char *kName = "zmem-debug2";
};
struct ZmemSystem : ZmemMode<0, 1> {
  static constexpr const char *kName = "zmem-system";
};

#ifdef ZMEM_BENCH_HAVE_ZENDMM
struct ZendMM {
  static constexpr const char *kName = "zendmm";
  _zend_mm_heap *h;
  ZendMM() : h(zend_mm_startup()) {}
  ~ZendMM() { zend_mm_shutdown(h, true, true); }
  ZendMM(const ZendMM &) = delete;
  ZendMM &operator=(const ZendMM &) = delete;
  void *alloc(std::size_t n) { return _zend_mm_alloc(h, n); }
  void free(void *p, std::size_t) { _zend_mm_free(h, p); }
  void *realloc(void *p, std::size_t, std::size_t n) { return _zend_mm_realloc(h, p, n); }
  void reset(Live) { zend_mm_shutdown(h, false, true); }
};
#endif

struct Glibc {
  static constexpr const char *kName = "glibc";
  void *alloc(std::size_t n) { return std::malloc(n); }
  void free(void *p, std::size_t) { std::free(p); }
  void *realloc(void *p, std::size_t, std::size_t n) { return std::realloc(p, n); }
  void reset(Live live) {
    for (std::uint32_t i : live.idx) std::free(live.ptrs[i]);
  }
};

// mimalloc through dlopen (see the top of the file for why).
struct MiApi {
  void *(*heap_new)() = nullptr;
  void (*heap_destroy)(void *) = nullptr;
  void *(*heap_malloc)(void *, std::size_t) = nullptr;
  void *(*heap_realloc)(void *, void *, std::size_t) = nullptr;
  void (*free)(void *) = nullptr;
  const char *error = nullptr;
};

const MiApi &mi_api() {
  static const MiApi api = [] {
    MiApi a;
    void *lib = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (lib == nullptr) {
      a.error = "cannot dlopen libmimalloc.so.2 (install libmimalloc2.0)";
      return a;
    }
    a.heap_new = reinterpret_cast<void *(*)()>(dlsym(lib, "mi_heap_new"));
    a.heap_destroy = reinterpret_cast<void (*)(void *)>(dlsym(lib, "mi_heap_destroy"));
    a.heap_malloc = reinterpret_cast<void *(*)(void *, std::size_t)>(dlsym(lib, "mi_heap_malloc"));
    a.heap_realloc = reinterpret_cast<void *(*)(void *, void *, std::size_t)>(dlsym(lib, "mi_heap_realloc"));
    a.free = reinterpret_cast<void (*)(void *)>(dlsym(lib, "mi_free"));
    if (!a.heap_new || !a.heap_destroy || !a.heap_malloc || !a.heap_realloc || !a.free)
      a.error = "libmimalloc.so.2 lacks the mi_heap_* API";
    return a;
  }();
  return api;
}

// A mimalloc heap allocates only on the thread that created it: construct it on that thread.
struct Mimalloc {
  static constexpr const char *kName = "mimalloc";
  const MiApi &mi = mi_api();
  void *h = mi.error ? nullptr : mi.heap_new();
  Mimalloc() = default;
  ~Mimalloc() {
    if (h) mi.heap_destroy(h);
  }
  Mimalloc(const Mimalloc &) = delete;
  Mimalloc &operator=(const Mimalloc &) = delete;
  void *alloc(std::size_t n) { return mi.heap_malloc(h, n); }
  void free(void *p, std::size_t) { mi.free(p); }
  void *realloc(void *p, std::size_t, std::size_t n) { return mi.heap_realloc(h, p, n); }
  void reset(Live) {
    mi.heap_destroy(h);
    h = mi.heap_new();
  }
};

struct Pmr {
  static constexpr const char *kName = "pmr";
  static constexpr std::size_t kAlign = alignof(std::max_align_t);  // malloc's guarantee
  std::pmr::unsynchronized_pool_resource r;
  void *alloc(std::size_t n) { return r.allocate(n, kAlign); }
  void free(void *p, std::size_t n) { r.deallocate(p, n, kAlign); }
  void *realloc(void *p, std::size_t old_n, std::size_t n) {
    void *q = r.allocate(n, kAlign);
    std::memcpy(q, p, std::min(old_n, n));
    r.deallocate(p, old_n, kAlign);
    return q;
  }
  void reset(Live) { r.release(); }
};

// Whether an adapter can run here (mimalloc may be missing); the reason if not.
template <class A>
const char *unavailable() {
  if constexpr (std::is_same_v<A, Mimalloc>) return mi_api().error;
  return nullptr;
}

// --- Operation sequences, generated once from fixed seeds. ----------------------------------

constexpr std::size_t kPairSizes = 4096;  // pairs per benchmark iteration
constexpr std::size_t kRequestBlocks = 200'000;
constexpr std::size_t kRequestFreed = kRequestBlocks * 6 / 10;
constexpr std::size_t kGrowthMax = 1 << 20;
constexpr std::size_t kChurnLive = 1'000'000;
constexpr std::size_t kChurnOps = 1'000'000;  // replacements per benchmark iteration
constexpr int kRequestsPerThreadRun = 2;
// Requests run before timing starts.  ZendMM keeps (average + peak) / 2 chunks cached at each
// reset, so it needs a few requests to reach its steady state; the first request of any
// allocator pays for fresh mappings and page faults.  A PHP worker lives in the steady state.
constexpr int kWarmupRequests = 5;

// One draw from the PHP-like request mix.  small_only: only the first three classes
// (<= 3 KiB, PHP's small bins), renormalised.
std::uint32_t php_size(std::mt19937_64 &rng, bool small_only) {
  // per-mille weights: 700, 200, 80, 19, 1
  std::uniform_int_distribution<int> pick(0, small_only ? 979 : 999);
  int r = pick(rng);
  auto in = [&](std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
  };
  if (r < 700) return in(16, 128);
  if (r < 900) return in(129, 1024);
  if (r < 980) return in(1025, 3072);
  if (r < 999) return in(4096, 65536);
  return in(256 * 1024, 4 * 1024 * 1024);
}

// Each workload's sequence is built on first use, so --pairs builds only its own table.
struct PairSeq {
  std::vector<std::uint32_t> sizes;  // replayed cyclically
  PairSeq() {
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<std::uint32_t> d(8, 512);
    sizes.resize(kPairSizes);
    for (auto &s : sizes) s = d(rng);
  }
};

struct RequestSeq {
  std::vector<std::uint32_t> sizes;  // block i has sizes[i]
  std::vector<std::uint32_t> freed;  // indices freed, in this order
  std::vector<std::uint32_t> live;   // indices still live at reset
  RequestSeq() {
    std::mt19937_64 rng(2);
    sizes.resize(kRequestBlocks);
    for (auto &s : sizes) s = php_size(rng, false);
    std::vector<std::uint32_t> order(kRequestBlocks);
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin(), order.end(), rng);
    freed.assign(order.begin(), order.begin() + kRequestFreed);
    live.assign(order.begin() + kRequestFreed, order.end());
    std::sort(live.begin(), live.end());
  }
};

struct GrowthSeq {
  std::vector<std::uint32_t> sizes;  // successive lengths, 16 .. 1 MiB
  GrowthSeq() {
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<std::uint32_t> d(1, 512);
    for (std::uint32_t n = 16; n < kGrowthMax; n = std::min<std::uint32_t>(n + d(rng), kGrowthMax))
      sizes.push_back(n);
    sizes.push_back(kGrowthMax);
  }
};

struct ChurnSeq {
  std::vector<std::uint32_t> initial;  // size of slot i before the first op
  std::vector<std::uint32_t> slot;     // op k frees slot[k] ...
  std::vector<std::uint32_t> size;     // ... and allocates size[k] in its place
  std::vector<std::uint32_t> all;      // 0 .. kChurnLive-1 (the live set, for glibc's reset)
  ChurnSeq() {
    std::mt19937_64 rng(4);
    initial.resize(kChurnLive);
    for (auto &s : initial) s = php_size(rng, true);
    std::uniform_int_distribution<std::uint32_t> pick(0, kChurnLive - 1);
    slot.resize(kChurnOps);
    size.resize(kChurnOps);
    for (std::size_t k = 0; k < kChurnOps; ++k) {
      slot[k] = pick(rng);
      size[k] = php_size(rng, true);
    }
    all.resize(kChurnLive);
    std::iota(all.begin(), all.end(), 0u);
  }
};

template <class S>
const S &seq() {
  static const S s;
  return s;
}

// --- Workload bodies: shared by the timed benchmarks, the thread crews and --pairs. ---------

template <class A>
void run_pairs(A &a, std::size_t n) {
  const std::uint32_t *sizes = seq<PairSeq>().sizes.data();
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t size = sizes[i & (kPairSizes - 1)];
    void *p = a.alloc(size);
    benchmark::DoNotOptimize(p);
    a.free(p, size);
  }
}
static_assert((kPairSizes & (kPairSizes - 1)) == 0, "kPairSizes must be a power of two");

// One request; ptrs has room for kRequestBlocks pointers.
template <class A>
void run_request(A &a, void **ptrs) {
  const RequestSeq &s = seq<RequestSeq>();
  const std::uint32_t *sizes = s.sizes.data();
  for (std::size_t i = 0; i < kRequestBlocks; ++i) ptrs[i] = a.alloc(sizes[i]);
  benchmark::ClobberMemory();
  for (std::uint32_t i : s.freed) a.free(ptrs[i], sizes[i]);
  a.reset(Live{ptrs, s.live});
}

template <class A>
void run_growth(A &a) {
  const std::vector<std::uint32_t> &g = seq<GrowthSeq>().sizes;
  void *p = a.alloc(g[0]);
  for (std::size_t i = 1; i < g.size(); ++i) {
    p = a.realloc(p, g[i - 1], g[i]);
    benchmark::DoNotOptimize(p);
  }
  a.free(p, g.back());
}

// --- Google Benchmark functions. -------------------------------------------------------------

template <class A>
bool skip_if_unavailable(benchmark::State &state) {
  if (const char *why = unavailable<A>()) {
    state.SkipWithError(why);
    return true;
  }
  return false;
}

template <class A>
void BM_Pairs(benchmark::State &state) {
  if (skip_if_unavailable<A>(state)) return;
  seq<PairSeq>();
  A a;
  for (auto _ : state) run_pairs(a, kPairSizes);
  state.counters["per_op"] = benchmark::Counter(
      double(kPairSizes), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  a.reset(Live{nullptr, {}});
}

template <class A>
void BM_Request(benchmark::State &state) {
  if (skip_if_unavailable<A>(state)) return;
  seq<RequestSeq>();
  std::vector<void *> ptrs(kRequestBlocks);
  A a;
  for (int r = 0; r < kWarmupRequests; ++r) run_request(a, ptrs.data());
  for (auto _ : state) run_request(a, ptrs.data());
  state.counters["per_op"] = benchmark::Counter(
      double(kRequestBlocks), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <class A>
void BM_Growth(benchmark::State &state) {
  if (skip_if_unavailable<A>(state)) return;
  const std::size_t steps = seq<GrowthSeq>().sizes.size() - 1;  // reallocs per string
  A a;
  for (auto _ : state) run_growth(a);
  state.counters["per_op"] = benchmark::Counter(
      double(steps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  a.reset(Live{nullptr, {}});
}

template <class A>
void BM_Churn(benchmark::State &state) {
  if (skip_if_unavailable<A>(state)) return;
  const ChurnSeq &s = seq<ChurnSeq>();
  std::vector<void *> ptrs(kChurnLive);
  std::vector<std::uint32_t> size(s.initial);  // current size of each slot
  A a;
  for (std::size_t i = 0; i < kChurnLive; ++i) ptrs[i] = a.alloc(size[i]);
  for (auto _ : state) {
    for (std::size_t k = 0; k < kChurnOps; ++k) {
      std::uint32_t i = s.slot[k];
      a.free(ptrs[i], size[i]);
      size[i] = s.size[k];
      ptrs[i] = a.alloc(size[i]);
    }
    benchmark::ClobberMemory();
  }
  state.counters["per_op"] = benchmark::Counter(
      double(kChurnOps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  a.reset(Live{ptrs.data(), s.all});
}

// N threads, each with its own heap constructed on that thread, each running `job` once per
// run().  Workers persist across runs so heaps keep their caches between requests, as a PHP
// worker process or ZTS thread does.
template <class A>
class Crew {
 public:
  explicit Crew(int threads) : pending_(threads) {
    for (int t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
    std::unique_lock lk(m_);
    done_.wait(lk, [&] { return pending_ == 0; });
  }
  ~Crew() {
    {
      std::lock_guard lk(m_);
      stop_ = true;
      ++generation_;
    }
    start_.notify_all();
    for (auto &w : workers_) w.join();
  }
  Crew(const Crew &) = delete;
  Crew &operator=(const Crew &) = delete;

  // Runs kRequestsPerThreadRun requests on every worker; returns the wall time in seconds.
  double run() {
    auto t0 = std::chrono::steady_clock::now();
    {
      std::lock_guard lk(m_);
      pending_ = int(workers_.size());
      ++generation_;
    }
    start_.notify_all();
    std::unique_lock lk(m_);
    done_.wait(lk, [&] { return pending_ == 0; });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

 private:
  void work() {
    std::vector<void *> ptrs(kRequestBlocks);
    A a;
    for (int r = 0; r < kWarmupRequests; ++r) run_request(a, ptrs.data());
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock lk(m_);
        if (--pending_ == 0) done_.notify_one();  // constructed, or finished the last run
        start_.wait(lk, [&] { return generation_ != seen; });
        seen = generation_;
        if (stop_) return;
      }
      for (int r = 0; r < kRequestsPerThreadRun; ++r) run_request(a, ptrs.data());
    }
  }

  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable start_, done_;
  std::uint64_t generation_ = 0;
  int pending_;
  bool stop_ = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One iteration = a run on one thread, then the same run on each of two threads at once
// (each on its own heap); the iteration's time is the sum.  Alternating the two inside one
// benchmark makes a burst of unrelated load on the machine hit both sides alike.
// Counters: median and fastest run times, and scaling = 2 * t(1 thread) / t(2 threads)
// (2.0: two threads do twice the work in the same time; 1.0: no gain).
template <class A>
void BM_RequestThreads(benchmark::State &state) {
  if (skip_if_unavailable<A>(state)) return;
  seq<RequestSeq>();
  Crew<A> one(1), two(2);
  std::vector<double> t1, t2;
  for (auto _ : state) {
    t1.push_back(one.run());
    t2.push_back(two.run());
    state.SetIterationTime(t1.back() + t2.back());
  }
  double m1 = median(t1), m2 = median(t2);
  double b1 = *std::min_element(t1.begin(), t1.end()), b2 = *std::min_element(t2.begin(), t2.end());
  state.counters["t1_ms"] = m1 * 1e3;
  state.counters["t2_ms"] = m2 * 1e3;
  state.counters["t1_best_ms"] = b1 * 1e3;
  state.counters["t2_best_ms"] = b2 * 1e3;
  state.counters["scaling"] = 2 * m1 / m2;
  state.counters["scaling_best"] = 2 * b1 / b2;
}

// The single-thread workloads, one allocator after another in each.
template <class... As>
void register_modes() {
  auto name = [](const char *workload, const char *alloc) { return std::string(workload) + "/" + alloc; };
  (benchmark::RegisterBenchmark(name("pairs", As::kName).c_str(), BM_Pairs<As>), ...);
  (benchmark::RegisterBenchmark(name("request", As::kName).c_str(), BM_Request<As>)
       ->Unit(benchmark::kMillisecond),
   ...);
  (benchmark::RegisterBenchmark(name("growth", As::kName).c_str(), BM_Growth<As>)
       ->Unit(benchmark::kMicrosecond),
   ...);
  (benchmark::RegisterBenchmark(name("churn", As::kName).c_str(), BM_Churn<As>)
       ->Unit(benchmark::kMillisecond),
   ...);
}

// Registered workload by workload, ZendMM first in each, so an anchor and the allocators
// compared with it run close together in time.  The single-thread workloads also serve the
// other heap modes (register_modes); the anchors add the two-thread variant.
template <class... As>
void register_all() {
  register_modes<As...>();
  (benchmark::RegisterBenchmark((std::string("request_2t/") + As::kName).c_str(), BM_RequestThreads<As>)
       ->UseManualTime()
       ->Unit(benchmark::kMillisecond),
   ...);
}

// --- --pairs=<alloc> N: the callgrind mode. --------------------------------------------------

// The loop alone: a bump pointer that never runs out (sizes are at most 512).
struct None {
  alignas(16) unsigned char buf[1024];
  void *alloc(std::size_t) { return buf; }
  void free(void *, std::size_t) {}
};

template <class A>
int pairs_mode(std::size_t n) {
  if (const char *why = unavailable<A>()) {
    std::fprintf(stderr, "heap_bench: %s\n", why);
    return 1;
  }
  seq<PairSeq>();
  A a;
  run_pairs(a, n);
  std::printf("%s: %zu pairs\n", A::kName, n);
  return 0;
}

int pairs_main(std::string_view which, const char *count) {
  char *end = nullptr;
  std::size_t n = std::strtoull(count ? count : "", &end, 10);
  if (count == nullptr || *end != '\0' || n == 0) {
    std::fprintf(stderr, "usage: heap_bench --pairs=<zmem|zendmm|glibc|mimalloc|pmr|none> N\n");
    return 2;
  }
  if (which == "zmem") return pairs_mode<Zmem>(n);
#ifdef ZMEM_BENCH_HAVE_ZENDMM
  if (which == "zendmm") return pairs_mode<ZendMM>(n);
#endif
  if (which == "glibc") return pairs_mode<Glibc>(n);
  if (which == "mimalloc") return pairs_mode<Mimalloc>(n);
  if (which == "pmr") return pairs_mode<Pmr>(n);
  if (which == "none") {
    auto a = std::make_unique<None>();
    run_pairs(*a, n);
    std::printf("none: %zu pairs\n", n);
    return 0;
  }
  std::fprintf(stderr, "heap_bench: unknown allocator '%.*s'\n", int(which.size()), which.data());
  return 2;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc >= 2 && std::string_view(argv[1]).starts_with("--pairs="))
    return pairs_main(std::string_view(argv[1]).substr(8), argc >= 3 ? argv[2] : nullptr);

#ifdef ZMEM_BENCH_HAVE_ZENDMM
  register_all<ZendMM, Zmem, Glibc, Mimalloc, Pmr>();
#else
  register_all<Zmem, Glibc, Mimalloc, Pmr>();
#endif
  register_modes<ZmemDebugSites, ZmemDebugStacks, ZmemSystem>();

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
