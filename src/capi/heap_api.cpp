// The C API of zmem.h: thin entry points over the heap layer.  The small
// alloc/free entry points are the inline fast paths themselves; every other
// call, and every call on a debug or system heap, dispatches on the heap's
// mode in an out-of-line function.
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "heap/heap.hpp"
#include "zmem/zend_alloc.h"

using namespace zmem::detail;

namespace zmem::detail {

void* alloc_slow(zmem_heap* h, std::size_t size, const char* file, unsigned line) {
  switch (h->mode) {
    case HeapMode::system: return system_alloc(h, size);
    case HeapMode::debug: return debug_alloc(h, size, file, line);
    default: return native_alloc_slow(static_cast<NativeHeap*>(h), size);
  }
}

void free_slow(zmem_heap* h, void* p, const char* file, unsigned line) {
  switch (h->mode) {
    case HeapMode::system: return system_free(h, p, "free");
    case HeapMode::debug: return debug_free(h, p, file, line);
    default: return native_free_slow(static_cast<NativeHeap*>(h), p, "free");
  }
}

namespace {

std::atomic<unsigned> g_next_heap_id{1};

/// Parses PHP's memory_limit syntax: bytes, or a number with k/m/g (either case); -1 or 0 = unlimited.
std::size_t parse_limit(const char* text) {
  char* end = nullptr;
  long long value = std::strtoll(text, &end, 10);
  if (value <= 0) return 0;
  std::size_t bytes = static_cast<std::size_t>(value);
  switch (end != nullptr ? std::tolower(static_cast<unsigned char>(*end)) : 0) {
    case 'g': bytes <<= 30; break;
    case 'm': bytes <<= 20; break;
    case 'k': bytes <<= 10; break;
    default: break;
  }
  return bytes;
}

std::size_t checked_size(zmem_heap* h, std::size_t n, std::size_t size, std::size_t offset) {
  std::size_t total;
  if (__builtin_mul_overflow(n, size, &total) || __builtin_add_overflow(total, offset, &total)) {
    raise_overflow(h, n, size, offset);
  }
  return total;
}

}  // namespace
}  // namespace zmem::detail

