// Page runs inside chunks: best-fit search of the free-page bitmaps, freeing
// runs, growing a run in place, and adding/removing chunks (with the chunk
// cache and the limit check on new OS memory).
// Counterpart: zend_mm_alloc_pages, zend_mm_free_pages, zend_mm_delete_chunk.
// Invariant: real_size == (chunks_count + cached_chunks_count) * kChunkSize
//                         + live and cached huge mappings.
#include <cstring>

#include "heap/heap.hpp"
#include "platform/platform.hpp"

namespace zmem::detail {

namespace {

bool page_is_used(const Chunk* c, std::size_t page) { return (c->free_map[page / 64] >> (page % 64)) & 1; }

void mark_pages(Chunk* c, std::size_t first, std::size_t count, bool used) {
  for (std::size_t page = first; page < first + count;) {
    std::size_t bit = page % 64;
    std::size_t n = std::min<std::size_t>(64 - bit, first + count - page);
    std::uint64_t mask = (n == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1)) << bit;
    if (used) {
      c->free_map[page / 64] |= mask;
    } else {
      c->free_map[page / 64] &= ~mask;
    }
    page += n;
  }
}

/// First free page at or after `from`, or kPagesPerChunk.
std::size_t next_free(const Chunk* c, std::size_t from) {
  while (from < kPagesPerChunk) {
    std::uint64_t free_bits = ~c->free_map[from / 64] >> (from % 64);
    if (free_bits != 0) return std::min(kPagesPerChunk, from + __builtin_ctzll(free_bits));
    from = (from / 64 + 1) * 64;
  }
  return kPagesPerChunk;
}

/// First used page at or after `from`, or kPagesPerChunk.
std::size_t next_used(const Chunk* c, std::size_t from) {
  while (from < kPagesPerChunk) {
    std::uint64_t used_bits = c->free_map[from / 64] >> (from % 64);
    if (used_bits != 0) return std::min(kPagesPerChunk, from + __builtin_ctzll(used_bits));
    from = (from / 64 + 1) * 64;
  }
  return kPagesPerChunk;
}

/// Best fit: an exact hole wins at once, else the smallest hole that fits.  kPagesPerChunk if none.
std::size_t best_fit(const Chunk* c, std::size_t pages) {
  std::size_t best = kPagesPerChunk;
  std::size_t best_len = kPagesPerChunk + 1;
  for (std::size_t start = next_free(c, kFirstPage); start < kPagesPerChunk;) {
    std::size_t end = next_used(c, start);
    std::size_t len = end - start;
    if (len == pages) return start;
    if (len > pages && len < best_len) {
      best = start;
      best_len = len;
    }
    start = next_free(c, end);
  }
  return best;
}

/// Unlinks a cached chunk, one that kept pages if there is one (they need no fault), or nullptr.
Chunk* take_cached_chunk(NativeHeap* h) {
  Chunk** link = &h->cached_chunks;
  while (*link != nullptr && (*link)->kept == 0) link = &(*link)->next;
  if (*link == nullptr) link = &h->cached_chunks;  // none kept pages: the first, if any
  Chunk* c = *link;
  if (c != nullptr) {
    *link = c->next;
    h->cached_chunks_count--;
  }
  return c;
}

Chunk* add_chunk(NativeHeap* h, std::size_t tried) {
  Chunk* c = take_cached_chunk(h);
  std::size_t kept = 0;
  if (c != nullptr) {
    // A cached chunk is already counted in real_size: reuse needs no limit check.
    kept = reuse_chunk_pages(h, c);
  } else {
    reserve_real(h, kChunkSize, tried);
    c = static_cast<Chunk*>(platform::map_aligned(kChunkSize, kChunkSize));
    if (c == nullptr) {
      native_release_caches(h);
      c = static_cast<Chunk*>(platform::map_aligned(kChunkSize, kChunkSize));
      if (c == nullptr) raise_oom(h, tried);
    }
    make_resident_room(h, kChunkSize);  // mapped, not yet touched
    h->real_size += kChunkSize;
    if (h->real_size > h->real_peak) h->real_peak = h->real_size;
  }
  // Kept pages stand for its lowest ones (runs are placed lowest first): the rest count as
  // never written (resident_cache.cpp).
  init_chunk(h, c, kFirstPage + kept / kPageSize);
  // Insert right after the main chunk: fresh chunks are the likeliest to have room.
  Chunk* head = h->main_chunk;
  c->prev = head;
  c->next = head->next;
  head->next->prev = c;
  head->next = c;
  h->chunks_count++;
  if (h->chunks_count > h->peak_chunks_count) h->peak_chunks_count = h->chunks_count;
  return c;
}

}  // namespace

