// The ordered hash table: initialization, insertion, deletion, growth,
// compaction and packed-to-hash conversion.  Layout and policy are described
// in include/zmem/hash_table.hpp.
// Counterpart: Zend/zend_hash.c (_zend_hash_init_int, zend_hash_real_init_*,
// _zend_hash_add_or_update_i, _zend_hash_index_add_or_update_i,
// zend_hash_do_resize, zend_hash_rehash, zend_hash_packed_grow,
// zend_hash_packed_to_hash, _zend_hash_del_el_ex).
// Invariants (kept by every function here): see the header; in addition a
// hash table's chains link each live or dead bucket of [0, num_used) exactly
// once until deletion unlinks it.
#include <algorithm>
#include <cstring>

#include "value/hash_internal.hpp"

namespace zmem {
namespace detail {
namespace {
alignas(8) std::uint32_t g_uninitialized_slots[2] = {kInvalidIndex, kInvalidIndex};
}  // namespace

Bucket* uninitialized_data() noexcept {
  return reinterpret_cast<Bucket*>(g_uninitialized_slots + 2);
}

[[noreturn]] void size_overflow(std::uint32_t n, std::size_t elem, std::size_t extra) {
  char msg[128];
  std::snprintf(msg, sizeof msg, "Possible integer overflow in memory allocation (%u * %zu + %zu)", n, elem, extra);
  throw ValueError(msg);
}

std::uint32_t check_size(std::uint32_t n) {
  if (n <= kHashMinSize) return kHashMinSize;
  if (n >= kHashMaxSize) size_overflow(n, sizeof(Bucket), sizeof(Bucket));
  return 1u << (32 - __builtin_clz(n - 1));
}

}  // namespace detail

namespace {

enum class Mode { kAdd, kUpdate, kAddNew, kAddNext, kLookup };

void fill_invalid(HashTable* ht) noexcept {
  std::memset(detail::data_block(ht), 0xff, detail::hash_part_bytes(ht->table_mask));
}

void link_bucket(HashTable* ht, Bucket* b, std::uint32_t idx) noexcept {
  std::uint32_t& slot = detail::hash_slot(ht, static_cast<std::uint32_t>(b->h) | ht->table_mask);
  b->val.u2 = slot;
  slot = idx;
}

// Relinking a whole table (growth, compaction) writes slots at random over the whole index;
// prefetching the slot of the bucket kLinkAhead places on lets those cache misses overlap (a
// plain loop waits for each).  The loops read the table through locals: they store into
// buckets and slots, which would otherwise make the compiler reload ht->data each time.
constexpr std::uint32_t kLinkAhead = 16;

inline std::uint32_t& slot_for(Bucket* data, std::uint32_t mask, std::uint64_t h) noexcept {
  return reinterpret_cast<std::uint32_t*>(data)[static_cast<std::int32_t>(static_cast<std::uint32_t>(h) | mask)];
}

/// Links the buckets of [from, end) in order, the first at `to`; kHoles: skips dead ones and
/// moves each live one down to its position.  kPrefetch: the caller guarantees that the
/// bucket kLinkAhead places after each one exists.  Returns the position after the last.
template <bool kPrefetch, bool kHoles>
std::uint32_t link_run(Bucket* data, std::uint32_t mask, const Bucket* from, const Bucket* end, std::uint32_t j) noexcept {
  Bucket* to = data + j;
  for (; from != end; ++from) {
    if constexpr (kPrefetch) __builtin_prefetch(&slot_for(data, mask, from[kLinkAhead].h), 1);
    if constexpr (kHoles) {
      if (from->val.is_undef()) continue;
      if (from != to) *to = *from;
    }
    std::uint32_t& slot = slot_for(data, mask, to->h);
    to->val.u2 = slot;
    slot = j++;
    ++to;
  }
  return j;
}

/// link_run over [from, to) of a table with `used` buckets: with the prefetch while a bucket
/// kLinkAhead on exists, without it for the last ones.
template <bool kHoles>
std::uint32_t link_range(HashTable* ht, std::uint32_t from, std::uint32_t to, std::uint32_t j) noexcept {
  Bucket* const data = ht->data;
  const std::uint32_t mask = ht->table_mask;
  const std::uint32_t used = ht->num_used;
  const std::uint32_t last_prefetch = std::clamp(used > kLinkAhead ? used - kLinkAhead : 0u, from, to);
  j = link_run<true, kHoles>(data, mask, data + from, data + last_prefetch, j);
  return link_run<false, kHoles>(data, mask, data + last_prefetch, data + to, j);
}

void do_resize(HashTable* ht) {
  // More than 1/32 holes: squeezing them out makes room without memory.
  if (ht->num_used > ht->num_elements + (ht->num_elements >> 5)) {
    hash_rehash(ht);
    return;
  }
  if (ht->table_size >= kHashMaxSize) detail::size_overflow(ht->table_size * 2, sizeof(Bucket), sizeof(Bucket));
  std::uint32_t size = ht->table_size * 2;
  std::uint32_t mask = 0u - 2 * size;
  bool persistent = ht->persistent();
  auto* block = static_cast<char*>(detail::value_alloc(detail::mixed_block_bytes(size), persistent));
  auto* data = reinterpret_cast<Bucket*>(block + detail::hash_part_bytes(mask));
  std::memcpy(data, ht->data, sizeof(Bucket) * ht->num_used);
  detail::value_free(detail::data_block(ht), persistent);
  ht->data = data;
  ht->table_size = size;
  ht->table_mask = mask;
  hash_rehash(ht);
}

inline void resize_if_full(HashTable* ht) {
  if (ht->num_used >= ht->table_size) do_resize(ht);
}

void packed_grow(HashTable* ht) {
  if (ht->table_size >= kHashMaxSize) detail::size_overflow(ht->table_size * 2, sizeof(Zval), sizeof(Zval));
  std::uint32_t size = ht->table_size * 2;
  auto* block = static_cast<char*>(
      detail::value_realloc(detail::data_block(ht), detail::packed_block_bytes(size), ht->persistent()));
  ht->data = reinterpret_cast<Bucket*>(block + 2 * sizeof(std::uint32_t));
  ht->table_size = size;
}

// Appends a bucket at num_used and links it; the caller ensured room.
inline Bucket* append_bucket(HashTable* ht, std::uint64_t h, String* key) noexcept {
  std::uint32_t idx = ht->num_used++;
  ht->num_elements++;
  Bucket* b = ht->data + idx;
  b->h = h;
  b->key = key;
  link_bucket(ht, b, idx);
  return b;
}

// The new value goes in first, the old one to the destructor afterwards: a
// destructor that looks at the table sees the new value.
void replace_value(HashTable* ht, Zval* slot, const Zval* v) {
  Zval old;
  old.copy_value_from(*slot);
  slot->copy_value_from(*v);
  if (ht->destructor != nullptr) ht->destructor(&old);
}

inline void put_value(Zval* slot, const Zval* v, Mode mode) noexcept {
  if (mode == Mode::kLookup) {
    slot->set_null();
  } else {
    slot->copy_value_from(*v);
  }
}

Bucket* find_index_bucket(const HashTable* ht, std::uint64_t h) noexcept {
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    if (b->h == h && b->key == nullptr) return b;
    idx = b->val.u2;
  }
  return nullptr;
}

Zval* index_insert(HashTable* ht, std::uint64_t h, const Zval* v, Mode mode) {
  if (ht->is_packed()) {
    if (h < ht->num_used) {
      Zval* zv = ht->packed + h;
      if (!zv->is_undef()) {
        if (mode == Mode::kLookup) return zv;
        if (mode != Mode::kUpdate) return nullptr;
        replace_value(ht, zv, v);
        return zv;
      }
      // A hole in the middle: a packed table cannot insert out of order.
      hash_packed_to_hash(ht);
    } else if (h < ht->table_size) {
    add_to_packed:
      Zval* zv = ht->packed + h;
      for (Zval* q = ht->packed + ht->num_used; q < zv; ++q) q->set_undef();
      // PHP 8.2 sets both unconditionally here (even below an earlier maximum).
      ht->num_used = static_cast<std::uint32_t>(h + 1);
      ht->next_free_element = static_cast<std::int64_t>(h + 1);
      ht->num_elements++;
      put_value(zv, v, mode);
      return zv;
    } else if ((h >> 1) < ht->table_size && (ht->table_size >> 1) < ht->num_elements) {
      packed_grow(ht);
      goto add_to_packed;
    } else {
      if (ht->num_used >= ht->table_size) ht->table_size += ht->table_size;
      hash_packed_to_hash(ht);
    }
  } else if (ht->is_uninitialized()) {
    if (h < ht->table_size) {
      hash_real_init_packed(ht);
      goto add_to_packed;
    }
    hash_real_init_mixed(ht);
  } else {
    if (mode != Mode::kAddNew) {
      if (Bucket* b = find_index_bucket(ht, h)) {
        if (mode == Mode::kLookup) return &b->val;
        if (mode != Mode::kUpdate) return nullptr;
        replace_value(ht, &b->val, v);
        return &b->val;
      }
    }
    resize_if_full(ht);
  }
  Bucket* b = append_bucket(ht, h, nullptr);
  if (static_cast<std::int64_t>(h) >= ht->next_free_element) {
    ht->next_free_element = static_cast<std::int64_t>(h) < kLongMax ? static_cast<std::int64_t>(h) + 1 : kLongMax;
  }
  put_value(&b->val, v, mode);
  return &b->val;
}

// key_owned: the caller hands its reference to key over (no addref).
Zval* str_insert(HashTable* ht, String* key, std::uint64_t h, const Zval* v, Mode mode, bool key_owned) {
  if (ht->is_uninitialized()) {
    hash_real_init_mixed(ht);
  } else {
    if (ht->is_packed()) {
      hash_packed_to_hash(ht);
    } else if (mode != Mode::kAddNew) {
      for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
        Bucket* b = ht->data + idx;
        if (b->key == key || (b->h == h && b->key != nullptr && string_equals(b->key, key))) {
          if (key_owned) string_release(key);
          if (mode == Mode::kLookup) return &b->val;
          if (mode != Mode::kUpdate) return nullptr;
          replace_value(ht, &b->val, v);
          return &b->val;
        }
        idx = b->val.u2;
      }
    }
    resize_if_full(ht);  // a converted packed table may be full too
  }
  if (!key->interned()) {
    if (!key_owned) string_copy(key);
    ht->flags &= static_cast<std::uint8_t>(~kHashStaticKeys);
  }
  Bucket* b = append_bucket(ht, h, key);
  put_value(&b->val, v, mode);
  return &b->val;
}