extern "C" {

void zmem_heap_options_from_env(zmem_heap_options* o) {
  *o = zmem_heap_options{0, 0, 0, 0};
  if (const char* limit = std::getenv("ZMEM_LIMIT")) o->limit = parse_limit(limit);
  if (const char* debug = std::getenv("ZMEM_DEBUG")) o->debug = std::atoi(debug);
  if (const char* zend = std::getenv("USE_ZEND_ALLOC")) o->system = std::atoi(zend) == 0;
  if (const char* alloc = std::getenv("ZMEM_ALLOC")) o->system = std::strcmp(alloc, "system") == 0;
  if (const char* huge = std::getenv("ZMEM_HUGE_PAGES")) o->small_pages = std::atoi(huge) == 0;
}

zmem_heap* zmem_heap_new(const zmem_heap_options* o) {
  zmem_heap_options options;
  bool from_env = o == nullptr;
  if (from_env) {
    zmem_heap_options_from_env(&options);
  } else {
    options = *o;
  }
  zmem_heap* h = options.system      ? system_create(options)
                : options.debug > 0 ? debug_create(options)
                                    : native_create(options);
  if (h == nullptr) {
    std::fprintf(stderr, "Fatal error: Out of memory (allocated 0 bytes) (tried to allocate %zu bytes)\n", kChunkSize);
    std::abort();
  }
  h->id = g_next_heap_id.fetch_add(1, std::memory_order_relaxed);
  h->debug_level = options.debug;
  if (h->mode == HeapMode::debug) debug_adopt_id(h);
  if (from_env) {
    const char* report = std::getenv("ZMEM_REPORT");
    h->report_on_reset = report != nullptr && std::atoi(report) != 0;
  }
  return h;
}

void zmem_heap_destroy(zmem_heap* h) {
  if (h == nullptr) return;
  if (h->report_on_reset) zmem_heap_print_report(h, stderr);
  switch (h->mode) {
    case HeapMode::system: system_destroy(h); break;
    case HeapMode::debug: debug_destroy(h); break;
    default: native_destroy(static_cast<NativeHeap*>(h)); break;
  }
}

void* zmem_alloc(zmem_heap* h, size_t size) { return alloc_fast(h, size, nullptr, 0); }
void* zmem_alloc_at(zmem_heap* h, size_t size, const char* file, unsigned line) {
  return alloc_fast(h, size, file, line);
}

void zmem_free(zmem_heap* h, void* p) { free_fast(h, p, nullptr, 0); }
void zmem_free_sized(zmem_heap* h, void* p, size_t) { free_fast(h, p, nullptr, 0); }

namespace {
// The uncommon cases of the *_if_owned calls, out of line so that their callers stay leaf
// functions on the common path.  Debug and system heaps own no chunk.
[[gnu::noinline]] bool owns_off_fast_path(zmem_heap* h, void* p) {
  return h->mode == HeapMode::native ? in_own_chunk(h, p) || huge_lookup(h, p) != nullptr : zmem_owns(h, p) != 0;
}

[[gnu::noinline]] int free_if_owned_slow(zmem_heap* h, void* p) {
  if (!owns_off_fast_path(h, p)) return 0;
  free_slow(h, p, nullptr, 0);
  return 1;
}
}  // namespace

int zmem_free_if_owned(zmem_heap* h, void* p) {
  if (ZMEM_LIKELY(free_small_if_own(h, p))) return 1;
  return free_if_owned_slow(h, p);
}

void* zmem_realloc_if_owned(zmem_heap* h, void* p, size_t size) {
  if (ZMEM_LIKELY(in_own_chunk(h, p)) || p == nullptr || owns_off_fast_path(h, p)) {
    return realloc_fast(h, p, size, nullptr, 0);
  }
  return nullptr;
}
void zmem_free_at(zmem_heap* h, void* p, const char* file, unsigned line) { free_fast(h, p, file, line); }

void* zmem_calloc_at(zmem_heap* h, size_t count, size_t size, const char* file, unsigned line) {
  std::size_t total = checked_size(h, count, size, 0);
  void* p = alloc_fast(h, total, file, line);
  std::memset(p, 0, total);
  return p;
}
void* zmem_calloc(zmem_heap* h, size_t count, size_t size) { return zmem_calloc_at(h, count, size, nullptr, 0); }

void* zmem_realloc_at(zmem_heap* h, void* p, size_t size, const char* file, unsigned line) {
  return realloc_fast(h, p, size, file, line);
}
void* zmem_realloc(zmem_heap* h, void* p, size_t size) { return realloc_fast(h, p, size, nullptr, 0); }

}  // extern "C"

namespace zmem::detail {
void* realloc_slow(zmem_heap* h, void* p, std::size_t size, const char* file, unsigned line) {
  switch (h->mode) {
    case HeapMode::system: return system_realloc(h, p, size);
    case HeapMode::debug: return debug_realloc(h, p, size, file, line);
    default: return native_realloc(static_cast<NativeHeap*>(h), p, size);
  }
}
}  // namespace zmem::detail

