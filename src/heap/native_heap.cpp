// Native heap lifecycle and slow paths: creating and destroying heaps, filling
// an empty bin with a new run, routing large and huge requests, frees that are
// not small, realloc, block size and ownership.
// Counterpart: zend_mm_init, zend_mm_alloc_small_slow, zend_mm_free_heap,
// zend_mm_realloc_heap, zend_mm_size.
#include <cstdlib>
#include <cstring>
#include <new>

#include "heap/heap.hpp"
#include "platform/platform.hpp"

namespace zmem::detail {

namespace {

/// Carves a new run for `bin`, threads slots 1..n-1 into the free list, returns slot 0.
void* alloc_small_run(NativeHeap* h, unsigned bin) {
  const BinInfo& info = kBins[bin];
  char* run = static_cast<char*>(alloc_pages(h, info.pages, info.pages * kPageSize));
  Chunk* c = chunk_of(run);
  std::size_t first = page_of(run);
  for (std::uint32_t i = 0; i < info.pages; ++i) {
    c->map[first + i] = kSmallRun | bin | (i << kSmallOffsetShift);
  }
  // Link in address order so consecutive allocations walk memory forward.
  char* last = run + (info.slots - 1) * std::size_t{info.size};
  for (char* slot = run + info.size; slot < last; slot += info.size) write_link(h, slot, slot + info.size, bin);
  if (info.slots > 1) write_link(h, last, h->list_end, bin);
  h->free_head[bin] = info.slots > 1 ? run + info.size : h->list_end;
  ZMEM_POISON(run + info.size, (info.slots - 1) * std::size_t{info.size});
  h->runs[bin]++;
  std::size_t new_size = h->size + info.size;
  h->size = new_size;
  if (new_size > h->peak) h->peak = new_size;
  ZMEM_UNPOISON(run, info.size);
  return run;
}

void* alloc_large(NativeHeap* h, std::size_t size) {
  std::size_t pages = pages_for(size);
  char* run = static_cast<char*>(alloc_pages(h, pages, pages * kPageSize));
  Chunk* c = chunk_of(run);
  std::size_t first = page_of(run);
  c->map[first] = kLargeRun | static_cast<std::uint32_t>(pages);
  for (std::size_t i = 1; i < pages; ++i) c->map[first + i] = kLargeCont | static_cast<std::uint32_t>(i);
  std::size_t bytes = pages * kPageSize;
  h->large_bytes += bytes;
  std::size_t new_size = h->size + bytes;
  h->size = new_size;
  if (new_size > h->peak) h->peak = new_size;
  ZMEM_UNPOISON(run, bytes);
  return run;
}

void free_large(NativeHeap* h, Chunk* c, std::size_t page, std::uint32_t info) {
  std::size_t pages = info & kRunPagesMask;
  std::size_t bytes = pages * kPageSize;
  h->size -= bytes;
  h->large_bytes -= bytes;
  free_pages(h, c, page, pages);
}

/// Classifies p for a non-fast operation: a small slot, a large run start, or a huge block.
struct Located {
  Chunk* chunk = nullptr;
  std::size_t page = 0;
  std::uint32_t info = 0;
  HugeBlock* huge = nullptr;
};

Located locate(NativeHeap* h, const void* p, const char* op) {
  std::uintptr_t a = reinterpret_cast<std::uintptr_t>(p);
  std::uintptr_t entry = registry_lookup(a);
  Located where;
  if (entry == reinterpret_cast<std::uintptr_t>(h)) {
    where.chunk = chunk_of(p);
    where.page = page_of(p);
    where.info = where.chunk->map[where.page];
    if (where.info & kSmallRun) return where;
    // Page 0 is the chunk header, marked as a run only so that no allocation takes it.
    if ((where.info & kLargeRun) && (a & (kPageSize - 1)) == 0 && where.page >= kFirstPage) return where;
    raise_foreign(h, p, op);
  }
  if (entry & kHugeTag) {
    HugeBlock* b = reinterpret_cast<HugeBlock*>(entry & ~kHugeTag);
    if (b->heap == h && b->ptr == p) {
      if (!b->live) raise_double_free(h, p, op);
      where.huge = b;
      return where;
    }
  }
  raise_foreign(h, p, op);
}

/// A second free of the block at the head of its bin is caught on the fast path; this
/// catches a small block found anywhere in its bin's free list (walks only on realloc/size).
void check_not_free(NativeHeap* h, const void* p, unsigned bin, const char* op) {
  if (h->free_head[bin] == p) raise_double_free(h, p, op);
}

}  // namespace

NativeHeap* native_create(const zmem_heap_options& options) {
  void* memory = std::calloc(1, sizeof(NativeHeap));
  if (memory == nullptr) return nullptr;
  NativeHeap* h = new (memory) NativeHeap{};
  h->mode = HeapMode::native;
  h->limit = options.limit;
  h->huge_pages = options.small_pages == 0;
  std::uint64_t seed = platform::random_u64();
  for (std::uintptr_t& key : h->secret) key = seed = refresh_secret(seed);
  h->avg_chunks_count = 1.0;
  Chunk* c = static_cast<Chunk*>(platform::map_aligned(kChunkSize, kChunkSize));
  if (c == nullptr) {
    std::free(memory);
    return nullptr;
  }
  h->real_size = h->real_peak = kChunkSize;
  init_chunk(h, c, kFirstPage);
  c->next = c->prev = c;
  h->main_chunk = c;
  h->list_end = c;  // the main chunk's header: owned by this heap for its whole life
  init_bin_tables(h);
  h->chunks_count = h->peak_chunks_count = 1;
  return h;
}

void native_destroy(NativeHeap* h) {
  huge_reset(h);
  huge_release_cache(h, 0);
  native_release_caches(h);
  Chunk* c = h->main_chunk;
  do {
    Chunk* next = c->next;
    registry_set(c, kChunkSize, 0);
    ZMEM_UNPOISON(c, kChunkSize);
    platform::unmap(c, kChunkSize);
    c = next;
  } while (c != h->main_chunk);
  h->~NativeHeap();
  std::free(h);
}

void* native_alloc_slow(NativeHeap* h, std::size_t size) {
  if (size <= kMaxSmallSize) return alloc_small_run(h, size_to_bin(size));
  if (size <= kMaxLargeSize) return alloc_large(h, size);
  return huge_alloc(h, size);
}

void native_free_slow(NativeHeap* h, void* p, const char* op) {
  if (p == nullptr) return;
  Located where = locate(h, p, op);
  if (where.huge != nullptr) {
    huge_free(h, where.huge);
    return;
  }
  // A small block reaching the slow path belongs to another heap's chunk (handled in
  // locate) or is a small block whose fast path was bypassed (free_sized); push it.
  if (where.info & kSmallRun) {
    unsigned bin = where.info & kBinMask;
    check_not_free(h, p, bin, op);
    push_free_slot(h, p, bin);
    return;
  }
  free_large(h, where.chunk, where.page, where.info);
}

std::size_t native_block_size(NativeHeap* h, const void* p) {
  Located where = locate(h, p, "block_size");
  if (where.huge != nullptr) return where.huge->size;
  if (where.info & kSmallRun) {
    check_not_free(h, p, where.info & kBinMask, "block_size");
    return kBinSize[where.info & kBinMask];
  }
  return (where.info & kRunPagesMask) * kPageSize;
}

bool native_owns(const NativeHeap* h, const void* p) {
  std::uintptr_t entry = registry_lookup(reinterpret_cast<std::uintptr_t>(p));
  if (entry == reinterpret_cast<std::uintptr_t>(h)) return true;
  if (entry & kHugeTag) {
    const HugeBlock* b = reinterpret_cast<const HugeBlock*>(entry & ~kHugeTag);
    const char* start = static_cast<const char*>(b->ptr);
    return b->heap == h && b->live && p >= start && p < start + b->size;
  }
  return false;
}

void* realloc_move(zmem_heap* h, void* p, std::size_t old_size, std::size_t size) {
  // Allocate first so an error leaves the old block untouched; the transient double
  // occupancy does not count in the peak (as zend_mm_realloc_slow).
  std::size_t saved_peak = h->peak;
  void* q = alloc_fast(h, size, nullptr, 0);
  std::memcpy(q, p, old_size < size ? old_size : size);
  free_fast(h, p, nullptr, 0);
  h->peak = saved_peak > h->size ? saved_peak : h->size;
  return q;
}

void* native_realloc(NativeHeap* h, void* p, std::size_t size) {
  if (p == nullptr) return alloc_fast(h, size, nullptr, 0);
  Located where = locate(h, p, "realloc");
  std::size_t old_size;
  if (where.huge != nullptr) {
    if (size > kMaxLargeSize) return huge_realloc(h, where.huge, size);
    old_size = where.huge->size;
  } else if (where.info & kSmallRun) {
    unsigned bin = where.info & kBinMask;
    check_not_free(h, p, bin, "realloc");
    old_size = kBinSize[bin];
    // Same bin (not small enough for the bin below): keep the pointer, as ZendMM.
    if (size <= old_size && (bin == 0 || size > kBinSize[bin - 1])) return p;
  } else {
    std::size_t old_pages = where.info & kRunPagesMask;
    old_size = old_pages * kPageSize;
    if (size > kMaxSmallSize && size <= kMaxLargeSize) {
      std::size_t new_pages = pages_for(size);
      if (new_pages == old_pages) return p;
      if (new_pages < old_pages) {
        // Shrink in place: the tail pages go back to the chunk.
        where.chunk->map[where.page] = kLargeRun | static_cast<std::uint32_t>(new_pages);
        std::size_t freed = (old_pages - new_pages) * kPageSize;
        h->size -= freed;
        h->large_bytes -= freed;
        free_pages(h, where.chunk, where.page + new_pages, old_pages - new_pages);
        return p;
      }
      if (grow_pages_in_place(where.chunk, where.page, old_pages, new_pages)) {
        std::size_t added = (new_pages - old_pages) * kPageSize;
        std::size_t new_size = h->size + added;
        h->size = new_size;
        if (new_size > h->peak) h->peak = new_size;
        h->large_bytes += added;
        ZMEM_UNPOISON(static_cast<char*>(p) + old_size, added);
        return p;
      }
    }
  }
  return realloc_move(h, p, old_size, size);
}

}  // namespace zmem::detail