Zval* str_view_insert(HashTable* ht, std::string_view k, const Zval* v, Mode mode) {
  std::uint64_t h = hash_bytes(k.data(), k.size());
  if (Zval* found = hash_str_find_h(ht, k.data(), k.size(), h)) {
    if (mode == Mode::kLookup) return found;
    if (mode != Mode::kUpdate) return nullptr;
    replace_value(ht, found, v);
    return found;
  }
  String* key = string_init(k, ht->persistent());
  key->h = h;
  return str_insert(ht, key, h, v, Mode::kAddNew, true);
}

// Removes the element at idx; prev is the bucket chained just before it
// (null if it heads its chain; ignored for packed tables).
void delete_at(HashTable* ht, std::uint32_t idx, Bucket* prev) {
  Zval* zv;
  String* key = nullptr;
  if (ht->is_packed()) {
    zv = ht->packed + idx;
  } else {
    Bucket* b = ht->data + idx;
    if (prev != nullptr) {
      prev->val.u2 = b->val.u2;
    } else {
      detail::hash_slot(ht, static_cast<std::uint32_t>(b->h) | ht->table_mask) = b->val.u2;
    }
    zv = &b->val;
    key = b->key;
  }
  Zval old;
  old.copy_value_from(*zv);
  zv->set_undef();
  ht->num_elements--;
  if (ht->internal_pointer == idx || ht->has_iterators()) {
    HashPosition next = hash_next_live(ht, idx + 1);
    if (ht->internal_pointer == idx) ht->internal_pointer = next;
    if (ht->has_iterators()) detail::iterators_update(ht, idx, next);
  }
  if (ht->num_used - 1 == idx) {
    do {
      ht->num_used--;
    } while (ht->num_used > 0 && hash_value_at(ht, ht->num_used - 1)->is_undef());
    if (ht->internal_pointer > ht->num_used) ht->internal_pointer = ht->num_used;
    // Registered iterators are deliberately not lowered (PHP 8.2 does not):
    // one left beyond num_used skips elements appended below it, which is
    // what `foreach` by reference prints in PHP 8.2.
  }
  if (key != nullptr) string_release(key);
  if (ht->destructor != nullptr) ht->destructor(&old);
}

}  // namespace

