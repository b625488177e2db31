// zmem::Heap: the C++ face of a request heap (see zmem.h for the model).
//
// Heap is move-only and owns its zmem_heap.  Errors arrive as exceptions
// (MemoryLimitError, OutOfMemoryError: both std::bad_alloc; misuse such as a
// double or foreign free: HeapError) unless an error handler is installed with
// set_error_handler().  When an exception is thrown the heap is consistent and
// the failed call changed nothing.
//
// HeapResource adapts a heap to std::pmr::memory_resource; HeapAllocator<T>
// is an STL allocator over a heap.  Both leave the heap's lifetime to the caller.
#pragma once

#include <cstddef>
#include <memory_resource>
#include <new>
#include <source_location>
#include <stdexcept>
#include <string>

#include "zmem.h"

namespace zmem {

struct HeapOptions {
  std::size_t limit = 0;  ///< bytes of real usage allowed; 0 = unlimited
  int debug = 0;          ///< 0 off, 1 sites + canaries, 2 also backtraces
  bool system = false;    ///< every block from malloc (valgrind / ASan mode)
  bool small_pages = false;  ///< no transparent huge pages for huge blocks
  /// Defaults, then ZMEM_LIMIT, ZMEM_DEBUG, ZMEM_ALLOC / USE_ZEND_ALLOC, ZMEM_HUGE_PAGES.
  static HeapOptions from_env();
};

/// Misuse of a heap: double free, foreign pointer, corruption, wrong thread, overflow.
class HeapError : public std::runtime_error {
 public:
  HeapError(int kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  /// One of zmem_error_kind.
  int kind() const noexcept { return kind_; }

 private:
  int kind_;
};

/// The memory limit was reached ("Allowed memory size of N bytes exhausted ...").
class MemoryLimitError : public std::bad_alloc {
 public:
  explicit MemoryLimitError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// The OS refused memory ("Out of memory (allocated N bytes) ...").
class OutOfMemoryError : public std::bad_alloc {
 public:
  explicit OutOfMemoryError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// The error handler a Heap installs by default: throws the matching exception.
[[noreturn]] void throw_heap_error(zmem_heap* heap, int kind, const char* message, void* ctx);

class Heap {
 public:
  explicit Heap(const HeapOptions& options = {});
  /// Adopts a heap made through the C API; the Heap destroys it.
  static Heap adopt(zmem_heap* raw) noexcept { return Heap(raw); }
  ~Heap();
  Heap(Heap&& other) noexcept : raw_(other.raw_) { other.raw_ = nullptr; }
  Heap& operator=(Heap&& other) noexcept;
  // Copying is not supported: two owners of one heap would both reset and destroy it.
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  void* alloc(std::size_t size, std::source_location site = std::source_location::current()) {
    return zmem_alloc_at(raw_, size, site.file_name(), site.line());
  }
  void* calloc(std::size_t count, std::size_t size, std::source_location site = std::source_location::current()) {
    return zmem_calloc_at(raw_, count, size, site.file_name(), site.line());
  }
  /// On error the old block is untouched.
  void* realloc(void* p, std::size_t size, std::source_location site = std::source_location::current()) {
    return zmem_realloc_at(raw_, p, size, site.file_name(), site.line());
  }
  void free(void* p, std::source_location site = std::source_location::current()) {
    zmem_free_at(raw_, p, site.file_name(), site.line());
  }
  void free_sized(void* p, std::size_t size) { zmem_free_sized(raw_, p, size); }
  std::size_t block_size(const void* p) const { return zmem_block_size(raw_, p); }
  bool owns(const void* p) const { return zmem_owns(raw_, p) != 0; }

  /// Request end: every block allocated since creation or the last reset is gone.
  void reset() { zmem_heap_reset(raw_); }
  /// Gives free pages and cached chunks back to the OS; returns the bytes given back.
  std::size_t trim() { return zmem_heap_trim(raw_); }
  /// False (limit unchanged) if the new limit is below real usage even after trimming.
  bool set_limit(std::size_t limit) { return zmem_heap_set_limit(raw_, limit) == 0; }
  std::size_t limit() const { return zmem_heap_limit(raw_); }
  std::size_t usage(bool real = false) const { return zmem_usage(raw_, real); }
  std::size_t peak_usage(bool real = false) const { return zmem_peak_usage(raw_, real); }
  void reset_peak() { zmem_reset_peak(raw_); }
  unsigned id() const { return zmem_heap_id(raw_); }
  zmem_heap_stats stats() const {
    zmem_heap_stats s;
    zmem_heap_get_stats(raw_, &s);
    return s;
  }
  /// Replaces exceptions with a C handler (which must not return); nullptr restores exceptions.
  void set_error_handler(zmem_error_fn fn, void* ctx);
  zmem_heap* raw() const noexcept { return raw_; }

 private:
  explicit Heap(zmem_heap* raw) noexcept;
  zmem_heap* raw_;
};

/// std::pmr::memory_resource over a heap; alignment requests up to 4 KiB are honoured.
class HeapResource final : public std::pmr::memory_resource {
 public:
  explicit HeapResource(Heap& heap) noexcept : heap_(heap.raw()) {}
  explicit HeapResource(zmem_heap* heap) noexcept : heap_(heap) {}
  zmem_heap* heap() const noexcept { return heap_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;
  zmem_heap* heap_;
};

/// STL allocator over a heap.  Equal when both name the same heap.
template <class T>
class HeapAllocator {
 public:
  using value_type = T;
  explicit HeapAllocator(Heap& heap) noexcept : heap_(heap.raw()) {}
  explicit HeapAllocator(zmem_heap* heap) noexcept : heap_(heap) {}
  template <class U>
  HeapAllocator(const HeapAllocator<U>& other) noexcept : heap_(other.heap()) {}

  T* allocate(std::size_t n) {
    static_assert(alignof(T) <= 8, "HeapAllocator serves 8-byte alignment; use HeapResource for more");
    return static_cast<T*>(zmem_safe_alloc_at(heap_, n, sizeof(T), 0, nullptr, 0));
  }
  void deallocate(T* p, std::size_t n) noexcept { zmem_free_sized(heap_, p, n * sizeof(T)); }
  zmem_heap* heap() const noexcept { return heap_; }
  template <class U>
  bool operator==(const HeapAllocator<U>& other) const noexcept {
    return heap_ == other.heap();
  }

 private:
  zmem_heap* heap_;
};

}  // namespace zmem
