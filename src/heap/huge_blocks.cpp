// Huge blocks (> 2,093,056 bytes): each its own 2 MiB-aligned mapping, found in
// O(1) through the chunk registry (PHP walks a list).  Freed mappings go to a
// cache and are reused by later huge requests of a fitting size, within a
// request and across resets, so a request that maps and frees big strings does
// not pay mmap, munmap and page faults each time.
// Counterpart: zend_mm_alloc_huge, zend_mm_free_huge, zend_mm_realloc_huge.
// Growth extends the mapping when the range after it is free; otherwise the block's pages
// move (mremap) to a new mapping: never copied, never resident twice (ZendMM copies).
// A block growing in small steps (a string extended by .= or smart_str, a page at a time)
// is mapped an eighth beyond what it asks, so it remaps once per eighth of its size instead
// of once per page (ZendMM: once per page).  The slack is counted in real usage, taken only
// where it fits the limit, given back by any shrink, and given back under pressure (limit,
// out of memory, trim) before an error is raised.
// Transparent huge pages: the whole 2 MiB extents in the first half of a block are advised
// MADV_HUGEPAGE, so the first write to each faults once instead of 512 times.  The first half
// because that much of a block is written: a container grown by doubling holds between half
// and all of its capacity (PHP's hash arrays more, their hash part being full), and strings
// and copies are sized to their contents.  Advice past it would make up to 2 MiB resident per
// block that may never be written.  The advised prefix and the rest are two VMAs; growth in
// place and moves take each whole (mremap needs one VMA), and keep the VMAs' page offsets
// continuous so the kernel merges them again after each re-advice.  Heaps made with
// small_pages never advise: their blocks are one VMA.
// A freed block's pages stay while cached, within the bound resident_cache.cpp keeps.
// Invariant: every HugeBlock is in exactly one of huge_list (live) and
// huge_cache (not live), and its registry entries point to it; a live block's slack
// [size, mapped) is poisoned for ASan and unwritten.
#include <cstdio>
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

/// The advised prefix of a `bytes`-long block: the whole 2 MiB extents in its first half.
std::size_t huge_span_for(std::size_t bytes) { return (bytes / 2) & ~(kChunkSize - 1); }

/// Brings b's advice in line with its mapping after it is made, grown, moved, trimmed or
/// reused at another size.  Keeps the layout two VMAs at most (the advised prefix, a uniform
/// tail) so a move can carry each whole; a grown tail keeps its own advice, being the same
/// VMA extended.
void advise_extents(NativeHeap* h, HugeBlock* b) {
  if (!h->huge_pages) return;
  char* base = static_cast<char*>(b->ptr);
  std::size_t want = huge_span_for(b->mapped);
  if (want > b->huge_span) platform::advise_huge_pages(base + b->huge_span, want - b->huge_span);
  if (want < b->huge_span) {
    platform::advise_small_pages(base + want, b->mapped - want);
    b->small_tail = true;
  }
  b->huge_span = want;
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
  if (b->huge_span > keep) b->huge_span = keep;  // advice past the end went with the pages
  advise_extents(h, b);
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

/// A fresh 2 MiB-aligned mapping of `bytes`; when the OS refuses, the caches are given back
/// and it tries once more before raising the out-of-memory error.
void* map_fresh(NativeHeap* h, std::size_t bytes) {
  void* p = platform::map_aligned(bytes, kChunkSize);
  if (p == nullptr) {
    native_release_caches(h);
    p = platform::map_aligned(bytes, kChunkSize);
  }
  if (p == nullptr) raise_oom(h, bytes);
  return p;
}

/// The range after b is taken: b moves to a fresh mapping of `bytes` (or only `at_least`
/// if the OS refuses that many: growth slack is not worth an error), its pages travelling
/// with mremap, so nothing is copied, faulted again or resident twice (ZendMM copies), and
/// each VMA keeps its advice.  The tail goes first, growing to the new size on the way: if
/// the kernel refuses it, nothing has moved and the block is copied instead.  Returns the
/// bytes mapped.  A release of caches on the way may trim b's own slack: b->mapped is read
/// after every mapping call.
std::size_t move_block(NativeHeap* h, HugeBlock* b, std::size_t bytes, std::size_t at_least) {
  auto* to = static_cast<char*>(bytes > at_least ? platform::map_aligned(bytes, kChunkSize) : nullptr);
  if (to == nullptr) {
    bytes = at_least;
    to = static_cast<char*>(map_fresh(h, bytes));
  }
  auto* from = static_cast<char*>(b->ptr);
  std::size_t prefix = b->huge_span;
  ZMEM_UNPOISON(from, b->mapped);
  ZMEM_UNPOISON(to, bytes);
  if (!platform::move_pages(from + prefix, b->mapped - prefix, to + prefix, bytes - prefix)) {
    // The refused move may have unmapped part of the destination: copy into a new one.
    platform::unmap(to, bytes);
    to = static_cast<char*>(map_fresh(h, bytes));  // may raise: b is still whole
    std::memcpy(to, from, b->size);  // the slack past it was never written
    platform::unmap(from, b->mapped);
    b->huge_span = 0;  // a fresh mapping has no advice yet
    b->small_tail = false;
  } else if (prefix != 0 && !platform::move_pages(from, prefix, to, prefix)) {
    // The prefix is one VMA, so only resource exhaustion gets here.  Copy it if its place is
    // (or can be) mapped again; otherwise the block is split between two places for good.
    if (!platform::is_mapped(to, prefix) && !platform::map_at(to, prefix)) {
      std::fprintf(stderr, "Fatal error: zmem could not move a huge block of %zu bytes at %p\n", b->mapped,
                   static_cast<void*>(from));
      std::abort();
    }
    std::memcpy(to, from, prefix);
    platform::unmap(from, prefix);
  }
  registry_set(from, b->mapped, 0);
  b->ptr = to;
  return bytes;
}

std::size_t page_round(NativeHeap* h, std::size_t size) {
  if (size > SIZE_MAX - (kPageSize - 1)) {
    raise_error(h, ZMEM_ERR_OVERFLOW, "Possible integer overflow in memory allocation (%zu + %zu)", size,
                kPageSize - 1);
  }
  return (size + kPageSize - 1) & ~(kPageSize - 1);
}

/// The mapping for growing b to `bytes` (> b->mapped): an eighth of b's mapping more when
/// the step is no bigger than that, if it fits the limit as it stands.  A block growing by
/// more (a container doubling) gets exactly `bytes`: its next step would not fit the slack,
/// and its advice (the first half of the mapping) stays within what it has written.
std::size_t mapping_for_growth(const NativeHeap* h, const HugeBlock* b, std::size_t bytes) {
  std::size_t slack = (b->mapped / 8) & ~(kPageSize - 1);
  if (bytes - b->mapped > slack || slack > SIZE_MAX - bytes) return bytes;
  std::size_t growth = bytes + slack - b->mapped;
  if (h->limit != 0 && (h->real_size > h->limit || growth > h->limit - h->real_size)) return bytes;
  return bytes + slack;
}

}  // namespace

