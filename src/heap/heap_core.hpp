// struct zmem_heap: the state every heap mode shares, laid out so the small
// fast path touches only the first fields (free_head .. size_to_bin).
// The mode is chosen once, at creation: a native heap serves the fast path;
// the debug and system heaps keep every bin empty and own no chunk, so every
// call on them falls through to the out-of-line slow path, which dispatches on
// `mode`.  That is how the fast path has no branch on the mode.
// Counterpart: struct _zend_mm_heap.
#pragma once

#include <cstddef>
#include <cstdint>

#include "heap/chunk.hpp"
#include "heap/size_classes.hpp"
#include "zmem/zmem.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ZMEM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ZMEM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ZMEM_POISON(p, n) ((void)(p), (void)(n))
#define ZMEM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ZMEM_LIKELY(x) __builtin_expect(!!(x), 1)
#define ZMEM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ZMEM_INLINE inline __attribute__((always_inline))
#define ZMEM_NOINLINE __attribute__((noinline))

namespace zmem::detail {

enum class HeapMode : std::uint8_t { native = 0, debug = 1, system = 3 };

}  // namespace zmem::detail

struct zmem_heap {
  // Hot: the small fast path reads and writes only these.
  // Per-heap copies of the bin tables: indexed off the heap pointer, they cost no
  // extra base register (and no GOT load in position-independent code).
  void* free_head[zmem::detail::kBinCount];  // LIFO lists; links inside free slots are encoded
  void* list_end;  // what ends every list: an address in the main chunk (so a link to it
                   // validates like any other), or null in heaps without chunks
  std::uint32_t bin_size[zmem::detail::kBinCount];
  std::uintptr_t secret[zmem::detail::kBinCount];  // link = next ^ secret[bin]: a link copied
                                                  // into another bin decodes to junk
  std::size_t size;       // memory_get_usage()
  std::size_t peak;       // memory_get_peak_usage()
  std::uint8_t size_to_bin[zmem::detail::kMaxSmallSize + 1];  // indexed by the size itself
  // Cold.
  std::size_t real_size;  // memory_get_usage(true): chunks and huge mappings, cached ones included
  std::size_t real_peak;
  std::size_t limit;  // 0 = unlimited
  zmem_error_fn error_fn;
  void* error_ctx;
  unsigned id;
  zmem::detail::HeapMode mode;
  int debug_level;
  bool report_on_reset;  // ZMEM_REPORT=1
};

namespace zmem::detail {

/// A huge block (> kMaxLargeSize): its own 2 MiB-aligned mapping, found through the registry.
struct HugeBlock {
  zmem_heap* heap;
  void* ptr;
  std::size_t size;    // usable bytes (page-rounded request); counted in usage
  std::size_t mapped;  // bytes mapped, >= size (growth slack; a cached block's last size); in real usage
  std::size_t huge_span;  // [ptr, ptr + huge_span) is advised MADV_HUGEPAGE; < mapped
  bool small_tail;        // the rest is advised MADV_NOHUGEPAGE (else it has no advice)
  bool live;
  std::size_t kept;       // while cached: bytes of its pages still resident (resident_cache.cpp)
  HugeBlock* prev;
  HugeBlock* next;
};

struct NativeHeap : zmem_heap {
  Chunk* main_chunk;  // head of the circular list of live chunks
  Chunk* cached_chunks;  // singly linked through next; unregistered while cached
  std::size_t chunks_count;
  std::size_t peak_chunks_count;
  std::size_t cached_chunks_count;
  double avg_chunks_count;
  std::uint32_t next_chunk_number;
  HugeBlock* huge_list;   // live huge blocks
  HugeBlock* huge_cache;  // freed huge mappings kept for reuse
  std::size_t huge_count;
  std::size_t huge_bytes;  // live huge usable bytes
  std::size_t huge_mapped;  // live huge mapped bytes
  std::size_t huge_cache_count;
  std::size_t huge_cache_bytes;  // mapped bytes in huge_cache
  std::size_t huge_peak_mapped;  // this request's peak of live + cached huge mappings
  std::size_t huge_budget;       // cache policy: huge bytes kept across resets
  bool huge_pages;               // huge mappings ask for transparent huge pages (see huge_blocks.cpp)
  std::size_t large_bytes;       // live large-run bytes
  std::size_t resident_cached;  // bytes cached chunks and huge blocks kept resident
  std::size_t resident_headroom;  // growth allowed before the next look at resident memory
  std::size_t runs[kBinCount];   // small runs per bin
};

/// Fills the per-heap copies of the bin tables; every bin starts empty.
inline void init_bin_tables(zmem_heap* h) {
  for (unsigned b = 0; b < kBinCount; ++b) {
    h->free_head[b] = h->list_end;
    h->bin_size[b] = kBins[b].size;
  }
  for (std::size_t s = 0; s <= kMaxSmallSize; ++s) h->size_to_bin[s] = static_cast<std::uint8_t>(size_to_bin(s));
}

/// splitmix64 step: fresh free-list keys per request without a syscall.
inline std::uintptr_t refresh_secret(std::uintptr_t s) {
  std::uint64_t z = s + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (z ^ (z >> 31)) | 1;
}

/// The calling thread's current heap, without creating a default one (current_heap.cpp).
zmem_heap* current_heap_if_set() noexcept;

// Errors (heap_errors.cpp). Each calls the heap's handler and never returns.
[[noreturn]] void raise_error(zmem_heap* h, int kind, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
[[noreturn]] void raise_corrupt_link(zmem_heap* h, unsigned bin, const void* slot, std::uintptr_t decoded);
[[noreturn]] void raise_double_free(zmem_heap* h, const void* p, const char* op);
/// A pointer this heap cannot take: names its owner if another heap has it.
[[noreturn]] void raise_foreign(zmem_heap* h, const void* p, const char* op);
[[noreturn]] void raise_limit(zmem_heap* h, std::size_t tried);
[[noreturn]] void raise_oom(zmem_heap* h, std::size_t tried);
[[noreturn]] void raise_overflow(zmem_heap* h, std::size_t n, std::size_t size, std::size_t offset);

}  // namespace zmem::detail
