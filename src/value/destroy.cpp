// Freeing payloads whose refcount reached zero, without recursion.
// Counterpart: rc_dtor_func, zend_array_destroy, zend_hash_destroy,
// zend_reference_destroy (Zend/zend_variables.c, Zend/zend_hash.c).
//
// PHP frees nested arrays recursively (a deep enough nesting overflows the C
// stack); here the same depth-first order is kept on an explicit stack of
// dying containers, linked through fields the dead payloads no longer need,
// so freeing never recurses and never allocates.
// Invariants: a stacked payload has refcount 0 and is on the stack once; the
// elements past its cursor are still owned.  Strings and resources own no
// values and are freed on the spot.
#include <cstdlib>
#include <cstring>

#include "value/hash_internal.hpp"
#include "zmem/object.hpp"
#include "zmem/resource.hpp"

namespace zmem {
namespace detail {

constinit thread_local PossibleRootHook possible_root_hook = nullptr;
thread_local RootRemovalHook root_removal_hook = nullptr;

namespace {

// Destruction is depth-first in element order, exactly as PHP's recursive
// zend_array_destroy / zend_object_std_dtor: element i's payload, and
// everything that dies with it, is gone before element i+1 is touched
// (destructors run in that order).  The recursion's stack is threaded through
// the dying containers themselves: an array being emptied keeps its cursor in
// internal_pointer and the link to the container below it in
// next_free_element; an object keeps its slot cursor in gc.refcount (0 when
// it starts: it is dead) and its link in `dynamic` (its dynamic properties
// were handed over as an array of their own, stacked above it, so they go
// first as in PHP); a reference needs no cursor and links through its
// `sources` field.  So freeing needs no memory.

void set_link(GcHeader* p, GcHeader* next) noexcept {
  switch (p->type()) {
    case kReference: reinterpret_cast<Reference*>(p)->sources = next; break;
    case kObject: reinterpret_cast<Object*>(p)->dynamic = reinterpret_cast<HashTable*>(next); break;
    default: std::memcpy(&reinterpret_cast<HashTable*>(p)->next_free_element, &next, sizeof next); break;
  }
}

GcHeader* get_link(GcHeader* p) noexcept {
  GcHeader* next;
  switch (p->type()) {
    case kReference: next = static_cast<GcHeader*>(reinterpret_cast<Reference*>(p)->sources); break;
    case kObject: next = reinterpret_cast<GcHeader*>(reinterpret_cast<Object*>(p)->dynamic); break;
    default: std::memcpy(&next, &reinterpret_cast<HashTable*>(p)->next_free_element, sizeof next); break;
  }
  return next;
}

struct Pending {
  GcHeader* top = nullptr;
  void push(GcHeader* p) noexcept {
    set_link(p, top);
    top = p;
  }
  void pop() noexcept { top = get_link(top); }
};

inline void free_string(String* s) noexcept { value_free(s, s->gc.persistent()); }

inline void release_key(String* key) noexcept {
  if (key != nullptr && !key->interned() && --key->gc.refcount == 0) free_string(key);
}

void push_table(Pending& q, HashTable* ht) noexcept {
  if (ht->has_iterators()) iterators_poison(ht);
  ht->internal_pointer = 0;
  q.push(&ht->gc);
}

/// A container whose refcount reached zero starts dying: out of the root buffer, an
/// object's destructor (which may resurrect it), then onto the stack with cursor 0.
void start(Pending& q, GcHeader* p) noexcept {
  switch (p->type()) {
    case kArray:
      if (p->gc_address() != 0 && root_removal_hook != nullptr) root_removal_hook(p);
      push_table(q, reinterpret_cast<HashTable*>(p));
      return;
    case kObject: {
      if (p->gc_address() != 0 && root_removal_hook != nullptr) root_removal_hook(p);
      auto* o = reinterpret_cast<Object*>(p);
      if (!object_prepare_free(o)) return;
      object_call_free(o);
      HashTable* dynamic = o->dynamic;
      o->gc.refcount = 0;  // the slot cursor from here on
      q.push(p);           // overwrites `dynamic` with the link
      if (dynamic != nullptr) push_table(q, dynamic);  // released first, as PHP does
      return;
    }
    case kReference:
      q.push(p);
      return;
    default:
      std::fprintf(stderr, "zmem: cannot free a payload of GC type %u at %p\n", p->type(), static_cast<void*>(p));
      std::abort();
  }
}

inline void release_child(Pending& q, const Zval& v) noexcept {
  if (!v.is_refcounted()) return;
  GcHeader* p = v.counted();
  if (--p->refcount != 0) {
    release_nonzero(p);
  } else if (p->type() == kString) {
    free_string(reinterpret_cast<String*>(p));
  } else if (p->type() == kResource) {
    resource_free(reinterpret_cast<Resource*>(p));  // owns no values: nothing to stack
  } else {
    start(q, p);
  }
}

/// Releases element `i` of a table whose destructor is not zval_ptr_dtor (a host's own, or
/// none): the value through the destructor, then its key.
void release_element(HashTable* ht, std::uint32_t i) noexcept {
  Zval* val = ht->is_packed() ? &ht->packed[i] : &ht->data[i].val;
  if (val->is_undef()) return;
  if (ht->destructor != nullptr) ht->destructor(val);
  // Static keys (integers and interned strings only) need no release: the
  // loop then never reads a key, which also lets a table's owner free its
  // interned keys before destroying it (interned.cpp does).
  if (!ht->is_packed() && (ht->flags & kHashStaticKeys) == 0) release_key(ht->data[i].key);
}

// The loops of release_elements for tables whose destructor is zval_ptr_dtor: a value that
// owns nothing costs a test and no call, as in PHP's zend_array_destroy.  Each returns the
// cursor after the last element released: n, or earlier when a release pushed a dying
// container (only a refcounted value's release can).  The storage is read through a local
// pointer, as zend_hash_destroy does: a table being destroyed must not be written by the
// destructors it runs (a table they may reach is emptied element by element first, as
// zmem-run does with PHP's graceful reverse destroy of the symbol table).

std::uint32_t release_packed_values(Pending& q, HashTable* ht, std::uint32_t i, std::uint32_t n) noexcept {
  GcHeader* const top = q.top;
  const Zval* const base = ht->packed;
  for (const Zval *v = base + i, *end = base + n; v != end; ++v) {
    if (!v->is_refcounted()) continue;
    release_child(q, *v);
    if (q.top != top) return static_cast<std::uint32_t>(v - base) + 1;
  }
  return n;
}

/// kKeys: the keys are not static, and each live element's key is released after its value.
template <bool kKeys>
std::uint32_t release_bucket_values(Pending& q, HashTable* ht, std::uint32_t i, std::uint32_t n) noexcept {
  GcHeader* const top = q.top;
  const Bucket* const base = ht->data;
  for (const Bucket *b = base + i, *end = base + n; b != end; ++b) {
    if (b->val.is_refcounted()) {
      release_child(q, b->val);
      if (q.top != top) {
        if constexpr (kKeys) release_key(b->key);
        return static_cast<std::uint32_t>(b - base) + 1;
      }
    } else if (b->val.is_undef()) {
      continue;  // a hole: its key went when it was deleted
    }
    if constexpr (kKeys) release_key(b->key);
  }
  return n;
}

/// Releases ht's elements from its cursor (internal_pointer) on, until the end or until a
/// release pushed a dying container on q, which is finished before the next element (depth
/// first).  Returns true at the end.
bool release_elements(Pending& q, HashTable* ht) noexcept {
  if (ht->is_uninitialized()) return true;
  GcHeader* const top = q.top;
  std::uint32_t i = ht->internal_pointer;
  const std::uint32_t n = ht->num_used;
  if (ht->destructor == &zval_ptr_dtor) {
    if (ht->is_packed()) i = release_packed_values(q, ht, i, n);
    else if ((ht->flags & kHashStaticKeys) != 0) i = release_bucket_values<false>(q, ht, i, n);
    else i = release_bucket_values<true>(q, ht, i, n);
  } else {
    while (i < n) release_element(ht, i++);  // a host's destructor frees through its own calls
  }
  ht->internal_pointer = i;
  return i == n && q.top == top;
}

void free_table_data(HashTable* ht) noexcept {
  if (!ht->is_uninitialized()) value_free(data_block(ht), ht->persistent());
}

void drain(Pending& q) noexcept {
  while (GcHeader* p = q.top) {
    if (p->type() == kReference) {
      q.pop();
      auto* r = reinterpret_cast<Reference*>(p);
      Zval inner = r->val;
      value_free(r, false);
      release_child(q, inner);
      continue;
    }
    if (p->type() == kObject) {
      auto* o = reinterpret_cast<Object*>(p);
      Zval* slots = o->slots();
      const std::uint32_t n = o->num_slots();
      // Slots are released in order; the loop leaves as soon as a release pushed
      // something, which is finished before the next slot (depth first).
      while (o->gc.refcount < n && q.top == p) release_child(q, slots[o->gc.refcount++]);
      if (q.top != p) continue;
      q.pop();
      object_free_memory(o);
      continue;
    }
    auto* ht = reinterpret_cast<HashTable*>(p);
    if (!release_elements(q, ht)) continue;  // something died with an element: it goes first
    q.pop();
    free_table_data(ht);
    value_free(ht, ht->persistent());
  }
}

}  // namespace

void destroy_refcounted(GcHeader* p) noexcept {
  if (p->type() == kString) {
    free_string(reinterpret_cast<String*>(p));
    return;
  }
  if (p->type() == kResource) {
    resource_free(reinterpret_cast<Resource*>(p));
    return;
  }
  Pending q;
  start(q, p);
  drain(q);
}

void destroy_table_contents(HashTable* ht) noexcept {
  if (ht->has_iterators()) iterators_poison(ht);
  Pending q;
  ht->internal_pointer = 0;  // the cursor, as for a table on the stack
  while (!release_elements(q, ht)) drain(q);
  free_table_data(ht);
}

}  // namespace detail

void zval_ptr_dtor(Zval* z) noexcept { ptr_dtor(*z); }

void hash_destroy(HashTable* ht) noexcept {
  detail::destroy_table_contents(ht);
  ht->flags = kHashUninitialized;
  ht->table_mask = kHashMinMask;
  ht->data = detail::uninitialized_data();
  ht->num_used = 0;
  ht->num_elements = 0;
  ht->internal_pointer = 0;
}

void array_destroy(HashTable* ht) noexcept {
  detail::destroy_table_contents(ht);
  detail::value_free(ht, ht->persistent());
}

}  // namespace zmem
