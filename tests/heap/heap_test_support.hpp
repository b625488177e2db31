// Shared pieces of the heap tests: the heap-mode fixture (one run per heap mode),
// the native fixture for figures that only the ZendMM-style heap promises, an error
// handler that turns heap errors into a test exception, and an independent model of
// ZendMM's size classes (reference/zend-internals.md section 1.2) to compare against.
#pragma once

#include <gtest/gtest.h>
#include <regex.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <zmem/zmem.h>

#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ZMEM_TEST_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ZMEM_TEST_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace zmem_test {

inline constexpr std::size_t kPage = 4096;
inline constexpr std::size_t kChunk = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxSmall = 3072;
inline constexpr std::size_t kMaxLarge = kChunk - kPage;  // 2,093,056: 511 pages
inline constexpr std::size_t kChunkPages = 511;           // usable pages per chunk
inline constexpr std::size_t kMiB = 1024 * 1024;

struct BinInfo {
  std::size_t size;
  unsigned count;  // slots per run
  unsigned pages;  // pages per run
};

// ZEND_MM_BINS_INFO, copied from the reference, not from src/.
inline constexpr std::array<BinInfo, 30> kBins = {{
    {8, 512, 1},    {16, 256, 1},  {24, 170, 1},  {32, 128, 1},  {40, 102, 1},  {48, 85, 1},
    {56, 73, 1},    {64, 64, 1},   {80, 51, 1},   {96, 42, 1},   {112, 36, 1},  {128, 32, 1},
    {160, 25, 1},   {192, 21, 1},  {224, 18, 1},  {256, 16, 1},  {320, 64, 5},  {384, 32, 3},
    {448, 9, 1},    {512, 8, 1},   {640, 32, 5},  {768, 16, 3},  {896, 9, 2},   {1024, 8, 2},
    {1280, 16, 5},  {1536, 8, 3},  {1792, 16, 7}, {2048, 8, 4},  {2560, 8, 5},  {3072, 4, 3},
}};

inline std::size_t round_up(std::size_t v, std::size_t a) { return (v + a - 1) / a * a; }

/// The bin a small size lands in, or -1 for large and huge sizes.
inline int bin_of(std::size_t size) {
  if (size > kMaxSmall) return -1;
  for (std::size_t i = 0; i < kBins.size(); ++i)
    if (size <= kBins[i].size) return static_cast<int>(i);
  return -1;
}

/// What the native heap's zmem_block_size and usage(0) report for a request of `size`.
inline std::size_t native_block_size(std::size_t size) {
  int b = bin_of(size);
  if (b >= 0) return kBins[b].size;
  return round_up(size, kPage);  // large and huge alike round to pages
}

inline std::string strprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
inline std::string strprintf(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

/// A pointer as the heap's messages print it (%p).
inline std::string ptr_str(const void* p) { return strprintf("%p", p); }

/// text matches the POSIX extended regex re in full.
inline testing::AssertionResult full_match(const std::string& text, const std::string& re) {
  regex_t compiled;
  if (regcomp(&compiled, ("^(" + re + ")$").c_str(), REG_EXTENDED | REG_NOSUB) != 0)
    return testing::AssertionFailure() << "bad regex /" << re << "/";
  bool ok = regexec(&compiled, text.c_str(), 0, nullptr, 0) == 0;
  regfree(&compiled);
  if (ok) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\"" << text << "\" does not match /" << re << "/";
}

/// What a heap's error handler received.
struct CaughtError {
  zmem_heap* heap;
  int kind;
  std::string message;
};

/// Error handler for tests: records nothing, throws CaughtError (a handler must not return).
/// ctx, when not null, is an int counter incremented per call.
[[noreturn]] inline void throwing_handler(zmem_heap* h, int kind, const char* message, void* ctx) {
  if (ctx != nullptr) ++*static_cast<int*>(ctx);
  throw CaughtError{h, kind, message != nullptr ? message : ""};
}

/// Runs f; returns the heap error it raised through throwing_handler, or nullopt.
template <class F>
std::optional<CaughtError> catch_heap_error(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const CaughtError& e) {
    return e;
  }
  return std::nullopt;
}

inline const char* kind_name(int kind) {
  switch (kind) {
    case ZMEM_ERR_LIMIT: return "LIMIT";
    case ZMEM_ERR_OOM: return "OOM";
    case ZMEM_ERR_OVERFLOW: return "OVERFLOW";
    case ZMEM_ERR_DOUBLE_FREE: return "DOUBLE_FREE";
    case ZMEM_ERR_FOREIGN: return "FOREIGN";
    case ZMEM_ERR_WRONG_THREAD: return "WRONG_THREAD";
    case ZMEM_ERR_CORRUPTION: return "CORRUPTION";
  }
  return "?";
}

// ---- byte patterns: a block filled with fill() is checked with check() ----

