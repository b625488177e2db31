// Resident caches: an emptied chunk or a freed huge block keeps its pages while cached, so
// reusing it costs no page faults and freeing it no madvise.  The bound: before the heap
// touches new memory while its caches hold pages, it asks the OS for the process's resident
// memory (plus what live huge blocks have not written yet, from mincore), and if the new
// memory would lift that past the process's peak so far, it gives cached pages back first
// (madvise DONTNEED).  So the caches do not raise the peak resident memory, while a request
// that builds and drops the same arrays and strings in a loop reuses its pages instead of
// faulting them in again.  Where the OS does not tell, everything cached is given back.
// The room one look finds is spent by later growth before the next look; other threads' and
// libraries' growth in the meantime is not seen, so the bound is close, not exact.
// Counterpart: ZendMM keeps cached chunks resident without a bound and unmaps every freed
// huge block.
// Invariant: resident_cached == the sum of `kept` over cached chunks and cached huge blocks;
//            `kept` counts the resident bytes an item had when cached (mincore), so reusing
//            it can touch at most its size minus `kept` new bytes, which is what it asks room for.
#include <algorithm>

#include "heap/heap.hpp"
#include "platform/platform.hpp"

namespace zmem::detail {

namespace {

/// An item's kept pages leave the count (it is reused, unmapped or given back).
void forget(NativeHeap* h, std::size_t& kept) {
  h->resident_cached -= kept;
  kept = 0;
}

/// Gives back the pages an item kept, [p, p + size).
void give_back(NativeHeap* h, std::size_t& kept, void* p, std::size_t size) {
  platform::discard(p, size);
  forget(h, kept);
}

/// Gives back one cached item's pages; false if none had any.  Huge blocks first: one call
/// each gives back the most.
bool give_back_one(NativeHeap* h) {
  for (HugeBlock* b = h->huge_cache; b != nullptr; b = b->next) {
    if (b->kept == 0) continue;
    give_back(h, b->kept, b->ptr, b->size);
    return true;
  }
  for (Chunk* c = h->cached_chunks; c != nullptr; c = c->next) {
    if (c->kept == 0) continue;
    give_back(h, c->kept, page_address(c, kFirstPage), kChunkPagesBytes);
    return true;
  }
  return false;
}

/// Memory the heap already holds but may not have written yet: resident memory to come that
/// the OS's figure does not show (a fresh array fills its capacity over time).  Huge blocks
/// by mincore; chunks by their pages never handed out (runs are placed lowest first, so those
/// are the pages past touched_end).
std::size_t unwritten_bytes(const NativeHeap* h) {
  std::size_t unwritten = 0;
  for (const HugeBlock* b = h->huge_list; b != nullptr; b = b->next) {
    std::size_t resident = 0;  // unknown: all of it is to come
    platform::resident_bytes(b->ptr, b->size, &resident);
    unwritten += b->size - std::min(b->size, resident);
  }
  const Chunk* c = h->main_chunk;
  do {
    unwritten += (kPagesPerChunk - c->touched_end) * kPageSize;
    c = c->next;
  } while (c != h->main_chunk);
  return unwritten;
}

/// Looks at resident memory: the room left under the peak once `bytes` more and everything
/// unwritten are resident; false if there is none (or the OS does not tell).
bool look_for_room(const NativeHeap* h, std::size_t bytes, std::size_t* room) {
  std::size_t now = 0, peak = 0;
  if (!platform::resident_memory(&now, &peak)) return false;
  std::size_t unwritten = unwritten_bytes(h);
  // Compared by subtraction so that no sum can wrap.
  if (now > peak || unwritten > peak - now || bytes > peak - now - unwritten) return false;
  *room = peak - now - unwritten - bytes;
  return true;
}

}  // namespace

void make_resident_room(NativeHeap* h, std::size_t bytes) {
  // Room found by the last look is spent first, so growth a page at a time asks rarely.
  if (bytes <= h->resident_headroom) {
    h->resident_headroom -= bytes;
    return;
  }
  h->resident_headroom = 0;  // unknown until the next look
  while (h->resident_cached != 0) {
    if (look_for_room(h, bytes, &h->resident_headroom)) return;
    // What an item kept may be less than needed: look again after each.
    if (!give_back_one(h)) return;
  }
}

namespace {

/// Whether pages freed now may stay: they cost nothing now, but memory the heap holds and has
/// not written yet will land on top of them.  Looks only when no room is known.
bool may_keep(NativeHeap* h) {
  return h->resident_headroom != 0 || look_for_room(h, 0, &h->resident_headroom);
}

/// An item entering the cache: keeps [p, p + size)'s resident pages if there is room (counted
/// in `kept`), else gives them back now.
void keep(NativeHeap* h, std::size_t& kept, void* p, std::size_t size) {
  kept = 0;
  if (!may_keep(h) || !platform::resident_bytes(p, size, &kept)) {
    kept = 0;
    platform::discard(p, size);
  }
  h->resident_cached += kept;
}

/// An item leaving the cache for use, `bytes` of it to be written: asks room for what lies
/// beyond the pages it kept.  Returns those.
std::size_t reuse(NativeHeap* h, std::size_t& kept, std::size_t bytes) {
  std::size_t had = kept;
  forget(h, kept);
  if (bytes > had) make_resident_room(h, bytes - had);
  return had;
}

}  // namespace

void keep_chunk_pages(NativeHeap* h, Chunk* c) { keep(h, c->kept, page_address(c, kFirstPage), kChunkPagesBytes); }
std::size_t reuse_chunk_pages(NativeHeap* h, Chunk* c) { return reuse(h, c->kept, kChunkPagesBytes); }
void forget_chunk_pages(NativeHeap* h, Chunk* c) { forget(h, c->kept); }
void keep_huge_pages(NativeHeap* h, HugeBlock* b) { keep(h, b->kept, b->ptr, b->size); }
void reuse_huge_pages(NativeHeap* h, HugeBlock* b, std::size_t bytes) { reuse(h, b->kept, bytes); }
void forget_huge_pages(NativeHeap* h, HugeBlock* b) { forget(h, b->kept); }

}  // namespace zmem::detail
