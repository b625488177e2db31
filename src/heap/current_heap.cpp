// The calling thread's current heap (what AG(mm_heap) is to a ZTS PHP thread).
// Each thread lazily gets a default heap made from the environment; it is
// destroyed when the thread exits.  zmem_set_current_heap points the thread at
// another heap (a request's) without owning it.
#include "heap/heap.hpp"

namespace {

struct DefaultHeap {
  zmem_heap* heap = nullptr;
  ~DefaultHeap();
};

thread_local DefaultHeap t_default;
thread_local zmem_heap* t_current = nullptr;

DefaultHeap::~DefaultHeap() {
  if (t_current == heap) t_current = nullptr;
  zmem_heap_destroy(heap);
}

}  // namespace

namespace zmem::detail {
zmem_heap* current_heap_if_set() noexcept { return t_current; }
}  // namespace zmem::detail

extern "C" {

zmem_heap* zmem_current_heap(void) {
  if (ZMEM_LIKELY(t_current != nullptr)) return t_current;
  if (t_default.heap == nullptr) t_default.heap = zmem_heap_new(nullptr);
  t_current = t_default.heap;
  return t_current;
}

void zmem_set_current_heap(zmem_heap* h) { t_current = h; }

}  // extern "C"
