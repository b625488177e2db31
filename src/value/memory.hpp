// Where value payloads get their memory: the current thread's request heap,
// or persistent memory for payloads flagged kGcPersistent (interned permanent
// strings, persistent tables).  The one place the value layer calls the heap.
// Counterpart: emalloc / pemalloc(size, persistent) as zend_string.h uses them.
#pragma once

#include <cstddef>

#include <zmem/zmem.h>

namespace zmem::detail {

inline void* value_alloc(std::size_t size, bool persistent) {
  return persistent ? zmem_persistent_alloc(size, __FILE__, __LINE__) : zmem_alloc(zmem_current_heap(), size);
}

inline void* value_realloc(void* p, std::size_t size, bool persistent) {
  return persistent ? zmem_persistent_realloc(p, size, __FILE__, __LINE__)
                    : zmem_realloc(zmem_current_heap(), p, size);
}

inline void value_free(void* p, bool persistent) noexcept {
  if (persistent) {
    zmem_persistent_free(p);
  } else {
    zmem_free(zmem_current_heap(), p);
  }
}

}  // namespace zmem::detail
