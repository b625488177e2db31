// Arrays: refcounted tables with copy-on-write, and PHP's array statements on
// variable slots.
// Counterpart: _zend_new_array, zend_array_dup (+ zend_array_dup_value),
// zend_empty_array (Zend/zend_hash.c); zend_fetch_dimension_address_inner_W,
// ZEND_ASSIGN_DIM / UNSET_DIM / ASSIGN_DIM_REF (Zend/zend_execute.c).
// Invariants: a table returned by new_array or array_dup has refcount 1 and
// destructor zval_ptr_dtor; the empty array is never written (its refcount
// stays 2, so every writer separates it first).
#include <cstring>

#include "value/hash_internal.hpp"

namespace zmem {
namespace {

HashTable* alloc_table() {
  return static_cast<HashTable*>(detail::value_alloc(sizeof(HashTable), false));
}

// zend_array_dup_value: a reference only the source holds becomes a plain
// value in the copy (unless it points back at the source array itself).
inline void dup_value(const HashTable* source, const Zval* from, Zval* to) noexcept {
  if (from->is_reference() && from->ref()->gc.refcount == 1) {
    const Zval* inner = &from->ref()->val;
    if (!(inner->is_array() && inner->arr() == source)) from = inner;
  }
  to->copy_value_from(*from);
  addref(*from);
}

Key normalize(Key k) noexcept {
  std::int64_t idx;
  if (k.is_string && numeric_key(k.name, &idx)) return Key(idx);
  return k;
}

Zval* find_key(const HashTable* ht, Key k) noexcept {
  k = normalize(k);
  return k.is_string ? hash_str_find(ht, k.name) : hash_index_find(ht, static_cast<std::uint64_t>(k.index));
}

// The array a write through `arr` goes to, separated; creates it from
// undef / null / false as PHP does.
HashTable* prepare_write(Zval& arr, bool append) {
  Zval* c = deref(&arr);
  switch (c->type()) {
    case kArray:
      separate_array(*c);
      return c->arr();
    case kUndef:
    case kNull:
    case kFalse:  // PHP 8.1+ also emits "Automatic conversion of false to array is deprecated"
      c->set_array(new_array());
      return c->arr();
    case kString:
      throw ValueError(append ? "[] operator not supported for strings"
                              : "zmem values do not support string offsets");
    default:
      throw ValueError("Cannot use a scalar value as an array");
  }
}

[[noreturn]] void next_element_occupied() {
  throw ValueError("Cannot add element to the array as the next element is already occupied");
}

}  // namespace

HashTable* new_array(std::uint32_t size) {
  HashTable* ht = alloc_table();
  hash_init(ht, size, &zval_ptr_dtor, false);
  return ht;
}

HashTable* empty_array() noexcept {
  static HashTable empty = [] {
    HashTable ht;
    hash_init(&ht, 0, &zval_ptr_dtor, false);
    ht.gc.refcount = 2;
    ht.gc.type_info = kGcArray | kArrayImmutable;
    ht.next_free_element = 0;  // PHP 8.2's zend_empty_array; 8.3 changed it to ZEND_LONG_MIN
    return ht;
  }();
  return &empty;
}

HashTable* array_dup(HashTable* source) {
  HashTable* t = alloc_table();
  t->gc.refcount = 1;
  t->gc.type_info = kGcArray;
  t->reserved0 = 0;
  t->iterators_count = 0;
  t->reserved1 = 0;
  t->destructor = &zval_ptr_dtor;
  t->next_free_element = source->next_free_element;
  if (source->num_elements == 0) {
    t->flags = kHashUninitialized;
    t->table_mask = kHashMinMask;
    t->data = detail::uninitialized_data();
    t->num_used = 0;
    t->num_elements = 0;
    t->table_size = kHashMinSize;
    t->internal_pointer = 0;
    return t;
  }
  t->table_size = source->table_size;
  t->num_elements = source->num_elements;
  t->internal_pointer = source->internal_pointer < source->num_used ? source->internal_pointer : 0;
  if (source->is_packed()) {
    t->flags = kHashPacked | kHashStaticKeys;
    t->table_mask = kHashMinMask;
    auto* block = static_cast<char*>(detail::value_alloc(detail::packed_block_bytes(t->table_size), false));
    auto* slots = reinterpret_cast<std::uint32_t*>(block);
    slots[0] = kInvalidIndex;
    slots[1] = kInvalidIndex;
    t->data = reinterpret_cast<Bucket*>(block + 2 * sizeof(std::uint32_t));
    t->num_used = source->num_used;
    // A value that owns nothing (holes included) is copied as its 16 bytes, without
    // dup_value's tests (u2, unused in packed slots, comes along: memcpy, as it may be unset).
    Zval* to = t->packed;
    for (const Zval *from = source->packed, *end = from + source->num_used; from != end; ++from, ++to) {
      if (from->is_refcounted()) dup_value(source, from, to);
      else std::memcpy(static_cast<void*>(to), from, sizeof(Zval));
    }
    return t;
  }
  t->flags = source->flags & kHashStaticKeys;
  t->table_mask = source->table_mask;
  auto* block = static_cast<char*>(detail::value_alloc(detail::mixed_block_bytes(t->table_size), false));
  t->data = reinterpret_cast<Bucket*>(block + detail::hash_part_bytes(t->table_mask));
  std::memset(block, 0xff, detail::hash_part_bytes(t->table_mask));
  // Holes are squeezed out as PHP does, except when registered iterators
  // point into the source: then positions are kept so they carry over to the
  // copy (see hash_iterator_pos).
  bool keep_holes = source->has_iterators();
  bool static_keys = (source->flags & kHashStaticKeys) != 0;
  std::uint32_t j = 0;
  std::uint32_t internal = kInvalidIndex;
  for (std::uint32_t i = 0; i < source->num_used; ++i) {
    const Bucket* b = source->data + i;
    Bucket* d = t->data + j;
    if (b->val.is_undef()) {
      if (keep_holes) {
        d->val.set_undef();
        d->h = 0;
        d->key = nullptr;
        ++j;
      }
      continue;
    }
    if (internal == kInvalidIndex && i >= t->internal_pointer) internal = j;
    dup_value(source, &b->val, &d->val);
    d->h = b->h;
    d->key = b->key;
    if (!static_keys && d->key != nullptr) string_copy(d->key);
    std::uint32_t& slot = detail::hash_slot(t, static_cast<std::uint32_t>(d->h) | t->table_mask);
    d->val.u2 = slot;
    slot = j;
    ++j;
  }
  t->num_used = j;
  t->internal_pointer = internal == kInvalidIndex ? j : internal;
  return t;
}

// ---- PHP statements on variable slots ------------------------------------------

const Zval* array_get(const Zval& arr, Key k) noexcept {
  const Zval* c = deref(&arr);
  if (!c->is_array()) return nullptr;
  const Zval* z = find_key(c->arr(), k);
  return z == nullptr ? nullptr : deref(z);
}

Zval* array_fetch_write(Zval& arr, Key k) {
  HashTable* ht = prepare_write(arr, false);
  k = normalize(k);
  if (k.is_string) return hash_str_lookup(ht, k.name);
  return hash_index_lookup(ht, static_cast<std::uint64_t>(k.index));
}

Zval* array_fetch_append(Zval& arr) {
  HashTable* ht = prepare_write(arr, true);
  Zval null;
  null.set_null();
  Zval* slot = hash_next_index_insert(ht, &null);
  if (slot == nullptr) next_element_occupied();
  return slot;
}

void array_set(Zval& arr, Key k, const Zval& v) {
  Zval fresh;  // copied before anything moves: v may live inside arr
  copy_deref(fresh, v);
  Zval* slot;
  try {
    slot = array_fetch_write(arr, k);
  } catch (...) {
    ptr_dtor(fresh);
    throw;
  }
  Zval* target = deref(slot);
  Zval old;
  old.copy_value_from(*target);
  target->copy_value_from(fresh);
  ptr_dtor(old);
}

void array_push(Zval& arr, const Zval& v) {
  Zval fresh;
  copy_deref(fresh, v);
  try {
    HashTable* ht = prepare_write(arr, true);
    if (hash_next_index_insert(ht, &fresh) == nullptr) next_element_occupied();
  } catch (...) {
    ptr_dtor(fresh);
    throw;
  }
}

void array_unset(Zval& arr, Key k) {
  Zval* c = deref(&arr);
  switch (c->type()) {
    case kArray:
      break;
    case kUndef:
    case kNull:
      return;
    case kString:
      throw ValueError("Cannot unset string offsets");
    default:
      throw ValueError("Cannot unset offset in a non-array variable");
  }
  separate_array(*c);
  k = normalize(k);
  if (k.is_string) {
    hash_str_del(c->arr(), k.name);
  } else {
    hash_index_del(c->arr(), static_cast<std::uint64_t>(k.index));
  }
}

void array_bind_ref(Zval& arr, Key k, Zval& var) {
  Zval* slot = array_fetch_write(arr, k);
  Reference* r = make_reference(*slot);
  ++r->gc.refcount;
  Zval old;
  old.copy_value_from(var);
  var.set_reference(r);
  ptr_dtor(old);  // may free arr's table (`$a = &$a[0]`): r is counted already
}

void array_set_ref(Zval& arr, Key k, Zval& var) {
  Reference* r = make_reference(var);
  ++r->gc.refcount;
  Zval* slot;
  try {
    slot = array_fetch_write(arr, k);
  } catch (...) {
    detail::release(&r->gc);
    throw;
  }
  Zval old;
  old.copy_value_from(*slot);
  slot->set_reference(r);
  ptr_dtor(old);
}

}  // namespace zmem