void init_chunk(NativeHeap* h, Chunk* c, std::size_t touched_end) {
  ZMEM_UNPOISON(c, kPageSize);
  c->heap = h;
  c->free_pages = kPagesPerChunk - kFirstPage;
  c->number = h->next_chunk_number++;
  std::memset(c->free_map, 0, sizeof c->free_map);
  std::memset(c->map, 0, sizeof c->map);
  c->free_map[0] = 1;  // the header page
  c->touched_end = static_cast<std::uint32_t>(touched_end);
  c->map[0] = kLargeRun | kFirstPage;
  ZMEM_POISON(page_address(c, kFirstPage), kChunkPagesBytes);
  registry_set(c, kChunkSize, reinterpret_cast<std::uintptr_t>(static_cast<zmem_heap*>(h)));
}

void reserve_real(NativeHeap* h, std::size_t bytes, std::size_t tried) {
  // Written so that no sum can overflow, whatever `bytes` is.
  auto fits = [&] { return h->real_size <= h->limit && bytes <= h->limit - h->real_size; };
  if (h->limit == 0 || fits()) return;
  native_release_caches(h);
  if (!fits()) raise_limit(h, tried);
}

void* alloc_pages(NativeHeap* h, std::size_t pages, std::size_t tried) {
  Chunk* c = h->main_chunk;
  std::size_t page = kPagesPerChunk;
  do {
    if (c->free_pages >= pages) {
      page = best_fit(c, pages);
      if (page != kPagesPerChunk) break;
    }
    c = c->next;
  } while (c != h->main_chunk);
  if (page == kPagesPerChunk) {
    c = add_chunk(h, tried);
    page = kFirstPage;
  }
  mark_pages(c, page, pages, true);
  c->touched_end = std::max(c->touched_end, static_cast<std::uint32_t>(page + pages));
  c->free_pages -= static_cast<std::uint32_t>(pages);
  ZMEM_UNPOISON(page_address(c, page), pages * kPageSize);
  return page_address(c, page);
}

void free_pages(NativeHeap* h, Chunk* c, std::size_t first, std::size_t pages) {
  mark_pages(c, first, pages, false);
  std::memset(&c->map[first], 0, pages * sizeof c->map[0]);
  c->free_pages += static_cast<std::uint32_t>(pages);
  ZMEM_POISON(page_address(c, first), pages * kPageSize);
  if (c->free_pages == kPagesPerChunk - kFirstPage && c != h->main_chunk) delete_chunk(h, c);
}

bool grow_pages_in_place(Chunk* c, std::size_t first, std::size_t old_pages, std::size_t new_pages) {
  std::size_t end = first + new_pages;
  if (end > kPagesPerChunk) return false;
  for (std::size_t page = first + old_pages; page < end; ++page) {
    if (page_is_used(c, page)) return false;
  }
  mark_pages(c, first + old_pages, new_pages - old_pages, true);
  c->touched_end = std::max(c->touched_end, static_cast<std::uint32_t>(end));
  c->free_pages -= static_cast<std::uint32_t>(new_pages - old_pages);
  c->map[first] = kLargeRun | static_cast<std::uint32_t>(new_pages);
  for (std::size_t i = old_pages; i < new_pages; ++i) c->map[first + i] = kLargeCont | static_cast<std::uint32_t>(i);
  return true;
}

void delete_chunk(NativeHeap* h, Chunk* c) {
  c->prev->next = c->next;
  c->next->prev = c->prev;
  h->chunks_count--;
  // Keep it: an empty chunk mid-request is likely needed again before the reset,
  // which decides how many cached chunks survive (reset_trim.cpp).
  registry_set(c, kChunkSize, 0);
  // Its pages stay until growth elsewhere would raise the peak (resident_cache.cpp).
  keep_chunk_pages(h, c);
  c->next = h->cached_chunks;
  h->cached_chunks = c;
  h->cached_chunks_count++;
}

}  // namespace zmem::detail