void* huge_alloc(NativeHeap* h, std::size_t size) {
  std::size_t bytes = page_round(h, size);
  if (HugeBlock* b = take_cached(h, bytes)) {
    reuse_huge_pages(h, b, bytes);
    if (b->mapped > bytes) trim_mapping(h, b, bytes);  // real usage: exactly the block, as a fresh map
    make_live(h, b, bytes);
    return b->ptr;
  }
  reserve_real(h, bytes, bytes);
  void* p = map_fresh(h, bytes);
  make_resident_room(h, bytes);
  auto* b = static_cast<HugeBlock*>(std::malloc(sizeof(HugeBlock)));
  if (b == nullptr) {
    platform::unmap(p, bytes);
    raise_oom(h, bytes);
  }
  *b = HugeBlock{h, p, 0, bytes, 0, false, false, 0, nullptr, nullptr};
  advise_extents(h, b);
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
  // The mapping stays (no munmap now, no mmap for the next huge block), and its pages stay
  // until growth elsewhere would raise the peak (resident_cache.cpp).
  keep_huge_pages(h, b);
  ZMEM_POISON(b->ptr, b->mapped);
  push(h->huge_cache, b);
  h->huge_cache_count++;
  h->huge_cache_bytes += b->mapped;
}

void* huge_realloc(NativeHeap* h, HugeBlock* b, std::size_t size) {
  std::size_t bytes = page_round(h, size);
  if (bytes < b->size) {
    trim_mapping(h, b, bytes);  // a shrink gives back the slack too
  }
  if (bytes <= b->mapped) {
    // Fits the mapping already: shrink, or grow into the slack, without a syscall.
    if (bytes > b->size) make_resident_room(h, bytes - b->size);
    std::size_t old = b->size;
    h->huge_bytes = h->huge_bytes - old + bytes;
    h->size = h->size - old + bytes;
    if (h->size > h->peak) h->peak = h->size;
    b->size = bytes;
    if (bytes > old) ZMEM_UNPOISON(static_cast<char*>(b->ptr) + old, bytes - old);
    return b->ptr;
  }
  // Under pressure this gives back caches and slack before it raises; if that took b's own
  // slack, b needs that much more, so it is checked again.
  std::size_t had = b->mapped;
  reserve_real(h, bytes - b->mapped, bytes);
  if (b->mapped != had) reserve_real(h, bytes - b->mapped, bytes);
  std::size_t mapped = mapping_for_growth(h, b, bytes);
  // Room is made before the remap: asked after it, zmem-php's sorting benchmark peaked
  // 1.5 MiB higher (measured).  A failing remap may thus give back cached pages for nothing.
  make_resident_room(h, bytes - b->size);
  // The tail VMA grows where it is (no new VMA beside it), so the layout stays two VMAs.
  char* tail = static_cast<char*>(b->ptr) + b->huge_span;
  if (!platform::remap_in_place(tail, b->mapped - b->huge_span, mapped - b->huge_span)) {
    mapped = move_block(h, b, mapped, bytes);
  }
  std::size_t growth = mapped - b->mapped;  // b->mapped only now: a move may have trimmed it
  registry_set(b->ptr, mapped, entry_for(b));
  h->real_size += growth;
  if (h->real_size > h->real_peak) h->real_peak = h->real_size;
  h->huge_mapped += growth;
  std::size_t old = b->size;
  b->mapped = mapped;
  b->size = bytes;
  advise_extents(h, b);
  h->huge_bytes += bytes - old;
  h->size += bytes - old;
  if (h->size > h->peak) h->peak = h->size;
  ZMEM_UNPOISON(static_cast<char*>(b->ptr) + old, bytes - old);
  ZMEM_POISON(static_cast<char*>(b->ptr) + bytes, mapped - bytes);
  note_huge_peak(h);
  return b->ptr;
}

std::size_t huge_release_slack(NativeHeap* h) {
  std::size_t released = 0;
  for (HugeBlock* b = h->huge_list; b != nullptr; b = b->next) {
    if (b->mapped == b->size) continue;
    released += b->mapped - b->size;
    trim_mapping(h, b, b->size);
  }
  return released;
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
      forget_huge_pages(h, b);
      unmap_block(h, b);
    }
    b = next;
  }
  return released;
}

}  // namespace zmem::detail