inline std::uint8_t pattern_byte(std::uint64_t tag, std::size_t i) {
  std::uint64_t x = (tag ^ (i >> 3)) * 0x9E3779B97F4A7C15ULL;
  return static_cast<std::uint8_t>(x >> ((i & 7) * 8));
}
inline void fill(void* p, std::size_t n, std::uint64_t tag) {
  auto* b = static_cast<std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i) b[i] = pattern_byte(tag, i);
}
/// Index of the first byte in [0, n) that differs from the pattern, or n.
inline std::size_t first_mismatch(const void* p, std::size_t n, std::uint64_t tag) {
  auto* b = static_cast<const std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i)
    if (b[i] != pattern_byte(tag, i)) return i;
  return n;
}
inline bool all_zero(const void* p, std::size_t n) {
  auto* b = static_cast<const std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i)
    if (b[i] != 0) return false;
  return true;
}

inline bool aligned(const void* p, std::size_t a) { return reinterpret_cast<std::uintptr_t>(p) % a == 0; }

/// Keeps the page at `at` taken while it lives (mapping it unless something is there already),
/// so a huge block that ends at `at` cannot grow in place and must move.
class PageTaken {
 public:
  explicit PageTaken(void* at) {
    void* q = mmap(at, kPage, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (q == at) mine_ = q;
    else if (q != MAP_FAILED) munmap(q, kPage);  // a kernel that took the address as a hint
  }
  PageTaken(PageTaken&& other) noexcept : mine_(std::exchange(other.mine_, nullptr)) {}
  PageTaken(const PageTaken&) = delete;
  PageTaken& operator=(const PageTaken&) = delete;
  ~PageTaken() {
    if (mine_ != nullptr) munmap(mine_, kPage);
  }

 private:
  void* mine_ = nullptr;
};

// ---- the process's memory, as the OS reports it ----

/// Minor page faults of the process so far.
inline long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

/// Field `index` of /proc/self/statm in bytes: 0 the address space, 1 the resident memory.
inline std::size_t statm_bytes(int index) {
  unsigned long long fields[2] = {0, 0};
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%llu %llu", &fields[0], &fields[1]) != 2) fields[0] = fields[1] = 0;
    std::fclose(f);
  }
  return fields[index] * kPage;
}

/// The process's peak resident memory so far (ru_maxrss), in bytes.
inline std::size_t peak_resident() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

/// Bytes of [p, p + size) (page-aligned) resident now; 0 if any of it is unmapped.
inline std::size_t resident_in(const void* p, std::size_t size) {
  std::vector<unsigned char> flags(size / kPage);
  if (mincore(const_cast<void*>(p), size, flags.data()) != 0) return 0;
  std::size_t pages = 0;
  for (unsigned char f : flags) pages += f & 1;
  return pages * kPage;
}

/// Whether the page holding p is unmapped.
inline bool unmapped(const void* p) {
  unsigned char resident = 0;
  auto page = reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{kPage - 1};
  return mincore(reinterpret_cast<void*>(page), kPage, &resident) == -1 && errno == ENOMEM;
}

// ---- heap modes ----

inline constexpr zmem_heap_options kNativeOptions{0, 0, 0, 0};
inline constexpr zmem_heap_options kSystemOptions{0, 0, 1, 0};

/// The modes the parameterised suites run against. Debug ({0,1,0}) joins once it exists.
/// Every heap mode: the suites run against the native, debug and system heaps alike.
inline std::vector<zmem_heap_options> heap_modes() {
  zmem_heap_options debug{0, 1, 0, 0};
  return {kNativeOptions, debug, kSystemOptions};
}

inline std::string mode_name(const testing::TestParamInfo<zmem_heap_options>& info) {
  const zmem_heap_options& o = info.param;
  if (o.system) return "system";
  if (o.debug) return "debug" + std::to_string(o.debug);
  return "native";
}

/// A fresh heap of the parameter's mode with throwing_handler installed.
class HeapModeTest : public testing::TestWithParam<zmem_heap_options> {
 protected:
  void SetUp() override {
    zmem_heap_options o = GetParam();
    h = zmem_heap_new(&o);
    ASSERT_NE(h, nullptr);
    zmem_heap_set_error_handler(h, &throwing_handler, nullptr);
  }
  void TearDown() override {
    if (h != nullptr) zmem_heap_destroy(h);
  }
  bool is_native() const { return !GetParam().system && !GetParam().debug; }

  zmem_heap* h = nullptr;
};

/// A fresh native heap ({0,0,0}) with throwing_handler installed.
class NativeHeapTest : public testing::Test {
 protected:
  void SetUp() override {
    h = zmem_heap_new(&kNativeOptions);
    ASSERT_NE(h, nullptr);
    zmem_heap_set_error_handler(h, &throwing_handler, nullptr);
  }
  void TearDown() override {
    if (h != nullptr) zmem_heap_destroy(h);
  }
  zmem_heap_stats stats() const {
    zmem_heap_stats s;
    std::memset(&s, 0, sizeof s);
    zmem_heap_get_stats(h, &s);
    return s;
  }

  zmem_heap* h = nullptr;
};

}  // namespace zmem_test

#define ZMEM_INSTANTIATE_HEAP_MODES(suite) \
  INSTANTIATE_TEST_SUITE_P(Modes, suite, ::testing::ValuesIn(::zmem_test::heap_modes()), ::zmem_test::mode_name)
