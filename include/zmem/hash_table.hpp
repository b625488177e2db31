// zmem::HashTable — PHP 8.2's ordered hash table (zend_array), rebuilt.
//
// WHAT IT IS
// ----------
// The one container of the PHP language: an ordered map whose keys are 64-bit
// integers or byte strings, holding zvals.  It serves as PHP's `array` (then
// it is refcounted, copy-on-write, and its destructor is zval_ptr_dtor) and as
// the engine's symbol tables (function table, interned strings, ...).
//
// HOW IT DIFFERS FROM std::unordered_map / std::map
// --------------------------------------------------
//  * Insertion order is the iteration order, always: it survives deletion,
//    growth and rehash.  Elements live in one dense array in insertion order;
//    the hash index only points into it.
//  * Deletion leaves a hole (an undef zval) instead of moving anything, so
//    positions stay stable while a loop runs; holes are squeezed out only when
//    the table is full ("compaction"), and every registered iterator is moved
//    along with its element.
//  * Two representations.  A *packed* table is a plain zval vector indexed by
//    the integer key (`[1, 2, 3]`, `$a[] = x`): no keys, no hash, 16 bytes a
//    slot.  Any string key, or an integer that would break the order, turns it
//    into a *hash* table of buckets.  Tables never shrink and never turn back.
//  * Pointer stability: a Zval* into the table stays valid until the next
//    insertion (which may grow or compact) or deletion of that element.
//  * String keys that look like canonical decimal integers ("12", "-3", but
//    not "012", "-0", "1.0", " 1") are integer keys when PHP code writes them:
//    the symtable_* functions apply that rule; the hash_* functions take keys
//    as given (as zend_hash_* do).
//
// LAYOUT (x86-64; identical to PHP 8.2, sizes in bytes)
// ------------------------------------------------------
//
//   struct HashTable {            // 56
//     GcHeader gc;                //  8  refcount, GC type/flags/info
//     uint8    flags;             //  1  kHashPacked | kHashUninitialized | kHashStaticKeys
//     uint8    reserved0;         //  1
//     uint8    iterators_count;   //  1  registered iterators, saturating at 255
//     uint8    reserved1;         //  1
//     uint32   table_mask;        //  4  -(number of hash slots), as uint32
//     Bucket*  data / Zval* packed//  8  points *after* the hash slots
//     uint32   num_used;          //  4  slots used, holes included
//     uint32   num_elements;      //  4  live elements
//     uint32   table_size;        //  4  capacity in slots (power of two, >= 8)
//     uint32   internal_pointer;  //  4  PHP's current() position
//     int64    next_free_element; //  8  key of the next `$a[] =` (INT64_MIN: none yet)
//     DtorFn   destructor;        //  8  called on every value removed or left at destroy
//   };
//   struct Bucket { Zval val; uint64 h; String* key; };   // 32; key == null: integer key h
//
// One allocation holds the hash slots and the data, the slots *before* the
// data, so one pointer reaches both (slot i is at ((uint32*)data)[-1 - i]):
//
//   hash table, table_size = 8, table_mask = -16
//   +-------------------------------+---------------------------------------+
//   | uint32 slot[16]  (64 bytes)   | Bucket[8]  (256 bytes)                |
//   +-------------------------------+---------------------------------------+
//                                   ^ data
//   A slot holds the index of the newest bucket whose hash maps to it, or
//   kInvalidIndex; buckets of one slot are chained through val.u2 (newer to
//   older).  slot index = (int32)(h | table_mask): the mask is negative, so
//   OR-ing it keeps the low bits and gives a negative offset from data.
//   Twice as many slots as buckets keeps chains short: 40 bytes per element.
//
//   packed table, table_size = 8
//   +------------------+----------------------------------------------------+
//   | uint32 slot[2]   | Zval[8]  (128 bytes): the value of key i at [i]     |
//   +------------------+----------------------------------------------------+
//   Both slots are kInvalidIndex and table_mask is -2, so a string lookup in a
//   packed table walks an empty chain without a special case: 16 bytes per element.
//
//   A table that was never written (kHashUninitialized) points data at a
//   static pair of invalid slots; the first write allocates packed (integer key
//   below table_size) or hash.
//
// INVARIANTS
//   num_elements <= num_used <= table_size;  slots [num_used, table_size) are
//   unused; slot num_used - 1 is live unless num_used == 0 (deleting the last
//   element walks num_used back over trailing holes);  in a packed table the
//   key of slot i is i;  next_free_element > every live integer key, and it
//   never decreases except in PHP 8.2's packed quirk, kept: writing key h
//   (>= num_used) into a packed table sets it to h + 1 even if it was higher.
//
// GROWTH (when num_used == table_size and a new slot is needed)
//   hash:   more than 1/32 holes -> rehash in place (compaction, order kept);
//           otherwise double table_size, copy the buckets, rebuild the index.
//   packed: integer key k >= table_size: if k/2 < table_size and more than
//           half the slots are live, double (realloc); else convert to hash.
//           A key below num_used that falls on a hole converts to hash too
//           (a packed table cannot insert in the middle of the order).
//
// ITERATION
//   Positions are slot indices; skip undef slots.  A position held in a local
//   variable survives nothing; one registered with hash_iterator_add (PHP's
//   HashTableIterator, used by foreach by reference) survives insertion,
//   deletion (it moves to the next live element) and compaction (it moves
//   with its element); hash_iterator_pos re-targets it when the array was
//   separated (copy-on-write) in the meantime.
//
// COSTS
//   Integer lookup in a packed table: one compare and a load.  Hash lookup:
//   one slot load plus one bucket per chain step (1.2 on average at full load).
//   Appending to a packed table with room: about ten instructions, inline.
//
// Counterpart: Zend/zend_hash.h, Zend/zend_hash.c, zend_array in zend_types.h.
// Thread rule: a table belongs to one thread (heap) at a time, like its heap.
#pragma once

