// Request end (reset), giving memory back (trim), and dropping the caches.
// Counterpart: zend_mm_shutdown(heap, 0, 1) and zend_mm_gc.
//
// Cache policy at reset: the heap keeps ceil((previous average + this
// request's peak chunk count) / 2) chunks (PHP keeps a similar running
// average), and keeps freed huge mappings up to max(this request's peak of
// huge mappings, half the previous budget).  A steady workload thus maps
// nothing after its first request, while one oversized request is forgotten
// geometrically.  Everything cached counts in real usage (as PHP counts cached
// chunks) and is released before a limit or out-of-memory error and by trim().
// Cached memory stays resident within the bound of resident_cache.cpp, across resets too.
// Reset costs O(chunks + huge blocks), never O(blocks).
#include <cmath>
#include <cstring>

#include "heap/heap.hpp"
#include "platform/platform.hpp"

namespace zmem::detail {

namespace {

std::size_t release_cached_chunks(NativeHeap* h, std::size_t keep) {
  std::size_t released = 0;
  while (h->cached_chunks_count > keep) {
    Chunk* c = h->cached_chunks;
    h->cached_chunks = c->next;
    h->cached_chunks_count--;
    forget_chunk_pages(h, c);
    ZMEM_UNPOISON(c, kChunkSize);
    platform::unmap(c, kChunkSize);
    h->real_size -= kChunkSize;
    released += kChunkSize;
  }
  return released;
}

std::uint32_t& run_head_info(Chunk* c, std::size_t page) {
  std::uint32_t info = c->map[page];
  return c->map[page - ((info >> kSmallOffsetShift) & kSmallOffsetMask)];
}

}  // namespace

std::size_t native_release_caches(NativeHeap* h) {
  return release_cached_chunks(h, 0) + huge_release_cache(h, 0) + huge_release_slack(h);
}

void native_reset(NativeHeap* h) {
  huge_reset(h);
  std::size_t budget = std::max(h->huge_peak_mapped, h->huge_budget / 2);
  h->huge_budget = budget;
  huge_release_cache(h, budget);
  h->huge_peak_mapped = h->huge_cache_bytes;

  Chunk* main = h->main_chunk;
  Chunk* c = main->next;
  main->next = main->prev = main;  // the live ring is the main chunk alone from here
  while (c != main) {
    Chunk* next = c->next;
    registry_set(c, kChunkSize, 0);
    keep_chunk_pages(h, c);
    c->next = h->cached_chunks;
    h->cached_chunks = c;
    h->cached_chunks_count++;
    c = next;
  }
  h->avg_chunks_count = std::ceil((h->avg_chunks_count + static_cast<double>(h->peak_chunks_count)) / 2.0);
  std::size_t keep_total = static_cast<std::size_t>(h->avg_chunks_count);
  release_cached_chunks(h, keep_total > 1 ? keep_total - 1 : 0);
  for (Chunk* cached = h->cached_chunks; cached != nullptr; cached = cached->next) {
    ZMEM_POISON(page_address(cached, kFirstPage), kChunkPagesBytes);
  }
  init_chunk(h, main, main->touched_end);  // its pages stay resident
  h->resident_headroom = 0;  // room found in the last request is not trusted in the next

  for (void*& head : h->free_head) head = h->list_end;
  std::memset(h->runs, 0, sizeof h->runs);
  for (std::uintptr_t& key : h->secret) key = refresh_secret(key);
  h->size = h->peak = 0;
  h->large_bytes = 0;
  h->chunks_count = h->peak_chunks_count = 1;
  h->real_size = (1 + h->cached_chunks_count) * kChunkSize + h->huge_cache_bytes;
  h->real_peak = h->real_size;
}

std::size_t native_trim(NativeHeap* h) {
  std::size_t before = h->real_size;
  // Pass 1: count the free slots of every run in its first page's map entry.
  for (unsigned bin = 0; bin < kBinCount; ++bin) {
    for (void* slot = h->free_head[bin]; slot != h->list_end;) {
      std::uintptr_t next = read_link(h, slot, bin);
      if (!link_is_exact(h, next, bin)) raise_corrupt_link(h, bin, slot, next);
      std::uint32_t& head = run_head_info(chunk_of(slot), page_of(slot));
      head += 1u << kSmallCountShift;
      ZMEM_POISON(slot, sizeof(std::uintptr_t));
      slot = reinterpret_cast<void*>(next);
    }
  }
  // Pass 2: unlink the slots of entirely free runs, keeping the others' order.
  for (unsigned bin = 0; bin < kBinCount; ++bin) {
    void** tail = &h->free_head[bin];
    void* kept_tail = nullptr;
    for (void* slot = h->free_head[bin]; slot != h->list_end;) {
      void* next = reinterpret_cast<void*>(read_link(h, slot, bin));
      ZMEM_POISON(slot, sizeof(std::uintptr_t));
      std::uint32_t head = run_head_info(chunk_of(slot), page_of(slot));
      if (((head >> kSmallCountShift) & kSmallCountMask) != kBins[bin].slots) {
        if (kept_tail == nullptr) {
          *tail = slot;
        } else {
          ZMEM_UNPOISON(kept_tail, sizeof(std::uintptr_t));
          write_link(h, kept_tail, slot, bin);
          ZMEM_POISON(kept_tail, sizeof(std::uintptr_t));
        }
        kept_tail = slot;
      }
      slot = next;
    }
    if (kept_tail == nullptr) {
      *tail = h->list_end;
    } else {
      ZMEM_UNPOISON(kept_tail, sizeof(std::uintptr_t));
      write_link(h, kept_tail, h->list_end, bin);
      ZMEM_POISON(kept_tail, sizeof(std::uintptr_t));
    }
  }
  // Pass 3: free the runs that were entirely free; clear the counters of the others.
  Chunk* c = h->main_chunk;
  bool more = true;
  while (more) {
    Chunk* next = c->next;
    more = next != h->main_chunk;
    for (std::size_t page = kFirstPage; page < kPagesPerChunk; ++page) {
      std::uint32_t info = c->map[page];
      if (!(info & kSmallRun) || ((info >> kSmallOffsetShift) & kSmallOffsetMask) != 0) continue;
      unsigned bin = info & kBinMask;
      if (((info >> kSmallCountShift) & kSmallCountMask) == kBins[bin].slots) {
        h->runs[bin]--;
        free_pages(h, c, page, kBins[bin].pages);
        // An emptied chunk has moved to the cache: nothing left to scan in it.
        if (c != h->main_chunk && c->free_pages == kPagesPerChunk - kFirstPage) break;
      } else {
        c->map[page] = info & ~(kSmallCountMask << kSmallCountShift);
      }
    }
    c = next;
  }
  native_release_caches(h);
  return before - h->real_size;
}

void native_stats(NativeHeap* h, zmem_heap_stats* out) {
  std::memset(out, 0, sizeof *out);
  out->usage = h->size;
  out->peak = h->peak;
  out->real_usage = h->real_size;
  out->real_peak = h->real_peak;
  out->limit = h->limit;
  out->chunks = h->chunks_count;
  out->cached_chunks = h->cached_chunks_count;
  out->huge_blocks = h->huge_count;
  out->huge_bytes = h->huge_bytes;
  out->cached_huge_blocks = h->huge_cache_count;
  out->cached_huge_bytes = h->huge_cache_bytes;
  out->cached_resident = h->resident_cached;
  out->large_bytes = h->large_bytes;
  for (unsigned bin = 0; bin < kBinCount; ++bin) {
    std::size_t free_count = 0;
    for (void* slot = h->free_head[bin]; slot != h->list_end;) {
      std::uintptr_t next = read_link(h, slot, bin);
      if (!link_is_exact(h, next, bin)) raise_corrupt_link(h, bin, slot, next);
      ZMEM_POISON(slot, sizeof(std::uintptr_t));
      slot = reinterpret_cast<void*>(next);
      ++free_count;
    }
    out->bin_size[bin] = kBins[bin].size;
    out->bin_runs[bin] = h->runs[bin];
    out->bin_in_use[bin] = h->runs[bin] * kBins[bin].slots - free_count;
  }
}

}  // namespace zmem::detail
