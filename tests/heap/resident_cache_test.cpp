// Resident caches: a freed huge block or an emptied chunk keeps its written pages while cached,
// so reusing it faults nothing; memory that would lift the process's resident memory past its
// peak first takes those pages back; trim and a peak already reached give them back too.
// The process's peak is raised on purpose (make_peak_room) so each test starts with known room.
#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

/// Lifts the process's peak resident memory `bytes` above what it is now (memory outside the
/// heap, written and unmapped), so the heap's caches have that much room under the peak.
void make_peak_room(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  std::memset(p, 1, bytes);
  munmap(p, bytes);
}

/// How far the process's resident memory is below its peak.
std::size_t room_under_peak() { return peak_resident() - std::min(peak_resident(), statm_bytes(1)); }

class ResidentCache : public NativeHeapTest {
 protected:
  /// A huge block of `size` bytes, written all over and freed: the cache now holds it.
  char* written_then_freed(std::size_t size, int byte) {
    auto* p = static_cast<char*>(zmem_alloc(h, size));
    std::memset(p, byte, size);
    zmem_free(h, p);
    return p;
  }
};

// Freed, a huge block keeps its written pages; taken again from the cache it faults nothing.
TEST_F(ResidentCache, FreedHugeBlockKeepsItsPagesForReuse) {
  make_peak_room(48 * kMiB);
  auto* p = written_then_freed(8 * kMiB, 1);
  EXPECT_EQ(resident_in(p, 8 * kMiB), 8 * kMiB);
  EXPECT_EQ(stats().cached_resident, 8 * kMiB);
  long before = minor_faults();
  auto* q = static_cast<char*>(zmem_alloc(h, 8 * kMiB));
  ASSERT_EQ(q, p) << "not reused from the cache";
  std::memset(q, 2, 8 * kMiB);
  EXPECT_LT(minor_faults() - before, 64) << "the kept pages faulted again";
  EXPECT_EQ(stats().cached_resident, 0u);
  zmem_free(h, q);
}

// An emptied chunk keeps its written pages; the next chunk the heap needs is that one, whole.
TEST_F(ResidentCache, EmptiedChunkKeepsItsPagesForReuse) {
  make_peak_room(48 * kMiB);
  const std::size_t run = 384 * kPage;  // two do not fit one chunk: the second needs another
  void* first = zmem_alloc(h, run);
  auto* second = static_cast<char*>(zmem_alloc(h, run));
  ASSERT_EQ(stats().chunks, 2u);
  std::memset(second, 3, run);
  zmem_free(h, second);
  ASSERT_EQ(stats().cached_chunks, 1u);
  EXPECT_EQ(resident_in(second, run), run);
  EXPECT_GE(stats().cached_resident, run);
  long before = minor_faults();
  auto* again = static_cast<char*>(zmem_alloc(h, run));
  ASSERT_EQ(again, second) << "the cached chunk was not the one reused";
  std::memset(again, 4, run);
  EXPECT_LT(minor_faults() - before, 16) << "the kept pages faulted again";
  zmem_free(h, again);
  zmem_free(h, first);
}

// New memory that would lift resident memory past the peak first takes the cached pages back
// (the mapping stays cached; only its pages go).
TEST_F(ResidentCache, GrowthPastThePeakGivesCachedPagesBack) {
  make_peak_room(24 * kMiB);
  auto* p = written_then_freed(8 * kMiB, 5);
  ASSERT_EQ(resident_in(p, 8 * kMiB), 8 * kMiB);
  // Bigger than the cached block (so not served by it) and than the room under the peak.
  std::size_t room = room_under_peak();
  std::size_t big = round_up(std::max(room + 8 * kMiB, 20 * kMiB), kPage);
  void* q = zmem_alloc(h, big);
  EXPECT_EQ(resident_in(p, 8 * kMiB), 0u) << "cached pages kept past the peak";
  EXPECT_EQ(stats().cached_resident, 0u);
  EXPECT_EQ(stats().cached_huge_blocks, 1u) << "the mapping itself stays cached";
  zmem_free(h, q);
}

// With no room under the peak, freed pages are given back at once, as without the cache.
TEST_F(ResidentCache, NoRoomNoPagesKept) {
  std::size_t room = room_under_peak();
  if (room > 256 * kMiB) GTEST_SKIP() << "earlier tests in this process left " << room / kMiB << " MiB of room";
  std::size_t size = round_up(room + 8 * kMiB, kPage);  // written, it sets a new peak
  auto* p = written_then_freed(size, 6);
  EXPECT_EQ(resident_in(p, size), 0u);
  EXPECT_EQ(stats().cached_resident, 0u);
}

// trim gives back everything cached, kept pages included.
TEST_F(ResidentCache, TrimGivesBackKeptPages) {
  make_peak_room(48 * kMiB);
  auto* p = written_then_freed(8 * kMiB, 7);
  ASSERT_GT(stats().cached_resident, 0u);
  zmem_heap_trim(h);
  EXPECT_EQ(stats().cached_resident, 0u);
  EXPECT_EQ(stats().cached_huge_blocks, 0u);
  EXPECT_EQ(resident_in(p, 8 * kMiB), 0u);
}

// A reset caches the request's chunks with their pages, for the next request to reuse.
TEST_F(ResidentCache, ResetKeepsChunkPages) {
  make_peak_room(48 * kMiB);
  std::vector<void*> blocks;
  for (int i = 0; i < 6; ++i) {
    blocks.push_back(zmem_alloc(h, 384 * kPage));
    std::memset(blocks.back(), 8, 384 * kPage);
  }
  ASSERT_EQ(stats().chunks, 6u);
  zmem_heap_reset(h);
  std::size_t cached = stats().cached_chunks;  // the reset's cache policy keeps some
  ASSERT_GE(cached, 1u);
  EXPECT_GE(stats().cached_resident, 384 * kPage * cached);
  long before = minor_faults();
  for (int i = 0; i < 6; ++i) std::memset(zmem_alloc(h, 384 * kPage), 9, 384 * kPage);
  // The main chunk's run and the cached chunks' fault nothing; fresh chunks fault each page.
  // Allowing the cached ones half their pages leaves room for ASan's shadow (a page per 8)
  // and still fails if their pages had been given back.
  EXPECT_LT(minor_faults() - before, static_cast<long>((5 - cached) * 384 + cached * 384 / 2)) << cached;
}

}  // namespace
