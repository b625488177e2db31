// System heap implementation (see system_heap.hpp).  Double frees are told
// apart from foreign pointers by remembering what this request freed.
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>
#include <unordered_set>

#include "heap/heap.hpp"

namespace zmem::detail {

namespace {

struct SystemHeap : zmem_heap {
  std::unordered_map<void*, std::size_t> live;  // block -> requested size
  std::unordered_set<void*> freed;              // freed since the last reset, not reused since
};

SystemHeap* as_system(zmem_heap* h) { return static_cast<SystemHeap*>(h); }
const SystemHeap* as_system(const zmem_heap* h) { return static_cast<const SystemHeap*>(h); }

void update_real(SystemHeap* h) {
  h->real_size = h->size + h->live.size() * kTrackingOverhead;
  if (h->real_size > h->real_peak) h->real_peak = h->real_size;
  if (h->size > h->peak) h->peak = h->size;
}

std::size_t lookup(SystemHeap* h, const void* p, const char* op) {
  auto it = h->live.find(const_cast<void*>(p));
  if (it != h->live.end()) return it->second;
  if (h->freed.count(const_cast<void*>(p)) != 0) raise_double_free(h, p, op);
  raise_foreign(h, p, op);
}

}  // namespace

zmem_heap* system_create(const zmem_heap_options& options) {
  auto* h = new (std::nothrow) SystemHeap{};
  if (h == nullptr) return nullptr;
  h->mode = HeapMode::system;
  init_bin_tables(h);
  h->limit = options.limit;
  return h;
}

void system_destroy(zmem_heap* h) {
  system_reset(h);
  delete as_system(h);
}

void* system_alloc(zmem_heap* base, std::size_t size) {
  SystemHeap* h = as_system(base);
  if (h->limit != 0 && (size > h->limit || h->real_size + kTrackingOverhead > h->limit - size)) raise_limit(h, size);
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) raise_oom(h, size);
  h->live.emplace(p, size);
  h->freed.erase(p);
  h->size += size;
  update_real(h);
  return p;
}

void system_free(zmem_heap* base, void* p, const char* op) {
  if (p == nullptr) return;
  SystemHeap* h = as_system(base);
  std::size_t size = lookup(h, p, op);
  h->live.erase(p);
  h->freed.insert(p);
  h->size -= size;
  std::free(p);
  update_real(h);
}

void* system_realloc(zmem_heap* base, void* p, std::size_t size) {
  if (p == nullptr) return system_alloc(base, size);
  SystemHeap* h = as_system(base);
  std::size_t old = lookup(h, p, "realloc");
  if (h->limit != 0 && size > old && (size - old > h->limit || h->real_size > h->limit - (size - old))) {
    raise_limit(h, size);
  }
  void* q = std::realloc(p, size == 0 ? 1 : size);
  if (q == nullptr) raise_oom(h, size);
  h->live.erase(p);
  if (q != p) h->freed.insert(p);
  h->live.emplace(q, size);
  h->freed.erase(q);
  h->size = h->size - old + size;
  update_real(h);
  return q;
}

std::size_t system_block_size(zmem_heap* h, const void* p) { return lookup(as_system(h), p, "block_size"); }

bool system_owns(const zmem_heap* h, const void* p) { return as_system(h)->live.count(const_cast<void*>(p)) != 0; }

void system_reset(zmem_heap* base) {
  SystemHeap* h = as_system(base);
  for (auto& [p, size] : h->live) std::free(p);
  h->live.clear();
  h->freed.clear();
  h->size = h->peak = 0;
  h->real_size = h->real_peak = 0;
}

void system_stats(zmem_heap* h, zmem_heap_stats* out) {
  std::memset(out, 0, sizeof *out);
  out->usage = h->size;
  out->peak = h->peak;
  out->real_usage = h->real_size;
  out->real_peak = h->real_peak;
  out->limit = h->limit;
  for (unsigned bin = 0; bin < kBinCount; ++bin) out->bin_size[bin] = kBins[bin].size;
}

}  // namespace zmem::detail
