// Huge blocks (> 2,093,056 bytes): each its own 2 MiB-aligned mapping, found in
// O(1) through the chunk registry (PHP walks a list).  Freed mappings go to a
// cache and are reused by later huge requests of a fitting size, within a
// request and across resets, so a request that maps and frees big strings does
// not pay mmap, munmap and page faults each time.
// Counterpart: zend_mm_alloc_huge, zend_mm_free_huge, zend_mm_realloc_huge.
// Transparent huge pages: a new mapping is advised MADV_HUGEPAGE as a whole (one VMA, so
// remap_in_place still works and growth inherits the advice), so a block's first write to
// each whole 2 MiB extent faults once instead of 512 times.  Huge blocks are mostly filled
// at once (copies, strings, rehashes), where this cuts the page-fault time that dominates
// them; the price is resident memory for the unwritten rest of the last extent a partly
// filled block touches (at most 2 MiB per block).  Heaps made with small_pages skip it.
// Invariant: every HugeBlock is in exactly one of huge_list (live) and
// huge_cache (not live), and its registry entries point to it.
#include <cstdlib>
#include <cstring>

#include "heap/heap.hpp"
#include "platform/platform.hpp"

namespace zmem::detail {

namespace {

std::uintptr_t entry_for(HugeBlock* b) { return reinterpret_cast<std::uintptr_t>(b) | kHugeTag; }

void push(HugeBlock*& list, HugeBlock* b) {
  b->prev = nullptr;
  b->next = list;
  if (list != nullptr) list->prev = b;
  list = b;
}

void unlink(HugeBlock*& list, HugeBlock* b) {
  if (b->prev != nullptr) b->prev->next = b->next;
  else list = b->next;
  if (b->next != nullptr) b->next->prev = b->prev;
}

void note_huge_peak(NativeHeap* h) {
  std::size_t mapped = h->huge_cache_bytes + h->huge_mapped;
  if (mapped > h->huge_peak_mapped) h->huge_peak_mapped = mapped;
}

void unmap_block(NativeHeap* h, HugeBlock* b) {
  registry_set(b->ptr, b->mapped, 0);
  ZMEM_UNPOISON(b->ptr, b->mapped);
  platform::unmap(b->ptr, b->mapped);
  h->real_size -= b->mapped;
  std::free(b);
}

/// Gives the pages of b's mapping past `keep` (page-aligned) back to the OS, as ZendMM
/// does, so real usage counts exactly what the block uses.  Registry segments wholly past
/// the new end are cleared; the partial last one still names b (lookups compare b->ptr).
void trim_mapping(NativeHeap* h, HugeBlock* b, std::size_t keep) {
  char* tail = static_cast<char*>(b->ptr) + keep;
  std::size_t bytes = b->mapped - keep;
  auto first_whole = (reinterpret_cast<std::uintptr_t>(tail) + kChunkSize - 1) & ~(kChunkSize - 1);
  auto end = reinterpret_cast<std::uintptr_t>(b->ptr) + b->mapped;
  if (first_whole < end) registry_set(reinterpret_cast<void*>(first_whole), end - first_whole, 0);
  ZMEM_UNPOISON(tail, bytes);
  platform::unmap(tail, bytes);
  h->real_size -= bytes;
  if (b->live) h->huge_mapped -= bytes;
  b->mapped = keep;
}

/// Smallest cached mapping that holds `bytes` without wasting more than half of it.
HugeBlock* take_cached(NativeHeap* h, std::size_t bytes) {
  HugeBlock* best = nullptr;
  for (HugeBlock* b = h->huge_cache; b != nullptr; b = b->next) {
    if (b->mapped >= bytes && b->mapped / 2 <= bytes && (best == nullptr || b->mapped < best->mapped)) best = b;
  }
  if (best != nullptr) {
    unlink(h->huge_cache, best);
    h->huge_cache_count--;
    h->huge_cache_bytes -= best->mapped;
  }
  return best;
}

void make_live(NativeHeap* h, HugeBlock* b, std::size_t bytes) {
  b->size = bytes;
  b->live = true;
  push(h->huge_list, b);
  h->huge_count++;
  h->huge_bytes += bytes;
  h->huge_mapped += b->mapped;
  std::size_t new_size = h->size + bytes;
  h->size = new_size;
  if (new_size > h->peak) h->peak = new_size;
  ZMEM_UNPOISON(b->ptr, bytes);
}

std::size_t page_round(NativeHeap* h, std::size_t size) {
  if (size > SIZE_MAX - (kPageSize - 1)) {
    raise_error(h, ZMEM_ERR_OVERFLOW, "Possible integer overflow in memory allocation (%zu + %zu)", size,
                kPageSize - 1);
  }
  return (size + kPageSize - 1) & ~(kPageSize - 1);
}

}  // namespace

void* huge_alloc(NativeHeap* h, std::size_t size) {
  std::size_t bytes = page_round(h, size);
  if (HugeBlock* b = take_cached(h, bytes)) {
    if (b->mapped > bytes) trim_mapping(h, b, bytes);  // real usage: exactly the block, as a fresh map
    make_live(h, b, bytes);
    return b->ptr;
  }
  reserve_real(h, bytes, bytes);
  auto* b = static_cast<HugeBlock*>(std::malloc(sizeof(HugeBlock)));
  void* p = b != nullptr ? platform::map_aligned(bytes, kChunkSize) : nullptr;
  if (p == nullptr && b != nullptr) {
    native_release_caches(h);
    p = platform::map_aligned(bytes, kChunkSize);
  }
  if (p == nullptr) {
    std::free(b);
    raise_oom(h, bytes);
  }
  if (h->huge_pages) platform::advise_huge_pages(p, bytes);
  *b = HugeBlock{h, p, 0, bytes, false, nullptr, nullptr};
  registry_set(p, bytes, entry_for(b));
  h->real_size += bytes;
  if (h->real_size > h->real_peak) h->real_peak = h->real_size;
  make_live(h, b, bytes);
  note_huge_peak(h);
  return p;
}

void huge_free(NativeHeap* h, HugeBlock* b) {
  unlink(h->huge_list, b);
  h->huge_count--;
  h->huge_bytes -= b->size;
  h->huge_mapped -= b->mapped;
  h->size -= b->size;
  b->live = false;
  // The mapping stays (no munmap now, no mmap for the next huge block) but its pages go
  // back to the OS, so a cached mapping costs address space, not resident memory.
  platform::discard(b->ptr, b->mapped);
  ZMEM_POISON(b->ptr, b->mapped);
  push(h->huge_cache, b);
  h->huge_cache_count++;
  h->huge_cache_bytes += b->mapped;
}

void* huge_realloc(NativeHeap* h, HugeBlock* b, std::size_t size) {
  std::size_t bytes = page_round(h, size);
  if (bytes < b->mapped) trim_mapping(h, b, bytes);
  if (bytes <= b->mapped) {
    // Fits the mapping already: shrink (or regrow into the slack) without a syscall.
    std::size_t old = b->size;
    h->huge_bytes = h->huge_bytes - old + bytes;
    h->size = h->size - old + bytes;
    if (h->size > h->peak) h->peak = h->size;
    b->size = bytes;
    if (bytes > old) ZMEM_UNPOISON(static_cast<char*>(b->ptr) + old, bytes - old);
    return b->ptr;
  }
  std::size_t growth = bytes - b->mapped;
  reserve_real(h, growth, bytes);
  if (platform::remap_in_place(b->ptr, b->mapped, bytes)) {
    registry_set(b->ptr, bytes, entry_for(b));
    h->real_size += growth;
    if (h->real_size > h->real_peak) h->real_peak = h->real_size;
    h->huge_mapped += growth;
    std::size_t old = b->size;
    b->mapped = bytes;
    b->size = bytes;
    h->huge_bytes += bytes - old;
    h->size += bytes - old;
    if (h->size > h->peak) h->peak = h->size;
    ZMEM_UNPOISON(static_cast<char*>(b->ptr) + old, bytes - old);
    note_huge_peak(h);
    return b->ptr;
  }
  std::size_t saved_peak = h->peak;
  void* q = huge_alloc(h, size);
  std::memcpy(q, b->ptr, b->size);
  huge_free(h, b);
  h->peak = saved_peak > h->size ? saved_peak : h->size;
  return q;
}

HugeBlock* huge_lookup(const zmem_heap* h, const void* p) {
  std::uintptr_t entry = registry_lookup(reinterpret_cast<std::uintptr_t>(p));
  if ((entry & kHugeTag) == 0) return nullptr;
  auto* b = reinterpret_cast<HugeBlock*>(entry & ~kHugeTag);
  return b->heap == h && b->ptr == p ? b : nullptr;
}

void huge_reset(NativeHeap* h) {
  while (h->huge_list != nullptr) huge_free(h, h->huge_list);
}

std::size_t huge_release_cache(NativeHeap* h, std::size_t keep_bytes) {
  std::size_t released = 0;
  HugeBlock* b = h->huge_cache;
  std::size_t kept = 0;
  while (b != nullptr) {
    HugeBlock* next = b->next;
    if (kept + b->mapped <= keep_bytes) {
      kept += b->mapped;
    } else {
      unlink(h->huge_cache, b);
      h->huge_cache_count--;
      h->huge_cache_bytes -= b->mapped;
      released += b->mapped;
      unmap_block(h, b);
    }
    b = next;
  }
  return released;
}

}  // namespace zmem::detail