#include "string.hpp"

// Exported from libzmem.so although the library builds with -fvisibility=hidden:
// inline code in this header calls these functions (zmem::detail ones too).
#pragma GCC visibility push(default)

namespace zmem {

struct Bucket {
  Zval val;
  std::uint64_t h;
  String* key;
};
static_assert(sizeof(Bucket) == 32, "Bucket is 32 bytes");

using DtorFn = void (*)(Zval*);
using HashPosition = std::uint32_t;

inline constexpr std::uint8_t kHashPacked = 1u << 2;
inline constexpr std::uint8_t kHashUninitialized = 1u << 3;
inline constexpr std::uint8_t kHashStaticKeys = 1u << 4;  // only integer or interned keys
inline constexpr std::uint32_t kInvalidIndex = 0xffffffffu;
inline constexpr std::uint32_t kHashMinMask = 0xfffffffeu;  // -2
inline constexpr std::uint32_t kHashMinSize = 8;
inline constexpr std::uint32_t kHashMaxSize = 0x40000000u;
inline constexpr std::int64_t kLongMin = INT64_MIN;
inline constexpr std::int64_t kLongMax = INT64_MAX;
inline constexpr std::uint8_t kIteratorsOverflow = 0xff;

struct HashTable {
  GcHeader gc;
  std::uint8_t flags;
  std::uint8_t reserved0;
  std::uint8_t iterators_count;
  std::uint8_t reserved1;
  std::uint32_t table_mask;
  union {
    Bucket* data;
    Zval* packed;
  };
  std::uint32_t num_used;
  std::uint32_t num_elements;
  std::uint32_t table_size;
  std::uint32_t internal_pointer;
  std::int64_t next_free_element;
  DtorFn destructor;

