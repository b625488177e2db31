// The chunk registry: for every 2 MiB-aligned address range, which heap owns
// it.  Answers "does heap h own p" with one load, for any p (malloc's, a stack
// address, another heap's), so free() never follows a foreign pointer.
// Entries: 0 = nobody; a zmem_heap* = a chunk of that heap; a HugeBlock* | 1 =
// (part of) a huge block.  Written only when chunks or huge blocks are mapped,
// cached or unmapped (never on the small path); read with relaxed atomics so a
// misused cross-thread free is a clean error rather than a data race.
// Covers the 47-bit user address space: 2^26 entries, 512 MiB of address space
// reserved lazily, touched only where chunks live.  Normally that is .bss, read
// with one load and no pointer to chase.  Under AddressSanitizer it is a mapping
// of its own: LeakSanitizer reads every writable segment at exit, and 512 MiB of
// .bss cost each process over a second (the sanitizer test stage ran for 46
// minutes, most of it in exits).
#pragma once

#include <atomic>
#include <cstdint>

#include "heap/size_classes.hpp"

namespace zmem::detail {

inline constexpr unsigned kAddressBits = 47;
inline constexpr std::uintptr_t kRegistrySlots = std::uintptr_t{1} << (kAddressBits - 21);
inline constexpr std::uintptr_t kHugeTag = 1;

#if defined(__SANITIZE_ADDRESS__)
// Mapped by a constructor that runs before any other static initialiser of the program.
extern std::atomic<std::uintptr_t>* g_chunk_owner_map __attribute__((visibility("hidden")));
inline std::atomic<std::uintptr_t>& registry_slot(std::uintptr_t index) { return g_chunk_owner_map[index]; }
#else
// Hidden: only the library's own fast paths read it, so it needs no GOT indirection.
extern std::atomic<std::uintptr_t> g_chunk_owner[kRegistrySlots] __attribute__((visibility("hidden")));
inline std::atomic<std::uintptr_t>& registry_slot(std::uintptr_t index) { return g_chunk_owner[index]; }
#endif

/// The entry for index `a >> 21` masked into range: the fast paths' single load.  An
/// address above 2^47 (never a heap block) aliases an entry that is almost surely not the
/// caller's heap.
inline std::uintptr_t registry_entry_masked(std::uintptr_t a) {
  return registry_slot((a >> 21) & (kRegistrySlots - 1)).load(std::memory_order_relaxed);
}

/// The registry entry for the 2 MiB range containing address a; 0 for addresses beyond it.
inline std::uintptr_t registry_lookup(std::uintptr_t a) {
  std::uintptr_t index = a >> 21;
  return index < kRegistrySlots ? registry_slot(index).load(std::memory_order_relaxed) : 0;
}
/// Marks [base, base + size) (base 2 MiB aligned) as owned by `entry` (0 to clear).
void registry_set(const void* base, std::size_t size, std::uintptr_t entry);

}  // namespace zmem::detail
