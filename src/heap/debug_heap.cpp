// Debug heap implementation (see debug_heap.hpp for the block layout).
// Invariants: a block on the live list has state live and an intact guard;
// a quarantined block is filled with kFreeFill (its first kFillLimit bytes)
// and keeps its header until it leaves the quarantine, so a second free of it
// names both sites.  Every check happens before anything changes, so the heap
// is consistent when the error handler runs.
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "heap/heap.hpp"
#include "platform/platform.hpp"

namespace zmem::detail {

namespace {

constexpr std::uint64_t kGuardSeed = 0x7a6d656d67756172ull;
constexpr std::uint64_t kCanary = 0xcafef00dd15ea5e5ull;
constexpr unsigned char kFreeFill = 0xdb;
constexpr std::size_t kFillLimit = 4096;
constexpr int kStackFrames = 16;
constexpr std::size_t kQuarantineBlocks = 1024;
constexpr std::size_t kQuarantineBytes = 4u << 20;

enum class BlockState : std::uint32_t { live = 0x4c495645, quarantined = 0x51554152, released = 0x52454c53 };

struct DebugBlock {
  DebugBlock* prev;  // live list in allocation order, or quarantine FIFO (next only)
  DebugBlock* next;
  std::size_t size;
  const char* file;
  const char* orig_file;  // where the block was first allocated, before reallocs
  const char* free_file;
  std::uint32_t line;
  std::uint32_t orig_line;
  std::uint32_t free_line;
  BlockState state;
  std::uint32_t frames;
  std::uint32_t unused;
  std::uint64_t guard;  // guard_for(this); last word before the user bytes: an underrun hits it
};
static_assert(sizeof(DebugBlock) % 16 == 0, "the header must keep user pointers 16-byte aligned when the bin is");

struct DebugHeap : zmem_heap {
  NativeHeap* inner;
  DebugBlock* live_first;
  DebugBlock* live_last;
  std::size_t live_count;
  DebugBlock* quarantine_first;
  DebugBlock* quarantine_last;
  std::size_t quarantine_count;
  std::size_t quarantine_bytes;
  std::size_t quarantine_inner_bytes;  // what quarantined blocks occupy in the inner heap
  std::size_t stack_bytes;  // 0, or kStackFrames pointers in front of the header (level 2)
  bool exit_on_leak;
  std::atomic<std::uintptr_t> user;  // thread inside a call, for the two-threads check
};

DebugHeap* as_debug(zmem_heap* h) { return static_cast<DebugHeap*>(h); }
const DebugHeap* as_debug(const zmem_heap* h) { return static_cast<const DebugHeap*>(h); }

std::uint64_t guard_for(const DebugBlock* b) { return kGuardSeed ^ reinterpret_cast<std::uintptr_t>(b); }
char* user_of(DebugBlock* b) { return reinterpret_cast<char*>(b + 1); }
DebugBlock* block_of(const void* p) { return reinterpret_cast<DebugBlock*>(const_cast<char*>(static_cast<const char*>(p))) - 1; }
char* raw_of(DebugHeap* h, DebugBlock* b) { return reinterpret_cast<char*>(b) - h->stack_bytes; }
void** stack_of(DebugBlock* b) { return reinterpret_cast<void**>(b) - kStackFrames; }

std::string site(const char* file, unsigned line) {
  if (file == nullptr) return "[unknown]";
  return std::string(file) + ":" + std::to_string(line);
}

/// " (at FILE:LINE)" when the caller passed its site; nothing otherwise, so messages
/// without sites read exactly as the native heap's.
std::string at(const char* file, unsigned line) { return file == nullptr ? "" : " (at " + site(file, line) + ")"; }

/// Usage counts live blocks as the inner heap sizes them (debug overhead included, as in
/// PHP's debug builds); quarantined blocks are freed as far as the caller can tell.
void sync_figures(DebugHeap* h) {
  h->size = h->inner->size - h->quarantine_inner_bytes;
  if (h->size > h->peak) h->peak = h->size;
  h->real_size = h->inner->real_size;
  h->real_peak = h->inner->real_peak;
}

/// Marks the heap as in use by the calling thread for the duration of a call.
class UseScope {
 public:
  explicit UseScope(DebugHeap* h) : h_(h) {
    std::uintptr_t self = static_cast<std::uintptr_t>(pthread_self());
    std::uintptr_t expected = 0;
    if (h->user.compare_exchange_strong(expected, self, std::memory_order_acquire)) {
      outer_ = true;
    } else if (expected != self) {
      raise_error(h, ZMEM_ERR_WRONG_THREAD, "zmem heap #%u: used by thread %#" PRIxPTR " while thread %#" PRIxPTR " is using it",
                  h->id, self, expected);
    }
  }
  ~UseScope() {
    if (outer_) h_->user.store(0, std::memory_order_release);
  }
  UseScope(const UseScope&) = delete;
  UseScope& operator=(const UseScope&) = delete;

