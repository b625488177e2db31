// Persistent memory (pemalloc(size, 1)): malloc with a 48-byte header that
// links every live block into one list, so engine shutdown can report
// persistent leaks with their sites.  Thread-safe (one mutex: persistent
// allocation happens at startup and in rare paths, never on the request fast
// path).  Counts in no heap's usage or limit, as PHP's __zend_malloc.
// Invariant: a live block's header has kLiveMagic and is in the list.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "heap/heap.hpp"
#include "zmem/zend_alloc.h"

namespace zmem::detail {

namespace {

constexpr std::uint32_t kLiveMagic = 0x7e51a11cu;
constexpr std::uint32_t kDeadMagic = 0xdeadb10cu;

struct alignas(16) PersistentHeader {
  PersistentHeader* prev;
  PersistentHeader* next;
  std::size_t size;
  const char* file;
  std::uint32_t line;
  std::uint32_t magic;
};
static_assert(sizeof(PersistentHeader) % 16 == 0, "blocks must stay 16-byte aligned");

std::mutex g_mutex;
PersistentHeader* g_list = nullptr;
std::size_t g_bytes = 0;
std::size_t g_blocks = 0;

PersistentHeader* header_of(void* p) { return static_cast<PersistentHeader*>(p) - 1; }

void link(PersistentHeader* h) {
  std::lock_guard<std::mutex> lock(g_mutex);
  h->prev = nullptr;
  h->next = g_list;
  if (g_list != nullptr) g_list->prev = h;
  g_list = h;
  g_bytes += h->size;
  g_blocks++;
}

void unlink(PersistentHeader* h) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (h->prev != nullptr) h->prev->next = h->next;
  else g_list = h->next;
  if (h->next != nullptr) h->next->prev = h->prev;
  g_bytes -= h->size;
  g_blocks--;
}

PersistentHeader* checked_header(void* p, const char* op) {
  PersistentHeader* h = header_of(p);
  if (h->magic == kLiveMagic) return h;
  zmem_heap* heap = zmem_current_heap();
  if (h->magic == kDeadMagic) {
    raise_error(heap, ZMEM_ERR_DOUBLE_FREE, "zmem persistent memory: double free of %p (%s)", p, op);
  }
  raise_error(heap, ZMEM_ERR_FOREIGN, "zmem persistent memory: %s of %p, which is not a persistent block", op, p);
}

[[noreturn]] void persistent_oom(std::size_t size) {
  raise_error(zmem_current_heap(), ZMEM_ERR_OOM, "Out of memory (allocated %zu bytes) (tried to allocate %zu bytes)",
              zmem_persistent_usage(), size);
}

}  // namespace
}  // namespace zmem::detail

using namespace zmem::detail;

extern "C" {

void* zmem_persistent_alloc(size_t size, const char* file, unsigned line) {
  if (size > SIZE_MAX - sizeof(PersistentHeader)) raise_overflow(zmem_current_heap(), 1, size, sizeof(PersistentHeader));
  auto* h = static_cast<PersistentHeader*>(std::malloc(sizeof(PersistentHeader) + size));
  if (h == nullptr) persistent_oom(size);
  h->size = size;
  h->file = file;
  h->line = line;
  h->magic = kLiveMagic;
  link(h);
  return h + 1;
}

void* zmem_persistent_calloc(size_t count, size_t size, const char* file, unsigned line) {
  std::size_t total;
  if (__builtin_mul_overflow(count, size, &total)) raise_overflow(zmem_current_heap(), count, size, 0);
  void* p = zmem_persistent_alloc(total, file, line);
  std::memset(p, 0, total);
  return p;
}

void* zmem_persistent_realloc(void* p, size_t size, const char* file, unsigned line) {
  if (p == nullptr) return zmem_persistent_alloc(size, file, line);
  PersistentHeader* old = checked_header(p, "realloc");
  void* q = zmem_persistent_alloc(size, file, line);
  std::memcpy(q, p, old->size < size ? old->size : size);
  zmem_persistent_free(p);
  return q;
}

void zmem_persistent_free(void* p) {
  if (p == nullptr) return;
  PersistentHeader* h = checked_header(p, "free");
  unlink(h);
  h->magic = kDeadMagic;
  std::free(h);
}

char* zmem_persistent_strdup(const char* s, const char* file, unsigned line) {
  std::size_t length = std::strlen(s);
  auto* p = static_cast<char*>(zmem_persistent_alloc(length + 1, file, line));
  std::memcpy(p, s, length + 1);
  return p;
}

size_t zmem_persistent_usage(void) {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_bytes;
}

size_t zmem_persistent_blocks(void) {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_blocks;
}

size_t zmem_persistent_report_leaks(void* file) {
  auto* out = static_cast<FILE*>(file);
  std::lock_guard<std::mutex> lock(g_mutex);
  std::size_t count = 0;
  for (PersistentHeader* h = g_list; h != nullptr; h = h->next, ++count) {
    std::fprintf(out, "%s(%u) :  Freeing %p (%zu bytes), persistent\n", h->file ? h->file : "[unknown]", h->line,
                 static_cast<void*>(h + 1), h->size);
  }
  if (count != 0) std::fprintf(out, "=== Total %zu persistent memory leaks detected ===\n", count);
  return count;
}

}  // extern "C"
