// Internals shared by the hash table's source files: block geometry, the
// iterator registry's update hooks, the destroyer's entry points.
// Counterpart: the HT_* macros of Zend/zend_types.h and the static helpers of
// Zend/zend_hash.c.
#pragma once

#include "value/value.hpp"

namespace zmem::detail {

/// Bytes of the hash-slot part in front of data: (uint32)-table_mask slots of 4.
inline std::size_t hash_part_bytes(std::uint32_t table_mask) noexcept {
  return static_cast<std::size_t>(0u - table_mask) * sizeof(std::uint32_t);
}
inline std::size_t mixed_block_bytes(std::uint32_t table_size) noexcept {
  return static_cast<std::size_t>(table_size) * (2 * sizeof(std::uint32_t) + sizeof(Bucket));
}
inline std::size_t packed_block_bytes(std::uint32_t table_size) noexcept {
  return 2 * sizeof(std::uint32_t) + static_cast<std::size_t>(table_size) * sizeof(Zval);
}
/// Start of the single allocation holding hash slots and data.
inline void* data_block(const HashTable* ht) noexcept {
  return reinterpret_cast<char*>(ht->data) - hash_part_bytes(ht->table_mask);
}
/// The static pair of invalid slots every uninitialized table points into.
Bucket* uninitialized_data() noexcept;
/// zend_hash_check_size: the capacity for a size hint (power of two, >= 8).
std::uint32_t check_size(std::uint32_t n);
/// "Possible integer overflow in memory allocation (%u * %zu + %zu)".
[[noreturn]] void size_overflow(std::uint32_t n, std::size_t elem, std::size_t extra);

// Registered iterators (hash_iterators.cpp): keep positions right while the
// table changes under them.
void iterators_update(const HashTable* ht, HashPosition from, HashPosition to) noexcept;
void iterators_lower_pos(const HashTable* ht, HashPosition limit) noexcept;
/// Before compaction: each iterator moves to (live elements below its position).
void iterators_before_compaction(const HashTable* ht) noexcept;
/// At destruction: iterators of ht are detached (their table is gone).
void iterators_poison(const HashTable* ht) noexcept;

/// Releases every value and key of ht and frees its data block (not the
/// struct).  Zvals queued on the destroyer's list; see destroy.cpp.
void destroy_table_contents(HashTable* ht) noexcept;

}  // namespace zmem::detail
