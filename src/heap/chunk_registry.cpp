// Storage and writers of the chunk registry (see chunk_registry.hpp).
#include "heap/chunk_registry.hpp"

namespace zmem::detail {

// Zero-initialised .bss: the kernel backs it lazily, so only pages holding
// entries of live chunks cost memory.
__attribute__((visibility("hidden"))) std::atomic<std::uintptr_t> g_chunk_owner[kRegistrySlots];

void registry_set(const void* base, std::size_t size, std::uintptr_t entry) {
  std::uintptr_t first = reinterpret_cast<std::uintptr_t>(base) >> 21;
  std::uintptr_t last = (reinterpret_cast<std::uintptr_t>(base) + size - 1) >> 21;
  for (std::uintptr_t i = first; i <= last && i < kRegistrySlots; ++i) {
    g_chunk_owner[i].store(entry, std::memory_order_relaxed);
  }
}

}  // namespace zmem::detail
