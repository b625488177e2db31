// Every error a heap raises: formats the message (docs/errors.md), hands it to
// the heap's handler, and never returns.  No handler: "Fatal error: <message>"
// on stderr and abort(), like zend_mm_panic.  Each integrity check has its own
// message naming the pointer and the heap.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "heap/heap.hpp"

namespace zmem::detail {

namespace {

[[noreturn]] void deliver(zmem_heap* h, int kind, const char* message) {
  if (h != nullptr && h->error_fn != nullptr) {
    h->error_fn(h, kind, message, h->error_ctx);
    std::fprintf(stderr, "Fatal error: zmem error handler returned (it must not): %s\n", message);
  } else {
    std::fprintf(stderr, "Fatal error: %s\n", message);
  }
  std::fflush(stderr);
  std::abort();
}

unsigned id_of(const zmem_heap* h) { return h != nullptr ? h->id : 0; }

}  // namespace

void raise_error(zmem_heap* h, int kind, const char* fmt, ...) {
  char message[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(message, sizeof message, fmt, args);
  va_end(args);
  deliver(h, kind, message);
}

void raise_corrupt_link(zmem_heap* h, unsigned bin, const void* slot, std::uintptr_t decoded) {
  raise_error(h, ZMEM_ERR_CORRUPTION,
              "zmem heap #%u corrupted: free-list link of bin %u (%u-byte blocks) at %p decodes to %p, "
              "not a free block of this heap (write after free or overflow?)",
              id_of(h), bin, kBins[bin].size, slot, reinterpret_cast<const void*>(decoded));
}

void raise_double_free(zmem_heap* h, const void* p, const char* op) {
  raise_error(h, ZMEM_ERR_DOUBLE_FREE, "zmem heap #%u: double free of %p (%s)", id_of(h), p, op);
}

void raise_foreign(zmem_heap* h, const void* p, const char* op) {
  std::uintptr_t entry = registry_lookup(reinterpret_cast<std::uintptr_t>(p));
  const zmem_heap* owner = nullptr;
  if (entry & kHugeTag) {
    owner = reinterpret_cast<const HugeBlock*>(entry & ~kHugeTag)->heap;
  } else if (entry != 0) {
    owner = reinterpret_cast<const zmem_heap*>(entry);
  }
  if (owner != nullptr && owner != h) {
    raise_error(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which belongs to heap #%u", id_of(h), op, p,
                owner->id);
  }
  if (owner == h) {
    raise_error(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which is not the start of a block", id_of(h), op,
                p);
  }
  raise_error(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which this heap does not own", id_of(h), op, p);
}

void raise_limit(zmem_heap* h, std::size_t tried) {
  raise_error(h, ZMEM_ERR_LIMIT, "Allowed memory size of %zu bytes exhausted (tried to allocate %zu bytes)",
              h->limit, tried);
}

void raise_oom(zmem_heap* h, std::size_t tried) {
  raise_error(h, ZMEM_ERR_OOM, "Out of memory (allocated %zu bytes) (tried to allocate %zu bytes)", h->real_size,
              tried);
}

void raise_overflow(zmem_heap* h, std::size_t n, std::size_t size, std::size_t offset) {
  raise_error(h, ZMEM_ERR_OVERFLOW, "Possible integer overflow in memory allocation (%zu * %zu + %zu)", n, size,
              offset);
}

}  // namespace zmem::detail