// ---- lifecycle ------------------------------------------------------------------

void hash_init(HashTable* ht, std::uint32_t size, DtorFn destructor, bool persistent) {
  ht->gc.refcount = 1;
  ht->gc.type_info = kGcArray | (persistent ? (kGcPersistent | kGcNotCollectable) : 0);
  ht->flags = kHashUninitialized;
  ht->reserved0 = 0;
  ht->iterators_count = 0;
  ht->reserved1 = 0;
  ht->table_mask = kHashMinMask;
  ht->data = detail::uninitialized_data();
  ht->num_used = 0;
  ht->num_elements = 0;
  ht->table_size = detail::check_size(size);
  ht->internal_pointer = 0;
  ht->next_free_element = kLongMin;
  ht->destructor = destructor;
}

void hash_real_init_packed(HashTable* ht) {
  auto* block = static_cast<char*>(detail::value_alloc(detail::packed_block_bytes(ht->table_size), ht->persistent()));
  auto* slots = reinterpret_cast<std::uint32_t*>(block);
  slots[0] = kInvalidIndex;
  slots[1] = kInvalidIndex;
  ht->data = reinterpret_cast<Bucket*>(block + 2 * sizeof(std::uint32_t));
  ht->table_mask = kHashMinMask;
  ht->flags = kHashPacked | kHashStaticKeys;
}

