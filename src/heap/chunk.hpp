// The 2 MiB chunk: 512 pages of 4 KiB, the first holding this header.
// Counterpart: struct _zend_mm_chunk and its page map (ZEND_MM_SRUN/LRUN).
//
// Page map, one uint32 per page:
//   0                                  free page
//   kLargeRun  | pages                 first page of a large run (pages <= 511)
//   kLargeCont | offset                2nd..nth page of a large run (or of page 0)
//   kSmallRun  | bin | offset << 8 | count << 16
//                                      a page of a small run: bin in bits 0..4 on
//                                      every page so free() needs one load; offset
//                                      of the page in its run; count is scratch
//                                      space for trim() (free slots seen).
// Invariant: bit i of free_map is set  <=>  map[i] != 0;
//            free_pages == number of clear bits.
#pragma once

#include <cstdint>

#include "heap/size_classes.hpp"

struct zmem_heap;

namespace zmem::detail {

inline constexpr std::uint32_t kLargeRun = 0x40000000u;
inline constexpr std::uint32_t kLargeCont = 0x20000000u;
inline constexpr std::uint32_t kSmallRun = 0x80000000u;
inline constexpr std::uint32_t kBinMask = 0x1fu;
inline constexpr std::uint32_t kRunPagesMask = 0x3ffu;
inline constexpr std::uint32_t kSmallOffsetShift = 8;
inline constexpr std::uint32_t kSmallOffsetMask = 0x7u;
inline constexpr std::uint32_t kSmallCountShift = 16;
inline constexpr std::uint32_t kSmallCountMask = 0x3ffu;
inline constexpr std::size_t kMapWords = kPagesPerChunk / 64;

struct Chunk {
  zmem_heap* heap;
  Chunk* next;  // circular list of the heap's live chunks; the main chunk is the head
  Chunk* prev;
  std::uint32_t free_pages;
  std::uint32_t number;  // creation order, for the cache policy
  std::size_t kept;      // while cached: bytes of its pages still resident (resident_cache.cpp)
  std::uint32_t touched_end;  // pages below it may have been written; above it, never yet
  std::uint64_t free_map[kMapWords];
  std::uint32_t map[kPagesPerChunk];
};
static_assert(sizeof(Chunk) <= kPageSize * kFirstPage, "the chunk header must fit its first page");

inline Chunk* chunk_of(const void* p) {
  return reinterpret_cast<Chunk*>(reinterpret_cast<std::uintptr_t>(p) & ~(kChunkSize - 1));
}
inline std::size_t page_of(const void* p) {
  return (reinterpret_cast<std::uintptr_t>(p) & (kChunkSize - 1)) / kPageSize;
}
inline char* page_address(Chunk* c, std::size_t page) { return reinterpret_cast<char*>(c) + page * kPageSize; }

}  // namespace zmem::detail
