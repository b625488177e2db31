// Interned strings: the permanent table (process-wide, persistent memory,
// filled at startup) and each thread's request table (request heap, emptied
// at request end).
// Counterpart: Zend/zend_string.c (interned_strings_permanent,
// CG(interned_strings), zend_new_interned_string, zend_string_init_interned).
// Invariants: every string in either table has kStrInterned, refcount 1 and
// its hash computed; permanent strings also have kStrPersistent and
// kStrPermanent.  A string is in at most one table, and equal bytes are never
// interned twice (the permanent table is searched first).
#include <atomic>
#include <mutex>

#include "value/value.hpp"

namespace zmem {
namespace {

struct PermanentStrings {
  HashTable table;
  String* empty;
  String* chars[256];
};

std::atomic<PermanentStrings*> g_permanent{nullptr};
std::mutex g_permanent_mutex;  // guards creation and shutdown only

String* add_to_table(HashTable* table, String* s, std::uint32_t flags) {
  string_hash(s);
  s->gc.refcount = 1;
  s->gc.type_info |= kStrInterned | flags;
  Zval v;
  v.set_string(s);
  hash_add_new(table, s, &v);
  return s;
}

String* make_permanent(PermanentStrings* p, std::string_view bytes) {
  return add_to_table(&p->table, string_init(bytes, true), kStrPermanent);
}

// Created on first use, so empty_string() works before any startup call.
PermanentStrings* permanent() {
  PermanentStrings* p = g_permanent.load(std::memory_order_acquire);
  if (p != nullptr) return p;
  std::lock_guard<std::mutex> lock(g_permanent_mutex);
  p = g_permanent.load(std::memory_order_relaxed);
  if (p != nullptr) return p;
  p = static_cast<PermanentStrings*>(zmem_persistent_alloc(sizeof(PermanentStrings), __FILE__, __LINE__));
  hash_init(&p->table, 512, nullptr, true);
  p->empty = make_permanent(p, {});
  for (int c = 0; c < 256; ++c) {
    char ch = static_cast<char>(c);
    p->chars[c] = make_permanent(p, std::string_view(&ch, 1));
  }
  g_permanent.store(p, std::memory_order_release);
  return p;
}

struct RequestStrings {
  HashTable table;
  bool active = false;
};
thread_local RequestStrings t_request;

Zval* find_in(const HashTable* t, std::string_view s, std::uint64_t h) noexcept {
  return hash_str_find_h(t, s.data(), s.size(), h);
}

String* find_any(std::string_view s, std::uint64_t h) noexcept {
  if (Zval* z = find_in(&permanent()->table, s, h)) return z->str();
  if (t_request.active) {
    if (Zval* z = find_in(&t_request.table, s, h)) return z->str();
  }
  return nullptr;
}

HashTable* request_table() {
  if (!t_request.active) {
    hash_init(&t_request.table, 0, nullptr, false);
    t_request.active = true;
  }
  return &t_request.table;
}

}  // namespace

String* empty_string() noexcept { return permanent()->empty; }
String* char_string(unsigned char c) noexcept { return permanent()->chars[c]; }

String* intern_permanent(std::string_view s) {
  PermanentStrings* p = permanent();
  if (Zval* z = find_in(&p->table, s, hash_bytes(s.data(), s.size()))) return z->str();
  return make_permanent(p, s);
}

String* intern(String* s) {
  if (s->interned()) return s;
  if (String* found = find_any(s->view(), string_hash(s))) {
    string_release(s);
    return found;
  }
  if (s->gc.refcount > 1 || s->gc.persistent()) {
    // Shared or persistent: intern a request-heap copy, keep s for its owners.
    String* copy = string_init(s->view(), false);
    copy->h = s->h;
    string_release(s);
    s = copy;
  }
  return add_to_table(request_table(), s, 0);
}

String* intern(std::string_view s) {
  std::uint64_t h = hash_bytes(s.data(), s.size());
  if (String* found = find_any(s, h)) return found;
  String* n = string_init(s, false);
  n->h = h;
  return add_to_table(request_table(), n, 0);
}

String* find_interned(std::string_view s) noexcept { return find_any(s, hash_bytes(s.data(), s.size())); }

void interned_strings_request_reset(bool heap_was_reset) noexcept {
  if (!t_request.active) return;
  t_request.active = false;
  if (heap_was_reset) return;  // the memory is gone with the heap
  // The table has no destructor: the strings are freed here, by hand, because
  // string_release never frees an interned string.
  hash_for_each(&t_request.table, [](std::uint64_t, String*, Zval* v) { detail::value_free(v->str(), false); });
  hash_destroy(&t_request.table);
}

std::size_t interned_request_count() noexcept { return t_request.active ? t_request.table.num_elements : 0; }

void interned_strings_shutdown() noexcept {
  std::lock_guard<std::mutex> lock(g_permanent_mutex);
  PermanentStrings* p = g_permanent.exchange(nullptr);
  if (p == nullptr) return;
  hash_for_each(&p->table, [](std::uint64_t, String*, Zval* v) { detail::value_free(v->str(), true); });
  hash_destroy(&p->table);
  zmem_persistent_free(p);
}

}  // namespace zmem