extern "C" {

void* zmem_safe_alloc_at(zmem_heap* h, size_t n, size_t size, size_t offset, const char* file, unsigned line) {
  return alloc_fast(h, checked_size(h, n, size, offset), file, line);
}

void* zmem_safe_realloc_at(zmem_heap* h, void* p, size_t n, size_t size, size_t offset, const char* file,
                           unsigned line) {
  return zmem_realloc_at(h, p, checked_size(h, n, size, offset), file, line);
}

char* zmem_strdup_at(zmem_heap* h, const char* s, const char* file, unsigned line) {
  std::size_t length = std::strlen(s);
  auto* p = static_cast<char*>(alloc_fast(h, checked_size(h, 1, length, 1), file, line));
  std::memcpy(p, s, length + 1);
  return p;
}

char* zmem_strndup_at(zmem_heap* h, const char* s, size_t length, const char* file, unsigned line) {
  auto* p = static_cast<char*>(alloc_fast(h, checked_size(h, 1, length, 1), file, line));
  std::memcpy(p, s, length);
  p[length] = '\0';
  return p;
}

size_t zmem_safe_size(size_t n, size_t size, size_t offset) {
  return checked_size(zmem_current_heap(), n, size, offset);
}

size_t zmem_block_size(zmem_heap* h, const void* p) {
  switch (h->mode) {
    case HeapMode::system: return system_block_size(h, p);
    case HeapMode::debug: return debug_block_size(h, p);
    default: return native_block_size(static_cast<NativeHeap*>(h), p);
  }
}

int zmem_owns(const zmem_heap* h, const void* p) {
  switch (h->mode) {
    case HeapMode::system: return system_owns(h, p);
    case HeapMode::debug: return debug_owns(h, p);
    default: return native_owns(static_cast<const NativeHeap*>(h), p);
  }
}

namespace {
void reset_heap(zmem_heap* h, bool silent) {
  if (h->report_on_reset) zmem_heap_print_report(h, stderr);
  switch (h->mode) {
    case HeapMode::system: system_reset(h); break;
    case HeapMode::debug: debug_reset(h, silent); break;
    default: native_reset(static_cast<NativeHeap*>(h)); break;
  }
}
}  // namespace

void zmem_heap_reset(zmem_heap* h) { reset_heap(h, false); }
void zmem_heap_reset_silent(zmem_heap* h) { reset_heap(h, true); }

size_t zmem_heap_trim(zmem_heap* h) {
  switch (h->mode) {
    case HeapMode::system: return 0;
    case HeapMode::debug: return debug_trim(h);
    default: return native_trim(static_cast<NativeHeap*>(h));
  }
}

int zmem_heap_set_limit(zmem_heap* h, size_t limit) {
  if (h->mode == HeapMode::debug) return debug_set_limit(h, limit);
  if (limit != 0 && limit < h->real_size) {
    if (h->mode != HeapMode::system) native_release_caches(static_cast<NativeHeap*>(h));
    if (limit < h->real_size) return -1;
  }
  h->limit = limit;
  return 0;
}

size_t zmem_heap_limit(const zmem_heap* h) { return h->limit; }
size_t zmem_usage(const zmem_heap* h, int real) { return real ? h->real_size : h->size; }
size_t zmem_peak_usage(const zmem_heap* h, int real) { return real ? h->real_peak : h->peak; }

void zmem_reset_peak(zmem_heap* h) {
  h->peak = h->size;
  h->real_peak = h->real_size;
}

unsigned zmem_heap_id(const zmem_heap* h) { return h->id; }
int zmem_heap_mode(const zmem_heap* h) {
  return h->mode == HeapMode::system ? 3 : h->debug_level;
}

void zmem_heap_set_error_handler(zmem_heap* h, zmem_error_fn fn, void* ctx) {
  h->error_fn = fn;
  h->error_ctx = ctx;
}

void zmem_heap_get_stats(zmem_heap* h, zmem_heap_stats* out) {
  switch (h->mode) {
    case HeapMode::system: system_stats(h, out); break;
    case HeapMode::debug: debug_stats(h, out); break;
    default: native_stats(static_cast<NativeHeap*>(h), out); break;
  }
}

void zmem_heap_print_report(zmem_heap* h, void* file) {
  zmem_heap_stats s;
  zmem_heap_get_stats(h, &s);
  std::fprintf(static_cast<FILE*>(file),
               "zmem heap #%u: usage %zu, peak %zu, real %zu, peak real %zu, chunks %zu (+%zu cached), "
               "huge blocks %zu (%zu bytes, +%zu cached), cached pages kept resident %zu bytes\n",
               h->id, s.usage, s.peak, s.real_usage, s.real_peak, s.chunks, s.cached_chunks, s.huge_blocks,
               s.huge_bytes, s.cached_huge_blocks, s.cached_resident);
}

}  // extern "C"
