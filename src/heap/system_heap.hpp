// The system heap (ZMEM_ALLOC=system, USE_ZEND_ALLOC=0): every block comes from
// malloc with no header, so valgrind and ASan see each one exactly; a side
// table tracks live blocks so reset still frees what a request left behind
// and usage and the limit still work.
// Figures: usage = sum of live requested sizes; real = usage plus the side
// table's cost (kTrackingOverhead per live block); the limit applies to real.
// Counterpart: PHP's tracked allocator (USE_TRACKED_ALLOC=1).
#pragma once

#include <cstddef>

#include "heap/heap_core.hpp"

namespace zmem::detail {

inline constexpr std::size_t kTrackingOverhead = 32;

zmem_heap* system_create(const zmem_heap_options& options);
void system_destroy(zmem_heap* h);
void* system_alloc(zmem_heap* h, std::size_t size);
void system_free(zmem_heap* h, void* p, const char* op);
void* system_realloc(zmem_heap* h, void* p, std::size_t size);
std::size_t system_block_size(zmem_heap* h, const void* p);
bool system_owns(const zmem_heap* h, const void* p);
void system_reset(zmem_heap* h);
void system_stats(zmem_heap* h, zmem_heap_stats* out);

}  // namespace zmem::detail