void hash_real_init_mixed(HashTable* ht) {
  std::uint32_t mask = 0u - 2 * ht->table_size;
  auto* block = static_cast<char*>(detail::value_alloc(detail::mixed_block_bytes(ht->table_size), ht->persistent()));
  ht->table_mask = mask;
  ht->data = reinterpret_cast<Bucket*>(block + detail::hash_part_bytes(mask));
  ht->flags = kHashStaticKeys;
  fill_invalid(ht);
}

void hash_clean(HashTable* ht) noexcept {
  if (ht->is_uninitialized()) return;
  for (HashPosition p = hash_next_live(ht, 0); p < ht->num_used; p = hash_next_live(ht, p + 1)) {
    Zval old;
    old.copy_value_from(*hash_value_at(ht, p));
    hash_value_at(ht, p)->set_undef();
    if (!ht->is_packed() && ht->data[p].key != nullptr) string_release(ht->data[p].key);
    if (ht->destructor != nullptr) ht->destructor(&old);
  }
  ht->num_used = 0;
  ht->num_elements = 0;
  ht->next_free_element = kLongMin;
  ht->internal_pointer = 0;
  if (!ht->is_packed()) fill_invalid(ht);
  if (ht->has_iterators()) detail::iterators_lower_pos(ht, 0);
}

std::size_t hash_data_bytes(const HashTable* ht) noexcept {
  if (ht->is_uninitialized()) return 0;
  return ht->is_packed() ? detail::packed_block_bytes(ht->table_size) : detail::mixed_block_bytes(ht->table_size);
}

// ---- structure changes -------------------------------------------------------------

void hash_rehash(HashTable* ht) {
  if (ht->num_elements == 0) {
    if (!ht->is_uninitialized()) {
      ht->num_used = 0;
      ht->internal_pointer = 0;
      fill_invalid(ht);
      if (ht->has_iterators()) detail::iterators_lower_pos(ht, 0);
    }
    return;
  }
  fill_invalid(ht);
  if (ht->num_used == ht->num_elements) {
    link_range<false>(ht, 0, ht->num_used, 0);
    return;
  }
  if (ht->has_iterators()) detail::iterators_before_compaction(ht);
  // One pass, as PHP: each live bucket moves down to the next free position and is linked
  // there.  The internal pointer follows its element, or the first live one after it: the
  // position where the run from it starts.
  const std::uint32_t internal = std::min(ht->internal_pointer, ht->num_used);
  std::uint32_t j = link_range<true>(ht, 0, internal, 0);
  ht->internal_pointer = j;
  ht->num_used = link_range<true>(ht, internal, ht->num_used, j);
}

void hash_packed_to_hash(HashTable* ht) {
  std::uint32_t size = ht->table_size;
  std::uint32_t mask = 0u - 2 * size;
  bool persistent = ht->persistent();
  auto* block = static_cast<char*>(detail::value_alloc(detail::mixed_block_bytes(size), persistent));
  auto* data = reinterpret_cast<Bucket*>(block + detail::hash_part_bytes(mask));
  Zval* old = ht->packed;
  for (std::uint32_t i = 0; i < ht->num_used; ++i) {
    data[i].val.copy_value_from(old[i]);
    data[i].h = i;
    data[i].key = nullptr;
  }
  detail::value_free(detail::data_block(ht), persistent);
  ht->flags &= static_cast<std::uint8_t>(~kHashPacked);
  ht->data = data;
  ht->table_mask = mask;
  hash_rehash(ht);
}