  bool is_packed() const noexcept { return (flags & kHashPacked) != 0; }
  bool is_uninitialized() const noexcept { return (flags & kHashUninitialized) != 0; }
  bool persistent() const noexcept { return gc.persistent(); }
  bool has_iterators() const noexcept { return iterators_count != 0; }
  std::uint32_t size() const noexcept { return num_elements; }
};
static_assert(sizeof(HashTable) == 56, "zend_array is 56 bytes");

/// ZVAL_PTR_DTOR, the destructor of every PHP array: ptr_dtor on the value.
void zval_ptr_dtor(Zval* z) noexcept;

namespace detail {
/// HT_HASH_EX: hash slot `index` (a negative int32) before data.
inline std::uint32_t& hash_slot(const HashTable* ht, std::uint32_t index) noexcept {
  return reinterpret_cast<std::uint32_t*>(ht->data)[static_cast<std::int32_t>(index)];
}
inline std::uint32_t first_index(const HashTable* ht, std::uint64_t h) noexcept {
  return hash_slot(ht, static_cast<std::uint32_t>(h) | ht->table_mask);
}
Zval* next_index_insert_slow(HashTable* ht, const Zval* v);
}  // namespace detail

// ---- lifecycle ---------------------------------------------------------------
/// zend_hash_init: an empty, uninitialized table (no memory yet) of at least
/// `size` slots once written.  persistent: persistent memory (the table then
/// must hold no request data).  Refcount 1.
void hash_init(HashTable* ht, std::uint32_t size, DtorFn destructor, bool persistent = false);
/// zend_hash_real_init_packed / _mixed: allocate now (the table must be uninitialized).
void hash_real_init_packed(HashTable* ht);
void hash_real_init_mixed(HashTable* ht);
/// zend_hash_destroy: the destructor on every live value, key strings
/// released, data freed.  The HashTable struct itself is left to the caller.
/// Tables of zvals (destructor == zval_ptr_dtor) are freed iteratively.
void hash_destroy(HashTable* ht) noexcept;
/// zend_hash_clean: removes every element (destructor called), keeps the memory.
void hash_clean(HashTable* ht) noexcept;

// ---- lookup (keys taken as given) ---------------------------------------------
inline Zval* hash_index_find(const HashTable* ht, std::uint64_t h) noexcept {
  if (ht->is_packed()) {
    if (h < ht->num_used && !ht->packed[h].is_undef()) return &ht->packed[h];
    return nullptr;
  }
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    if (b->h == h && b->key == nullptr) return &b->val;
    idx = b->val.u2;
  }
  return nullptr;
}

/// String-key lookup with the key's hash already known (h = string_hash()).
inline Zval* hash_str_find_h(const HashTable* ht, const char* s, std::size_t len, std::uint64_t h) noexcept {
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    if (b->h == h && b->key != nullptr && b->key->len == len && std::memcmp(b->key->val, s, len) == 0) {
      return &b->val;
    }
    idx = b->val.u2;
  }
  return nullptr;
}

inline Zval* hash_find(const HashTable* ht, String* key) noexcept {
  std::uint64_t h = string_hash(key);
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    // Interned keys match by pointer, the common case for engine tables.
    if (b->key == key) return &b->val;
    if (b->h == h && b->key != nullptr && string_equals(b->key, key)) return &b->val;
    idx = b->val.u2;
  }
  return nullptr;
}

inline Zval* hash_str_find(const HashTable* ht, std::string_view s) noexcept {
  return hash_str_find_h(ht, s.data(), s.size(), hash_bytes(s.data(), s.size()));
}

/// zend_hash_str_find_ptr_lc: case-insensitive lookup in a table whose keys are
/// lower case (function and class tables).  Always builds the lower-case copy
/// of `name` on the current heap (freed before returning), found or not.
Zval* hash_find_lc(const HashTable* ht, std::string_view name);

// ---- insertion ---------------------------------------------------------------
// Values are moved in (ZVAL_COPY_VALUE): the table takes over the caller's
// reference.  *_add returns null (and takes nothing) if the key exists;
// *_update replaces an existing value (the old one goes to the destructor);
// *_lookup returns the existing value or a new null one.
Zval* hash_add(HashTable* ht, String* key, const Zval* v);
Zval* hash_update(HashTable* ht, String* key, const Zval* v);
Zval* hash_add_new(HashTable* ht, String* key, const Zval* v);  // key known absent
Zval* hash_lookup(HashTable* ht, String* key);
Zval* hash_str_add(HashTable* ht, std::string_view key, const Zval* v);
Zval* hash_str_update(HashTable* ht, std::string_view key, const Zval* v);
Zval* hash_index_add(HashTable* ht, std::uint64_t h, const Zval* v);
Zval* hash_index_update(HashTable* ht, std::uint64_t h, const Zval* v);
Zval* hash_index_add_new(HashTable* ht, std::uint64_t h, const Zval* v);
Zval* hash_index_lookup(HashTable* ht, std::uint64_t h);

/// zend_hash_next_index_insert: `$a[] = v` at key next_free_element (0 when
/// none yet).  Returns null (nothing taken) when that key is PHP_INT_MAX's
/// successor or already used.  Inline fast path: packed table with room.
inline Zval* hash_next_index_insert(HashTable* ht, const Zval* v) {
  std::uint32_t used = ht->num_used;
  if (ht->is_packed() && used < ht->table_size && ht->next_free_element == static_cast<std::int64_t>(used)) {
    Zval* slot = ht->packed + used;
    slot->copy_value_from(*v);
    ht->num_used = used + 1;
    ht->num_elements++;
    ht->next_free_element = used + 1;
    return slot;
  }
  return detail::next_index_insert_slow(ht, v);
}

