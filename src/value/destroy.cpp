// Freeing payloads whose refcount reached zero, without recursion.
// Counterpart: rc_dtor_func, zend_array_destroy, zend_hash_destroy,
// zend_reference_destroy (Zend/zend_variables.c, Zend/zend_hash.c).
//
// PHP frees nested arrays recursively (a deep enough nesting overflows the C
// stack); here a payload whose refcount drops to zero while its container is
// being freed is queued instead, and the queue is drained in a loop.  The
// queue costs no memory: it is linked through a field the dead payload no
// longer needs (an array's next_free_element, a reference's sources), so
// freeing can never fail for lack of memory.
// Invariants: a queued payload has refcount 0 and is on the queue once; its
// contents are still owned (released when it is dequeued).  Strings own
// nothing and are freed on the spot.
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

void set_link(GcHeader* p, GcHeader* next) noexcept {
  if (p->type() == kObject) {
    std::memcpy(&reinterpret_cast<Object*>(p)->properties.next_free_element, &next, sizeof next);
  } else if (p->type() == kArray) {
    std::memcpy(&reinterpret_cast<HashTable*>(p)->next_free_element, &next, sizeof next);
  } else {
    reinterpret_cast<Reference*>(p)->sources = next;
  }
}

GcHeader* get_link(GcHeader* p) noexcept {
  GcHeader* next;
  if (p->type() == kObject) {
    std::memcpy(&next, &reinterpret_cast<Object*>(p)->properties.next_free_element, sizeof next);
  } else if (p->type() == kArray) {
    std::memcpy(&next, &reinterpret_cast<HashTable*>(p)->next_free_element, sizeof next);
  } else {
    next = static_cast<GcHeader*>(reinterpret_cast<Reference*>(p)->sources);
  }
  return next;
}

struct Pending {
  GcHeader* head = nullptr;
  void push(GcHeader* p) noexcept {
    set_link(p, head);
    head = p;
  }
  GcHeader* pop() noexcept {
    GcHeader* p = head;
    if (p != nullptr) head = get_link(p);
    return p;
  }
};

inline void free_string(String* s) noexcept { value_free(s, s->gc.persistent()); }

inline void release_key(String* key) noexcept {
  if (key != nullptr && !key->interned() && --key->gc.refcount == 0) free_string(key);
}

inline void release_child(Pending& q, const Zval& v) noexcept {
  if (!v.is_refcounted()) return;
  GcHeader* p = v.counted();
  if (--p->refcount != 0) {
    release_nonzero(p);
  } else if (p->type() == kString) {
    free_string(reinterpret_cast<String*>(p));
  } else if (p->type() == kResource) {
    resource_free(reinterpret_cast<Resource*>(p));  // owns no values: nothing to queue
  } else {
    q.push(p);
  }
}

void release_contents(Pending& q, HashTable* ht) noexcept {
  if (ht->has_iterators()) iterators_poison(ht);
  if (ht->is_uninitialized()) return;
  if (ht->is_packed()) {
    if (ht->destructor == &zval_ptr_dtor) {
      for (std::uint32_t i = 0; i < ht->num_used; ++i) release_child(q, ht->packed[i]);
    } else if (ht->destructor != nullptr) {
      for (std::uint32_t i = 0; i < ht->num_used; ++i) {
        if (!ht->packed[i].is_undef()) ht->destructor(&ht->packed[i]);
      }
    }
  } else {
    // Static keys (integers and interned strings only) need no release: the
    // loop then never reads a key, which also lets a table's owner free its
    // interned keys before destroying it (interned.cpp does).
    bool release_keys = (ht->flags & kHashStaticKeys) == 0;
    for (std::uint32_t i = 0; i < ht->num_used; ++i) {
      Bucket* b = ht->data + i;
      if (b->val.is_undef()) continue;
      if (ht->destructor == &zval_ptr_dtor) {
        release_child(q, b->val);
      } else if (ht->destructor != nullptr) {
        ht->destructor(&b->val);
      }
      if (release_keys) release_key(b->key);
    }
  }
  value_free(data_block(ht), ht->persistent());
}

void drain(Pending& q) noexcept {
  while (GcHeader* p = q.pop()) {
    switch (p->type()) {
      case kArray: {
        auto* ht = reinterpret_cast<HashTable*>(p);
        if (p->gc_address() != 0 && root_removal_hook != nullptr) root_removal_hook(p);
        release_contents(q, ht);
        value_free(ht, ht->persistent());
        break;
      }
      case kReference: {
        auto* r = reinterpret_cast<Reference*>(p);
        Zval inner = r->val;
        value_free(r, false);
        release_child(q, inner);
        break;
      }
      case kObject: {
        // The destructor first (it may resurrect the object); then its properties go
        // through this same queue, so a long chain of objects frees without recursion.
        auto* o = reinterpret_cast<Object*>(p);
        if (p->gc_address() != 0 && root_removal_hook != nullptr) root_removal_hook(p);
        if (!object_prepare_free(o)) break;
        object_call_free(o);
        release_contents(q, &o->properties);
        object_free_memory(o);
        break;
      }
      case kResource:
        resource_free(reinterpret_cast<Resource*>(p));
        break;
      default:
        // Nothing else is refcounted.
        std::fprintf(stderr, "zmem: cannot free a payload of GC type %u at %p\n", p->type(), static_cast<void*>(p));
        std::abort();
    }
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
  q.push(p);
  drain(q);
}

void destroy_table_contents(HashTable* ht) noexcept {
  Pending q;
  release_contents(q, ht);
  drain(q);
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
}

void array_destroy(HashTable* ht) noexcept {
  detail::destroy_table_contents(ht);
  detail::value_free(ht, ht->persistent());
}

}  // namespace zmem