// ---- insertion ------------------------------------------------------------------

Zval* hash_add(HashTable* ht, String* key, const Zval* v) {
  return str_insert(ht, key, string_hash(key), v, Mode::kAdd, false);
}
Zval* hash_update(HashTable* ht, String* key, const Zval* v) {
  return str_insert(ht, key, string_hash(key), v, Mode::kUpdate, false);
}
Zval* hash_add_new(HashTable* ht, String* key, const Zval* v) {
  return str_insert(ht, key, string_hash(key), v, Mode::kAddNew, false);
}
Zval* hash_lookup(HashTable* ht, String* key) {
  return str_insert(ht, key, string_hash(key), nullptr, Mode::kLookup, false);
}
Zval* hash_str_add(HashTable* ht, std::string_view key, const Zval* v) {
  return str_view_insert(ht, key, v, Mode::kAdd);
}
Zval* hash_str_update(HashTable* ht, std::string_view key, const Zval* v) {
  return str_view_insert(ht, key, v, Mode::kUpdate);
}
Zval* hash_index_add(HashTable* ht, std::uint64_t h, const Zval* v) { return index_insert(ht, h, v, Mode::kAdd); }
Zval* hash_index_update(HashTable* ht, std::uint64_t h, const Zval* v) {
  return index_insert(ht, h, v, Mode::kUpdate);
}
Zval* hash_index_add_new(HashTable* ht, std::uint64_t h, const Zval* v) {
  return index_insert(ht, h, v, Mode::kAddNew);
}
Zval* hash_index_lookup(HashTable* ht, std::uint64_t h) { return index_insert(ht, h, nullptr, Mode::kLookup); }

namespace detail {
Zval* next_index_insert_slow(HashTable* ht, const Zval* v) {
  std::int64_t next = ht->next_free_element;
  if (next == kLongMin) next = 0;
  // After PHP_INT_MAX was used next_free_element saturates at kLongMax, so the
  // add below finds that key taken and fails, as PHP's does.
  return index_insert(ht, static_cast<std::uint64_t>(next), v, Mode::kAddNext);
}
}  // namespace detail

// ---- deletion ------------------------------------------------------------------

bool hash_del(HashTable* ht, String* key) {
  if (ht->is_packed()) return false;
  std::uint64_t h = string_hash(key);
  Bucket* prev = nullptr;
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    if (b->key == key || (b->h == h && b->key != nullptr && string_equals(b->key, key))) {
      delete_at(ht, idx, prev);
      return true;
    }
    prev = b;
    idx = b->val.u2;
  }
  return false;
}

bool hash_str_del(HashTable* ht, std::string_view key) {
  if (ht->is_packed()) return false;
  std::uint64_t h = hash_bytes(key.data(), key.size());
  Bucket* prev = nullptr;
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    if (b->h == h && b->key != nullptr && b->key->view() == key) {
      delete_at(ht, idx, prev);
      return true;
    }
    prev = b;
    idx = b->val.u2;
  }
  return false;
}

bool hash_index_del(HashTable* ht, std::uint64_t h) {
  if (ht->is_packed()) {
    if (h < ht->num_used && !ht->packed[h].is_undef()) {
      delete_at(ht, static_cast<std::uint32_t>(h), nullptr);
      return true;
    }
    return false;
  }
  Bucket* prev = nullptr;
  for (std::uint32_t idx = detail::first_index(ht, h); idx != kInvalidIndex;) {
    Bucket* b = ht->data + idx;
    if (b->h == h && b->key == nullptr) {
      delete_at(ht, idx, prev);
      return true;
    }
    prev = b;
    idx = b->val.u2;
  }
  return false;
}

void hash_del_at(HashTable* ht, HashPosition pos) {
  if (ht->is_packed()) {
    delete_at(ht, pos, nullptr);
    return;
  }
  Bucket* prev = nullptr;
  for (std::uint32_t idx = detail::first_index(ht, ht->data[pos].h); idx != pos;) {
    prev = ht->data + idx;
    idx = prev->val.u2;
  }
  delete_at(ht, pos, prev);
}

}  // namespace zmem
