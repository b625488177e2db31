// The chunk registry: for every 2 MiB-aligned address range, which heap owns
// it.  Answers "does heap h own p" with one load, for any p (malloc's, a stack
// address, another heap's), so free() never follows a foreign pointer.
// Entries: 0 = nobody; a zmem_heap* = a chunk of that heap; a HugeBlock* | 1 =
// (part of) a huge block.  Written only when chunks or huge blocks are mapped,
// cached or unmapped (never on the small path); read with relaxed atomics so a
// misused cross-thread free is a clean error rather than a data race.
// Covers the 47-bit user address space: 2^26 entries, 512 MiB of address space
// reserved lazily, touched only where chunks live.
#pragma once

#include <atomic>
#include <cstdint>

#include "heap/size_classes.hpp"

namespace zmem::detail {

inline constexpr unsigned kAddressBits = 47;
inline constexpr std::uintptr_t kRegistrySlots = std::uintptr_t{1} << (kAddressBits - 21);
inline constexpr std::uintptr_t kHugeTag = 1;

// Hidden: only the library's own fast paths read it, so it needs no GOT indirection.
extern std::atomic<std::uintptr_t> g_chunk_owner[kRegistrySlots] __attribute__((visibility("hidden")));

/// The registry entry for the 2 MiB range containing address a; 0 for addresses beyond it.
inline std::uintptr_t registry_lookup(std::uintptr_t a) {
  std::uintptr_t index = a >> 21;
  return index < kRegistrySlots ? g_chunk_owner[index].load(std::memory_order_relaxed) : 0;
}
/// Marks [base, base + size) (base 2 MiB aligned) as owned by `entry` (0 to clear).
void registry_set(const void* base, std::size_t size, std::uintptr_t entry);

}  // namespace zmem::detail
