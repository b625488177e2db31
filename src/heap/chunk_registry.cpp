// Storage and writers of the chunk registry (see chunk_registry.hpp).
#include "heap/chunk_registry.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include "heap/heap_core.hpp"
#include "platform/platform.hpp"
#endif

namespace zmem::detail {

#if defined(__SANITIZE_ADDRESS__)
__attribute__((visibility("hidden"))) std::atomic<std::uintptr_t>* g_chunk_owner_map;

namespace {
// Priority 101: ahead of every default-priority initialiser, so no static constructor that
// allocates can find the registry unmapped.
__attribute__((constructor(101))) void map_chunk_registry() {
  void* p = platform::reserve_zeroed(kRegistrySlots * sizeof(std::atomic<std::uintptr_t>));
  if (p == nullptr) raise_error(nullptr, ZMEM_ERR_OOM, "zmem: cannot reserve the chunk registry");
  g_chunk_owner_map = static_cast<std::atomic<std::uintptr_t>*>(p);
}
}  // namespace
#else
// Zero-initialised .bss: the kernel backs it lazily, so only pages holding
// entries of live chunks cost memory.
__attribute__((visibility("hidden"))) std::atomic<std::uintptr_t> g_chunk_owner[kRegistrySlots];
#endif

void registry_set(const void* base, std::size_t size, std::uintptr_t entry) {
  std::uintptr_t first = reinterpret_cast<std::uintptr_t>(base) >> 21;
  std::uintptr_t last = (reinterpret_cast<std::uintptr_t>(base) + size - 1) >> 21;
  for (std::uintptr_t i = first; i <= last && i < kRegistrySlots; ++i) {
    registry_slot(i).store(entry, std::memory_order_relaxed);
  }
}

}  // namespace zmem::detail
