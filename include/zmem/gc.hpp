// The cycle collector: PHP 7.3+'s synchronous trial deletion (Bacon & Rajan)
// for the cycles of arrays, objects and references that refcounting cannot
// free.  Counterpart: Zend/zend_gc.c, gc_collect_cycles(), gc_status().
//
// A value becomes a possible root when a release leaves its refcount above
// zero; roots sit in a per-thread buffer whose index and colour live in the
// GcHeader.  A collection marks grey (subtracting internal references), scans
// (what keeps a positive count is live: black), collects white, runs the
// destructors of garbage objects first and then collects once more so that an
// object a destructor resurrected survives.  Traversals use explicit stacks: a
// 1,000,000-node cycle needs no deep recursion.
#pragma once

#include <cstddef>
#include <cstdint>

#include "value.hpp"

namespace zmem {

struct GcStatus {
  std::uint32_t runs;
  std::uint32_t collected;
  std::uint32_t threshold;
  std::uint32_t roots;
};

/// Installs the collector on the calling thread (the value layer's root hooks).  Idempotent.
void gc_install();
/// gc_collect_cycles(): frees unreachable cycles; returns how many arrays and objects were
/// freed (references not counted), as PHP.  0 while a collection is already running.
std::size_t gc_collect_cycles();
/// PHP 8.2's four figures.
GcStatus gc_status() noexcept;
void gc_enable(bool on) noexcept;
bool gc_enabled() noexcept;
/// Request end: forgets the buffer (its values die with the heap) and the statistics.
void gc_reset() noexcept;

}  // namespace zmem
