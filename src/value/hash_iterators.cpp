// Registered hash iterators: positions that follow their element while the
// table changes (foreach by reference).
// Counterpart: EG(ht_iterators), zend_hash_iterator_add / _pos / _del,
// _zend_hash_iterators_update, zend_hash_iterators_lower_pos (Zend/zend_hash.c).
// Invariants: ht->iterators_count == number of slots whose ht is that table,
// saturating at kIteratorsOverflow (then every update scans all slots, which is
// what the count saves in the common case); a free slot has ht == null; an
// iterator whose table was destroyed has ht == kPoisoned.
#include <vector>

#include "value/hash_internal.hpp"

namespace zmem {
namespace {

struct IteratorSlot {
  HashTable* ht;
  HashPosition pos;
};

HashTable* const kPoisoned = reinterpret_cast<HashTable*>(~std::uintptr_t{0});

// Per thread, like the tables they point into.  Plain malloc memory: the
// registry outlives requests and is tiny.
thread_local std::vector<IteratorSlot> t_iterators;

void count_up(HashTable* ht) noexcept {
  if (ht->iterators_count != kIteratorsOverflow) ht->iterators_count++;
}
void count_down(HashTable* ht) noexcept {
  if (ht != nullptr && ht != kPoisoned && ht->iterators_count != kIteratorsOverflow) ht->iterators_count--;
}

}  // namespace

std::uint32_t hash_iterator_add(HashTable* ht, HashPosition pos) {
  count_up(ht);
  for (std::uint32_t i = 0; i < t_iterators.size(); ++i) {
    if (t_iterators[i].ht == nullptr) {
      t_iterators[i] = {ht, pos};
      return i;
    }
  }
  t_iterators.push_back({ht, pos});
  return static_cast<std::uint32_t>(t_iterators.size() - 1);
}

HashPosition hash_iterator_pos(std::uint32_t iter, HashTable* ht) {
  IteratorSlot& it = t_iterators[iter];
  if (it.ht != ht) {
    // The array was separated since: the copy keeps positions (array_dup does
    // not compact a table that has iterators), so the position carries over.
    count_down(it.ht);
    count_up(ht);
    it.ht = ht;
    if (it.pos > ht->num_used) it.pos = ht->num_used;
  }
  return it.pos;
}

void hash_iterator_set(std::uint32_t iter, HashPosition pos) { t_iterators[iter].pos = pos; }

void hash_iterator_del(std::uint32_t iter) {
  IteratorSlot& it = t_iterators[iter];
  count_down(it.ht);
  it.ht = nullptr;
  while (!t_iterators.empty() && t_iterators.back().ht == nullptr) t_iterators.pop_back();
}

std::size_t hash_iterators_live() noexcept {
  std::size_t n = 0;
  for (const IteratorSlot& it : t_iterators) n += it.ht != nullptr;
  return n;
}

namespace detail {

void iterators_update(const HashTable* ht, HashPosition from, HashPosition to) noexcept {
  for (IteratorSlot& it : t_iterators) {
    if (it.ht == ht && it.pos == from) it.pos = to;
  }
}

void iterators_lower_pos(const HashTable* ht, HashPosition limit) noexcept {
  for (IteratorSlot& it : t_iterators) {
    if (it.ht == ht && it.pos > limit) it.pos = limit;
  }
}

void iterators_before_compaction(const HashTable* ht) noexcept {
  // After compaction an element's position is the number of live elements
  // before it; an iterator on a hole goes to the next live element.
  for (IteratorSlot& it : t_iterators) {
    if (it.ht != ht) continue;
    HashPosition live = 0;
    for (HashPosition p = 0; p < it.pos && p < ht->num_used; ++p) live += !hash_value_at(ht, p)->is_undef();
    it.pos = live;
  }
}

void iterators_poison(const HashTable* ht) noexcept {
  for (IteratorSlot& it : t_iterators) {
    if (it.ht == ht) it.ht = kPoisoned;
  }
}

}  // namespace detail
}  // namespace zmem
