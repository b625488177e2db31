// zmem::Heap, its exceptions, and the std::pmr adapter (see zmem/heap.hpp).
#include <cstdlib>

#include "heap/heap.hpp"
#include "zmem/heap.hpp"

namespace zmem {

HeapOptions HeapOptions::from_env() {
  zmem_heap_options raw;
  zmem_heap_options_from_env(&raw);
  return HeapOptions{raw.limit, raw.debug, raw.system != 0, raw.small_pages != 0};
}

void throw_heap_error(zmem_heap*, int kind, const char* message, void*) {
  switch (kind) {
    case ZMEM_ERR_LIMIT: throw MemoryLimitError(message);
    case ZMEM_ERR_OOM: throw OutOfMemoryError(message);
    default: throw HeapError(kind, message);
  }
}

Heap::Heap(const HeapOptions& options) {
  zmem_heap_options raw{options.limit, options.debug, options.system ? 1 : 0, options.small_pages ? 1 : 0};
  raw_ = zmem_heap_new(&raw);
  zmem_heap_set_error_handler(raw_, throw_heap_error, nullptr);
}

Heap::Heap(zmem_heap* raw) noexcept : raw_(raw) {}

Heap::~Heap() { zmem_heap_destroy(raw_); }

Heap& Heap::operator=(Heap&& other) noexcept {
  if (this != &other) {
    zmem_heap_destroy(raw_);
    raw_ = other.raw_;
    other.raw_ = nullptr;
  }
  return *this;
}

void Heap::set_error_handler(zmem_error_fn fn, void* ctx) {
  if (fn == nullptr) {
    zmem_heap_set_error_handler(raw_, throw_heap_error, nullptr);
  } else {
    zmem_heap_set_error_handler(raw_, fn, ctx);
  }
}

namespace {

/// A request size whose block is aligned to `alignment` (a power of two <= 4096): every
/// small bin whose size is a multiple of the alignment has aligned slots (runs are
/// page-aligned), large runs are page-aligned.
std::size_t aligned_request(std::size_t bytes, std::size_t alignment) {
  std::size_t size = bytes < alignment ? alignment : (bytes + alignment - 1) & ~(alignment - 1);
  while (size <= detail::kMaxSmallSize && detail::kBinSize[detail::size_to_bin(size)] % alignment != 0) {
    size = detail::kBinSize[detail::size_to_bin(size)] + 1;
  }
  return size;
}

}  // namespace

void* HeapResource::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (alignment <= 8) return zmem_alloc(heap_, bytes);
  if (alignment > detail::kPageSize) {
    // Huge blocks are 2 MiB aligned: serve bigger alignments (up to that) from them.
    if (alignment > detail::kChunkSize) throw std::bad_alloc();
    return zmem_alloc(heap_, bytes > detail::kMaxLargeSize ? bytes : detail::kMaxLargeSize + 1);
  }
  return zmem_alloc(heap_, aligned_request(bytes, alignment));
}

void HeapResource::do_deallocate(void* p, std::size_t, std::size_t) { zmem_free(heap_, p); }

bool HeapResource::do_is_equal(const std::pmr::memory_resource& other) const noexcept {
  auto* o = dynamic_cast<const HeapResource*>(&other);
  return o != nullptr && o->heap_ == heap_;
}

}  // namespace zmem
