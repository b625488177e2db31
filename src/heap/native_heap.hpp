// The native heap's fast paths (inline) and its slow paths (out of line).
// Counterpart: zend_mm_alloc_heap / zend_mm_free_heap (small case inlined).
//
// Fast alloc (size <= 3072, free list non-empty), about 20 instructions:
// bin by table, pop the head, decode and validate the next link, bump size/peak.
// Fast free (a small block of this heap), about 15: one registry load to prove
// ownership, one page-map load for the bin, an immediate-double-free compare,
// encode and push.  Everything else goes to alloc_slow / free_slow, which also
// dispatch the debug and system modes (their fast-path state never matches).
#pragma once

#include "heap/chunk_registry.hpp"
#include "heap/heap_core.hpp"

namespace zmem::detail {

/// Fast-path check of a decoded free-list link: null, or an 8-aligned address in a chunk
/// this heap owns.  An overwritten link decodes (through the secret) to a random value,
/// which passes with probability (chunks owned) / 2^26; the bin itself is checked by
/// link_is_exact() wherever lists are walked off the fast path (trim, stats).
ZMEM_INLINE bool link_is_valid(const zmem_heap* h, std::uintptr_t next, unsigned) {
  return (next & 7) == 0 && registry_lookup(next) == reinterpret_cast<std::uintptr_t>(h);
}

/// The fast path's check: the masked registry load.  Lists end at h->list_end, an address
/// in the main chunk, so the end needs no special case and a link decoding to null is
/// caught like any other damage.
ZMEM_INLINE bool link_is_likely_valid(const zmem_heap* h, std::uintptr_t next) {
  return registry_entry_masked(next) == reinterpret_cast<std::uintptr_t>(h);
}

/// Full check: also a slot of a small run of `bin`.
ZMEM_INLINE bool link_is_exact(const zmem_heap* h, std::uintptr_t next, unsigned bin) {
  if (!link_is_valid(h, next, bin)) return false;
  if (next == reinterpret_cast<std::uintptr_t>(h->list_end)) return true;
  std::uint32_t info = chunk_of(reinterpret_cast<void*>(next))->map[page_of(reinterpret_cast<void*>(next))];
  return (info & (kSmallRun | kBinMask)) == (kSmallRun | bin);
}

ZMEM_INLINE std::uintptr_t read_link(const zmem_heap* h, void* slot, std::size_t bin) {
  ZMEM_UNPOISON(slot, sizeof(std::uintptr_t));
  return *static_cast<std::uintptr_t*>(slot) ^ h->secret[bin];
}

ZMEM_INLINE void write_link(const zmem_heap* h, void* slot, void* next, std::size_t bin) {
  *static_cast<std::uintptr_t*>(slot) = reinterpret_cast<std::uintptr_t>(next) ^ h->secret[bin];
}

void* alloc_slow(zmem_heap* h, std::size_t size, const char* file, unsigned line);
void free_slow(zmem_heap* h, void* p, const char* file, unsigned line);

/// Pops a slot of `bin` (the bin of `size`), or takes the slow path for `size`.  Split from
/// alloc_fast for callers that know the bin at compile time (PHP's _emalloc_56 & co.).
ZMEM_INLINE void* alloc_from_bin(zmem_heap* h, std::size_t bin, std::size_t size, const char* file, unsigned line) {
  void* slot = h->free_head[bin];
  if (ZMEM_LIKELY(slot != h->list_end)) {
    std::uintptr_t next = read_link(h, slot, bin);
    if (ZMEM_UNLIKELY(!link_is_likely_valid(h, next))) raise_corrupt_link(h, static_cast<unsigned>(bin), slot, next);
    h->free_head[bin] = reinterpret_cast<void*>(next);
    std::size_t new_size = h->size + h->bin_size[bin];
    h->size = new_size;
    if (new_size > h->peak) h->peak = new_size;
    ZMEM_UNPOISON(slot, h->bin_size[bin]);
    return slot;
  }
  return alloc_slow(h, size, file, line);
}

ZMEM_INLINE void* alloc_fast(zmem_heap* h, std::size_t size, const char* file, unsigned line) {
  if (ZMEM_LIKELY(size <= kMaxSmallSize)) return alloc_from_bin(h, h->size_to_bin[size], size, file, line);
  return alloc_slow(h, size, file, line);
}

/// Pushes the small block p (checked by the caller: a live slot of `bin` in h) on its list.
ZMEM_INLINE void push_free_slot(zmem_heap* h, void* p, std::size_t bin) {
  write_link(h, p, h->free_head[bin], bin);
  h->free_head[bin] = p;
  h->size -= h->bin_size[bin];
  ZMEM_POISON(p, h->bin_size[bin]);
}

/// Whether p lies in a chunk of h (the masked load: see registry_entry_masked).
ZMEM_INLINE bool in_own_chunk(const zmem_heap* h, const void* p) {
  return registry_entry_masked(reinterpret_cast<std::uintptr_t>(p)) == reinterpret_cast<std::uintptr_t>(h);
}

/// The whole small free: pushes p on its bin and returns true if p is a small block in one of
/// h's chunks and not its bin's head; returns false and does nothing otherwise.  Everything
/// it declines (large runs, huge blocks, foreign pointers, the immediate double free) is for
/// free_slow, which tells them apart; keeping those out of here keeps callers leaf functions
/// on their common path.
ZMEM_INLINE bool free_small_if_own(zmem_heap* h, void* p) {
  if (ZMEM_UNLIKELY(!in_own_chunk(h, p))) return false;
  std::uint32_t info = chunk_of(p)->map[page_of(p)];
  if (ZMEM_UNLIKELY(!(info & kSmallRun))) return false;
  std::size_t bin = info & kBinMask;
  if (ZMEM_UNLIKELY(p == h->free_head[bin])) return false;
  push_free_slot(h, p, bin);
  return true;
}

ZMEM_INLINE void free_fast(zmem_heap* h, void* p, const char* file, unsigned line) {
  if (ZMEM_LIKELY(free_small_if_own(h, p))) return;
  free_slow(h, p, file, line);
}

void* realloc_slow(zmem_heap* h, void* p, std::size_t size, const char* file, unsigned line);

void* huge_realloc(NativeHeap* h, HugeBlock* b, std::size_t size);
/// The move of a block of h (old_size usable bytes) to a new one of `size`: allocate first,
/// copy, free.
void* realloc_move(zmem_heap* h, void* p, std::size_t old_size, std::size_t size);

/// realloc without the generic slow path for the common cases: a small block staying in its
/// bin or moving to another size, a large run keeping its page count, a huge block of this
/// heap (straight to huge_realloc).  Everything else, and every call on a debug or system
/// heap (whose registry entries never name the heap itself), goes to realloc_slow.
ZMEM_INLINE void* realloc_fast(zmem_heap* h, void* p, std::size_t size, const char* file, unsigned line) {
  std::uintptr_t entry = registry_entry_masked(reinterpret_cast<std::uintptr_t>(p));
  if (ZMEM_LIKELY(entry == reinterpret_cast<std::uintptr_t>(h))) {
    std::uint32_t info = chunk_of(p)->map[page_of(p)];
    if (info & kSmallRun) {
      unsigned bin = info & kBinMask;
      if (ZMEM_UNLIKELY(p == h->free_head[bin])) return realloc_slow(h, p, size, file, line);  // reports it
      if (size <= h->bin_size[bin] && (bin == 0 || size > h->bin_size[bin - 1])) return p;
      return realloc_move(h, p, h->bin_size[bin], size);
    }
    if ((info & kLargeRun) && (reinterpret_cast<std::uintptr_t>(p) & (kPageSize - 1)) == 0 &&
        size > kMaxSmallSize && pages_for(size) == (info & kRunPagesMask)) {
      return p;
    }
  } else if (entry & kHugeTag) {
    auto* b = reinterpret_cast<HugeBlock*>(entry & ~kHugeTag);
    if (b->heap == h && b->ptr == p && b->live && size > kMaxLargeSize) {
      return huge_realloc(static_cast<NativeHeap*>(h), b, size);
    }
  }
  return realloc_slow(h, p, size, file, line);
}

// Native slow paths (native_heap.cpp, large_runs.cpp, huge_blocks.cpp, reset_trim.cpp).
NativeHeap* native_create(const zmem_heap_options& options);
void native_destroy(NativeHeap* h);
void* native_alloc_slow(NativeHeap* h, std::size_t size);
void native_free_slow(NativeHeap* h, void* p, const char* op);
void* native_realloc(NativeHeap* h, void* p, std::size_t size);
std::size_t native_block_size(NativeHeap* h, const void* p);
bool native_owns(const NativeHeap* h, const void* p);
void native_reset(NativeHeap* h);
std::size_t native_trim(NativeHeap* h);
/// Frees cached chunks and huge mappings, and live huge blocks' growth slack; returns the
/// bytes unmapped.
std::size_t native_release_caches(NativeHeap* h);
void native_stats(NativeHeap* h, zmem_heap_stats* out);

// Page runs inside chunks (large_runs.cpp).
void* alloc_pages(NativeHeap* h, std::size_t pages, std::size_t tried);
void free_pages(NativeHeap* h, Chunk* c, std::size_t first, std::size_t pages);
/// Grows the run at `first` from `old_pages` to `new_pages` if the pages after it are free.
bool grow_pages_in_place(Chunk* c, std::size_t first, std::size_t old_pages, std::size_t new_pages);
/// Makes c an empty chunk of h; pages below `touched_end` count as possibly written.
void init_chunk(NativeHeap* h, Chunk* c, std::size_t touched_end);
void delete_chunk(NativeHeap* h, Chunk* c);
/// Makes sure `bytes` more of real usage fit the limit (dropping caches first), else raises.
void reserve_real(NativeHeap* h, std::size_t bytes, std::size_t tried);

// Resident caches (resident_cache.cpp).
/// Before `bytes` of new memory are touched (a chunk, a huge block, growth of one): gives back
/// cached pages while they would lift the process's resident memory past its peak.
void make_resident_room(NativeHeap* h, std::size_t bytes);
/// A chunk or huge block entering the cache keeps its pages (`kept` counts them); leaving it
/// for reuse it asks room for what it may touch beyond them; unmapped, it is forgotten.
void keep_chunk_pages(NativeHeap* h, Chunk* c);
/// Returns the bytes the chunk kept.
std::size_t reuse_chunk_pages(NativeHeap* h, Chunk* c);
void forget_chunk_pages(NativeHeap* h, Chunk* c);
void keep_huge_pages(NativeHeap* h, HugeBlock* b);
void reuse_huge_pages(NativeHeap* h, HugeBlock* b, std::size_t bytes);
void forget_huge_pages(NativeHeap* h, HugeBlock* b);

// Huge blocks (huge_blocks.cpp).
void* huge_alloc(NativeHeap* h, std::size_t size);
void huge_free(NativeHeap* h, HugeBlock* b);
HugeBlock* huge_lookup(const zmem_heap* h, const void* p);
void huge_reset(NativeHeap* h);
std::size_t huge_release_cache(NativeHeap* h, std::size_t keep_bytes);
/// Unmaps the growth slack of every live huge block; returns the bytes unmapped.
std::size_t huge_release_slack(NativeHeap* h);

}  // namespace zmem::detail
