// The debug heap (ZMEM_DEBUG=1, 2): every block carries its allocation site,
// a guard word before it and a canary after it, lives on a list so reset can
// report leaks, and on free is filled with a pattern and held in a bounded
// quarantine so writes after free show up when it leaves.  Storage comes from
// an inner native heap, so usage, real usage and the limit behave as in the
// native heap (the figures include the debug overhead, as in PHP's debug builds).
// Counterpart: ZEND_DEBUG's zend_mm_debug_info and zend_mm_check_leaks.
//
// Block layout (level 2 adds the stack in front):
//   [stack: kStackFrames pointers][DebugBlock][user bytes (size)][canary: 8 bytes]
//                                             ^ pointer handed out
#pragma once

#include <cstddef>

#include "heap/heap_core.hpp"

namespace zmem::detail {

zmem_heap* debug_create(const zmem_heap_options& options);
void debug_destroy(zmem_heap* h);
/// Gives the inner heap the outer heap's id, so its messages name the heap the user knows.
void debug_adopt_id(zmem_heap* h);
void* debug_alloc(zmem_heap* h, std::size_t size, const char* file, unsigned line);
void debug_free(zmem_heap* h, void* p, const char* file, unsigned line);
void* debug_realloc(zmem_heap* h, void* p, std::size_t size, const char* file, unsigned line);
std::size_t debug_block_size(zmem_heap* h, const void* p);
bool debug_owns(const zmem_heap* h, const void* p);
void debug_reset(zmem_heap* h, bool silent);
std::size_t debug_trim(zmem_heap* h);
int debug_set_limit(zmem_heap* h, std::size_t limit);
void debug_stats(zmem_heap* h, zmem_heap_stats* out);
/// Prints the leak report for the blocks still live; returns how many leaked.
std::size_t debug_report_leaks(zmem_heap* h, void* file);

}  // namespace zmem::detail