 private:
  DebugHeap* h_;
  bool outer_ = false;
};

/// Errors leave the heap (the handler may longjmp past UseScope): release the mark first.
template <class... Args>
[[noreturn]] void fail(DebugHeap* h, int kind, const char* fmt, Args... args) {
  h->user.store(0, std::memory_order_release);
  raise_error(h, kind, fmt, args...);
}

void forward_inner_error(zmem_heap*, int kind, const char* message, void* ctx) {
  fail(static_cast<DebugHeap*>(ctx), kind, "%s", message);
}

bool canary_intact(DebugBlock* b) {
  std::uint64_t value;
  std::memcpy(&value, user_of(b) + b->size, sizeof value);
  return value == kCanary;
}

bool on_live_list(DebugHeap* h, DebugBlock* b) {
  bool prev_ok = b->prev == nullptr ? h->live_first == b : native_owns(h->inner, b->prev) && b->prev->next == b;
  bool next_ok = b->next == nullptr ? h->live_last == b : native_owns(h->inner, b->next) && b->next->prev == b;
  return prev_ok && next_ok;
}

/// Checks a pointer handed back by the caller: ours, a block start, live, undamaged.
DebugBlock* checked_block(DebugHeap* h, const void* p, const char* op, const char* file, unsigned line) {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  DebugBlock* b = block_of(p);
  char* raw = reinterpret_cast<char*>(b) - h->stack_bytes;
  if ((a & 7) != 0 || a < sizeof(DebugBlock) + h->stack_bytes || !native_owns(h->inner, raw) ||
      !native_owns(h->inner, b)) {
    std::uintptr_t entry = registry_lookup(a);
    const zmem_heap* owner = (entry & kHugeTag) ? reinterpret_cast<HugeBlock*>(entry & ~kHugeTag)->heap
                                                : reinterpret_cast<const zmem_heap*>(entry);
    if (owner != nullptr && owner != h->inner) {
      fail(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which belongs to heap #%u%s", h->id, op, p, owner->id,
           at(file, line).c_str());
    }
    fail(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which this heap does not own%s", h->id, op, p,
         at(file, line).c_str());
  }
#if defined(__SANITIZE_ADDRESS__)
  if (__asan_region_is_poisoned(b, sizeof(DebugBlock)) != nullptr) {
    fail(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which is not the start of a live block%s", h->id, op, p,
         at(file, line).c_str());
  }
#endif
  if (b->guard != guard_for(b)) {
    if (b->state == BlockState::live && on_live_list(h, b)) {
      fail(h, ZMEM_ERR_CORRUPTION,
           "zmem heap #%u: underrun of block %p (%zu bytes, allocated at %s): the guard before its start was "
           "overwritten (detected by %s at %s)",
           h->id, p, b->size, site(b->file, b->line).c_str(), op, site(file, line).c_str());
    }
    fail(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which is not the start of a block%s", h->id, op, p,
         at(file, line).c_str());
  }
  if (b->state == BlockState::quarantined || b->state == BlockState::released) {
    std::string where = file != nullptr ? std::string(op) + " at " + site(file, line) : std::string(op);
    std::string history = b->file != nullptr || b->free_file != nullptr
                              ? ": allocated at " + site(b->file, b->line) + ", first freed at " +
                                    site(b->free_file, b->free_line)
                              : "";
    fail(h, ZMEM_ERR_DOUBLE_FREE, "zmem heap #%u: double free of %p (%s)%s", h->id, p, where.c_str(), history.c_str());
  }
  if (b->state != BlockState::live) {
    fail(h, ZMEM_ERR_FOREIGN, "zmem heap #%u: %s of %p, which is not the start of a block%s", h->id, op, p,
         at(file, line).c_str());
  }
  if (!canary_intact(b)) {
    fail(h, ZMEM_ERR_CORRUPTION,
         "zmem heap #%u: overrun of block %p (%zu bytes, allocated at %s): the canary after its end was overwritten "
         "(detected by %s at %s)",
         h->id, p, b->size, site(b->file, b->line).c_str(), op, site(file, line).c_str());
  }
  return b;
}

const unsigned char* fill_pattern() {
  static const auto* pattern = [] {
    static unsigned char bytes[kFillLimit];
    std::memset(bytes, kFreeFill, sizeof bytes);
    return bytes;
  }();
  return pattern;
}

void check_fill(DebugHeap* h, DebugBlock* b) {
  std::size_t n = b->size < kFillLimit ? b->size : kFillLimit;
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(user_of(b));
  if (std::memcmp(bytes, fill_pattern(), n) == 0) return;  // the common case, vectorized
  for (std::size_t i = 0; i < n; ++i) {
    if (bytes[i] != kFreeFill) {
      fail(h, ZMEM_ERR_CORRUPTION,
           "zmem heap #%u: use after free of block %p (%zu bytes, allocated at %s, freed at %s): byte %zu was written "
           "after free",
           h->id, static_cast<void*>(user_of(b)), b->size, site(b->file, b->line).c_str(),
           site(b->free_file, b->free_line).c_str(), i);
    }
  }
}

void check_live(DebugHeap* h, DebugBlock* b) {
  if (b->guard != guard_for(b)) {
    fail(h, ZMEM_ERR_CORRUPTION,
         "zmem heap #%u: underrun of block %p (%zu bytes, allocated at %s): the guard before its start was "
         "overwritten (detected by reset)",
         h->id, static_cast<void*>(user_of(b)), b->size, site(b->file, b->line).c_str());
  }
  if (!canary_intact(b)) {
    fail(h, ZMEM_ERR_CORRUPTION,
         "zmem heap #%u: overrun of block %p (%zu bytes, allocated at %s): the canary after its end was overwritten "
         "(detected by reset)",
         h->id, static_cast<void*>(user_of(b)), b->size, site(b->file, b->line).c_str());
  }
}

/// The oldest quarantined block leaves: its fill is checked, then its memory goes back.
void release_oldest(DebugHeap* h) {
  DebugBlock* b = h->quarantine_first;
  check_fill(h, b);
  h->quarantine_first = b->next;
  if (h->quarantine_first == nullptr) h->quarantine_last = nullptr;
  h->quarantine_count--;
  h->quarantine_bytes -= b->size;
  h->quarantine_inner_bytes -= native_block_size(h->inner, raw_of(h, b));
  b->state = BlockState::released;
  free_fast(h->inner, raw_of(h, b), nullptr, 0);
}

void unlink_live(DebugHeap* h, DebugBlock* b) {
  if (b->prev != nullptr) b->prev->next = b->next;
  else h->live_first = b->next;
  if (b->next != nullptr) b->next->prev = b->prev;
  else h->live_last = b->prev;
  h->live_count--;
}

void* alloc_locked(DebugHeap* h, std::size_t size, const char* file, unsigned line, const char* orig_file,
                   unsigned orig_line) {
  std::size_t overhead = h->stack_bytes + sizeof(DebugBlock) + sizeof kCanary;
  if (size > SIZE_MAX - overhead) fail(h, ZMEM_ERR_OVERFLOW, "Possible integer overflow in memory allocation (%zu + %zu)", size, overhead);
  char* raw = static_cast<char*>(alloc_fast(h->inner, size + overhead, file, line));
  auto* b = reinterpret_cast<DebugBlock*>(raw + h->stack_bytes);
  *b = DebugBlock{h->live_last, nullptr, size, file, orig_file, nullptr, line, orig_line, 0, BlockState::live, 0, 0, 0};
  b->guard = guard_for(b);
  std::memcpy(user_of(b) + size, &kCanary, sizeof kCanary);
  if (h->stack_bytes != 0) {
    b->frames = static_cast<std::uint32_t>(platform::capture_stack(stack_of(b), kStackFrames, 0));
  }
  if (h->live_last != nullptr) h->live_last->next = b;
  else h->live_first = b;
  h->live_last = b;
  h->live_count++;
  sync_figures(h);
  return user_of(b);
}

void free_locked(DebugHeap* h, DebugBlock* b, const char* file, unsigned line) {
  unlink_live(h, b);
  b->state = BlockState::quarantined;
  b->free_file = file;
  b->free_line = line;
  b->next = nullptr;
  std::memset(user_of(b), kFreeFill, b->size < kFillLimit ? b->size : kFillLimit);
  if (h->quarantine_last != nullptr) h->quarantine_last->next = b;
  else h->quarantine_first = b;
  h->quarantine_last = b;
  h->quarantine_count++;
  h->quarantine_bytes += b->size;
  h->quarantine_inner_bytes += native_block_size(h->inner, raw_of(h, b));
  while (h->quarantine_count > kQuarantineBlocks || h->quarantine_bytes > kQuarantineBytes) release_oldest(h);
  sync_figures(h);
}

void drain_quarantine(DebugHeap* h) {
  while (h->quarantine_first != nullptr) release_oldest(h);
}

bool same_site(const DebugBlock* a, const DebugBlock* b) {
  if (a->line != b->line) return false;
  if (a->file == b->file) return true;
  return a->file != nullptr && b->file != nullptr && std::strcmp(a->file, b->file) == 0;
}

}  // namespace

zmem_heap* debug_create(const zmem_heap_options& options) {
  auto* h = new (std::nothrow) DebugHeap{};
  if (h == nullptr) return nullptr;
  zmem_heap_options inner_options = options;
  inner_options.debug = 0;
  h->inner = native_create(inner_options);
  if (h->inner == nullptr) {
    delete h;
    return nullptr;
  }
  init_bin_tables(h);
  h->mode = HeapMode::debug;
  h->limit = options.limit;
  h->stack_bytes = options.debug >= 2 ? kStackFrames * sizeof(void*) : 0;
  const char* exit_flag = std::getenv("ZMEM_DEBUG_EXIT");
  h->exit_on_leak = exit_flag != nullptr && std::atoi(exit_flag) != 0;
  h->inner->error_fn = forward_inner_error;
  h->inner->error_ctx = h;
  sync_figures(h);
  return h;
}

void debug_adopt_id(zmem_heap* h) { as_debug(h)->inner->id = h->id; }

void debug_destroy(zmem_heap* base) {
  DebugHeap* h = as_debug(base);
  std::size_t leaks = debug_report_leaks(h, stderr);
  bool exit_on_leak = h->exit_on_leak;
  native_destroy(h->inner);
  delete h;
  if (leaks != 0 && exit_on_leak) {
    std::fflush(nullptr);
    _exit(1);
  }
}

void* debug_alloc(zmem_heap* base, std::size_t size, const char* file, unsigned line) {
  DebugHeap* h = as_debug(base);
  UseScope scope(h);
  return alloc_locked(h, size, file, line, nullptr, 0);
}

void debug_free(zmem_heap* base, void* p, const char* file, unsigned line) {
  if (p == nullptr) return;
  DebugHeap* h = as_debug(base);
  UseScope scope(h);
  free_locked(h, checked_block(h, p, "free", file, line), file, line);
}

void* debug_realloc(zmem_heap* base, void* p, std::size_t size, const char* file, unsigned line) {
  DebugHeap* h = as_debug(base);
  UseScope scope(h);
  if (p == nullptr) return alloc_locked(h, size, file, line, nullptr, 0);
  DebugBlock* old = checked_block(h, p, "realloc", file, line);
  // In place when the new size needs the same inner block (same bin, same page count: a
  // string growing by appends), as the native heap's realloc: the canary moves, the site
  // becomes the realloc's, the original site is kept.
  std::size_t overhead = h->stack_bytes + sizeof(DebugBlock) + sizeof kCanary;
  std::size_t inner_size = native_block_size(h->inner, raw_of(h, old));
  std::size_t wanted = size + overhead;
  std::size_t wanted_block = wanted <= kMaxSmallSize ? kBinSize[size_to_bin(wanted)] : (wanted + kPageSize - 1) & ~(kPageSize - 1);
  if (size <= SIZE_MAX - overhead && wanted_block == inner_size) {
    if (old->orig_file == nullptr) {
      old->orig_file = old->file;
      old->orig_line = old->line;
    }
    old->file = file;
    old->line = line;
    old->size = size;
    std::memcpy(user_of(old) + size, &kCanary, sizeof kCanary);
    return p;
  }
  const char* orig_file = old->orig_file != nullptr ? old->orig_file : old->file;
  unsigned orig_line = old->orig_file != nullptr ? old->orig_line : old->line;
  void* q = alloc_locked(h, size, file, line, orig_file, orig_line);
  std::memcpy(q, p, old->size < size ? old->size : size);
  free_locked(h, old, file, line);
  return q;
}

std::size_t debug_block_size(zmem_heap* base, const void* p) {
  DebugHeap* h = as_debug(base);
  UseScope scope(h);
  return checked_block(h, p, "block_size", nullptr, 0)->size;
}

bool debug_owns(const zmem_heap* base, const void* p) {
  auto* h = const_cast<DebugHeap*>(as_debug(base));
  DebugBlock* b = block_of(p);
  auto a = reinterpret_cast<std::uintptr_t>(p);
  if ((a & 7) != 0 || !native_owns(h->inner, raw_of(h, b)) || !native_owns(h->inner, b)) return false;
#if defined(__SANITIZE_ADDRESS__)
  if (__asan_region_is_poisoned(b, sizeof(DebugBlock)) != nullptr) return false;
#endif
  return b->guard == guard_for(b) && b->state == BlockState::live;
}

std::size_t debug_report_leaks(zmem_heap* base, void* out) {
  DebugHeap* h = as_debug(base);
  if (h->live_count == 0) return 0;
  auto* file = static_cast<FILE*>(out);
  // Fold every leak of one site into its first report, as PHP's leak check does.
  std::vector<DebugBlock*> firsts;
  std::vector<std::size_t> repeats;
  for (DebugBlock* b = h->live_first; b != nullptr; b = b->next) {
    std::size_t i = 0;
    while (i < firsts.size() && !same_site(firsts[i], b)) ++i;
    if (i == firsts.size()) {
      firsts.push_back(b);
      repeats.push_back(0);
    } else {
      repeats[i]++;
    }
  }
  std::fprintf(file, "zmem heap #%u: memory leaks at request end\n", h->id);
  for (std::size_t i = 0; i < firsts.size(); ++i) {
    DebugBlock* b = firsts[i];
    std::fprintf(file, "%s(%u) :  Freeing 0x%016" PRIxPTR " (%zu bytes)\n", b->file ? b->file : "[unknown]", b->line,
                 reinterpret_cast<std::uintptr_t>(user_of(b)), b->size);
    if (b->orig_file != nullptr) {
      std::fprintf(file, "%s(%u) : Originally allocated here (reallocated since)\n", b->orig_file, b->orig_line);
    }
    if (b->frames != 0) platform::print_stack(file, stack_of(b), static_cast<int>(b->frames));
    if (repeats[i] != 0) std::fprintf(file, "Last leak repeated %zu time%s\n", repeats[i], repeats[i] > 1 ? "s" : "");
  }
  std::fprintf(file, "=== Total %zu memory leaks detected ===\n", h->live_count);
  std::fflush(file);
  return h->live_count;
}

void debug_reset(zmem_heap* base, bool silent) {
  DebugHeap* h = as_debug(base);
  UseScope scope(h);
  for (DebugBlock* b = h->quarantine_first; b != nullptr; b = b->next) check_fill(h, b);
  for (DebugBlock* b = h->live_first; b != nullptr; b = b->next) check_live(h, b);
  if (!silent) debug_report_leaks(h, stderr);
  h->live_first = h->live_last = nullptr;
  h->live_count = 0;
  h->quarantine_first = h->quarantine_last = nullptr;
  h->quarantine_count = 0;
  h->quarantine_bytes = 0;
  h->quarantine_inner_bytes = 0;
  native_reset(h->inner);
  h->peak = 0;
  sync_figures(h);
}

std::size_t debug_trim(zmem_heap* base) {
  DebugHeap* h = as_debug(base);
  UseScope scope(h);
  drain_quarantine(h);
  std::size_t released = native_trim(h->inner);
  sync_figures(h);
  return released;
}

int debug_set_limit(zmem_heap* base, std::size_t limit) {
  DebugHeap* h = as_debug(base);
  if (limit != 0 && limit < h->inner->real_size) {
    native_release_caches(h->inner);
    if (limit < h->inner->real_size) return -1;
  }
  h->inner->limit = h->limit = limit;
  sync_figures(h);
  return 0;
}

void debug_stats(zmem_heap* base, zmem_heap_stats* out) {
  DebugHeap* h = as_debug(base);
  native_stats(h->inner, out);
}

}  // namespace zmem::detail
