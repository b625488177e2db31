// zmem arrays: refcounted hash tables with copy-on-write, and the array
// statements of PHP on variable slots ($a[k], $a[] =, unset($a[k]), =&).
//
// Counterpart: _zend_new_array, zend_array_dup, zend_array_destroy,
// zend_empty_array (Zend/zend_hash.c); SEPARATE_ARRAY (zend_types.h); the
// FETCH_DIM_W / ASSIGN_DIM / UNSET_DIM handlers (Zend/zend_execute.c).
//
// Copy-on-write: assignment shares (addref); every write to an array first
// separates it (a copy when its refcount is > 1, which includes the immutable
// empty array: refcount 2 forever).  References stored as elements stay shared
// by both copies, except a reference with refcount 1, which the copy takes as a
// plain value (zend_array_dup_value): "references inside arrays survive copy".
//
// The zval-level functions take a variable slot: a reference held by the slot
// is looked through; null, undef and false become a new array on write, as in
// PHP (without the deprecation notice for false).  Array keys follow the
// symtable rule (canonical integer strings are integer keys).
#pragma once

#include "hash_table.hpp"

// Exported from libzmem.so although the library builds with -fvisibility=hidden:
// inline code in this header calls these functions (zmem::detail ones too).
#pragma GCC visibility push(default)

namespace zmem {

/// _zend_new_array: refcount 1, destructor zval_ptr_dtor, uninitialized.
HashTable* new_array(std::uint32_t size = 0);
/// zend_array_dup: a new array (refcount 1) with the same elements.
HashTable* array_dup(HashTable* source);
/// zend_array_destroy: destroys the elements and frees the table.  Iterative.
void array_destroy(HashTable* ht) noexcept;
/// zend_empty_array: immutable, refcount 2, shared by every empty array.
/// Its next_free_element is 0 (PHP 8.2: `$a = []; $a[-5] = 1; $a[] = 2;` gives key 0).
HashTable* empty_array() noexcept;

/// ZVAL_EMPTY_ARRAY / ZVAL_ARR(new_array()).
inline void set_empty_array(Zval& z) noexcept { z.set_array(empty_array()); }

/// `$arr[k]` as an rvalue: the element's value (looked through a reference),
/// or null if arr holds no array or no such key.  Changes nothing.
const Zval* array_get(const Zval& arr, Key k) noexcept;
/// FETCH_DIM_W: separates the array held by arr (creating it from null) and
/// returns the element's slot, created as null if missing.  The slot may hold
/// a reference.  ValueError for scalars ("Cannot use a scalar value as an array").
Zval* array_fetch_write(Zval& arr, Key k);
/// FETCH_DIM_W for `$arr[]`: a new null element at the next index.
Zval* array_fetch_append(Zval& arr);
/// `$arr[k] = v` (writes through a reference element).  v may point anywhere,
/// even into arr.
void array_set(Zval& arr, Key k, const Zval& v);
/// `$arr[] = v`.  ValueError "Cannot add element to the array as the next
/// element is already occupied" when the next index is exhausted.
void array_push(Zval& arr, const Zval& v);
/// `unset($arr[k])` (the array is separated first, as PHP does).
void array_unset(Zval& arr, Key k);
/// `$var = &$arr[k]`: the element becomes a reference shared with var.
void array_bind_ref(Zval& arr, Key k, Zval& var);
/// `$arr[k] = &$var`.  var must not be a slot inside arr's table.
void array_set_ref(Zval& arr, Key k, Zval& var);

}  // namespace zmem
#pragma GCC visibility pop