// ---- deletion ------------------------------------------------------------------
/// true if the key was there.  The slot becomes a hole before the destructor
/// runs, so a destructor may touch the table.
bool hash_del(HashTable* ht, String* key);
bool hash_str_del(HashTable* ht, std::string_view key);
bool hash_index_del(HashTable* ht, std::uint64_t h);
/// Deletes the element at a live position.
void hash_del_at(HashTable* ht, HashPosition pos);

// ---- symtables: PHP array keys -------------------------------------------------
/// ZEND_HANDLE_NUMERIC_STR: true (and *out set) if s is a canonical decimal
/// integer in int64 range: optional '-', no leading zero, no "-0", no spaces.
bool numeric_key(std::string_view s, std::int64_t* out) noexcept;
inline bool numeric_key_fast_reject(std::string_view s) noexcept {
  return s.empty() || s[0] > '9' || (s[0] < '0' && s[0] != '-');
}
Zval* symtable_find(const HashTable* ht, std::string_view key) noexcept;
Zval* symtable_update(HashTable* ht, std::string_view key, const Zval* v);
bool symtable_del(HashTable* ht, std::string_view key);
/// The element under key, created as null if missing.
Zval* symtable_lookup(HashTable* ht, std::string_view key);
/// zend_hash_str_lookup: the same without the integer rule.
Zval* hash_str_lookup(HashTable* ht, std::string_view key);

// ---- iteration -------------------------------------------------------------------
/// The first live position at or after pos, or num_used (the end).
inline HashPosition hash_next_live(const HashTable* ht, HashPosition pos) noexcept {
  if (ht->is_packed()) {
    while (pos < ht->num_used && ht->packed[pos].is_undef()) ++pos;
  } else {
    while (pos < ht->num_used && ht->data[pos].val.is_undef()) ++pos;
  }
  return pos;
}
/// The value at a live position.
inline Zval* hash_value_at(const HashTable* ht, HashPosition pos) noexcept {
  return ht->is_packed() ? ht->packed + pos : &ht->data[pos].val;
}
/// The key at a live position: *key is null for an integer key (*h set).
inline void hash_key_at(const HashTable* ht, HashPosition pos, std::uint64_t* h, String** key) noexcept {
  if (ht->is_packed()) {
    *h = pos;
    *key = nullptr;
  } else {
    *h = ht->data[pos].h;
    *key = ht->data[pos].key;
  }
}
/// Calls f(h, key, Zval*) for each live element in order.  f must not modify
/// the table (use a registered iterator for that).
template <class F>
void hash_for_each(const HashTable* ht, F&& f) {
  for (HashPosition p = hash_next_live(ht, 0); p < ht->num_used; p = hash_next_live(ht, p + 1)) {
    std::uint64_t h;
    String* key;
    hash_key_at(ht, p, &h, &key);
    f(h, key, hash_value_at(ht, p));
  }
}

/// zend_hash_iterator_add: registers a position that follows its element
/// through insertion, deletion and compaction.  Returns the iterator's index.
std::uint32_t hash_iterator_add(HashTable* ht, HashPosition pos);
/// zend_hash_iterator_pos: the iterator's position in ht; if the iterator was
/// made on another table (ht is a copy made by separation since), it moves
/// to ht at the same position.
HashPosition hash_iterator_pos(std::uint32_t iter, HashTable* ht);
/// Stores a new position (after advancing).
void hash_iterator_set(std::uint32_t iter, HashPosition pos);
/// zend_hash_iterator_del.
void hash_iterator_del(std::uint32_t iter);
/// Number of live registered iterators of this thread (tests).
std::size_t hash_iterators_live() noexcept;

// ---- whole-table operations ------------------------------------------------------
/// zend_hash_rehash: rebuilds the index, squeezing out holes (order kept,
/// iterators moved).
void hash_rehash(HashTable* ht);
/// zend_hash_packed_to_hash.
void hash_packed_to_hash(HashTable* ht);
/// Bytes of the data block (hash slots + buckets or zvals); 0 if uninitialized.
std::size_t hash_data_bytes(const HashTable* ht) noexcept;

}  // namespace zmem
#pragma GCC visibility pop
