// Helpers shared by the value-layer tests: stored PHP expectations, heap
// baselines, and a foreach-by-reference loop that mirrors PHP's FE_FETCH_RW.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "php_expectations.hpp"
#include "value/value.hpp"

namespace zmem_test {

/// What `php -n -r` printed for the named case in php_expectations.hpp.
inline std::string php_expected(const char* name) {
  for (const PhpCase& c : kPhpCases) {
    if (std::strcmp(c.name, name) == 0) return c.expected;
  }
  ADD_FAILURE() << "no stored PHP case named " << name;
  return {};
}

/// Heap usage of the current heap (memory_get_usage()).
inline std::size_t heap_usage() { return zmem_usage(zmem_current_heap(), 0); }

/// Asserts at scope end that the current heap's usage is back where it was.
class HeapBaseline {
 public:
  HeapBaseline() : start_(heap_usage()) {}
  ~HeapBaseline() { EXPECT_EQ(heap_usage(), start_) << "heap usage did not return to its baseline"; }
  HeapBaseline(const HeapBaseline&) = delete;
  HeapBaseline& operator=(const HeapBaseline&) = delete;

 private:
  std::size_t start_;
};

/// `foreach ($var as $k => &$v) body(k)`: a registered iterator whose stored
/// position is one past the current element, as PHP 8.2's FE_FETCH_RW keeps it.
/// body receives the key as text ("0", "k1") and may change var freely.
template <class Body>
void foreach_by_ref(zmem::Value& var, Body&& body) {
  using namespace zmem;
  Zval* c = deref(&var.zval());
  separate_array(*c);
  std::uint32_t iter = hash_iterator_add(c->arr(), 0);
  for (;;) {
    c = deref(&var.zval());
    if (!c->is_array()) break;
    separate_array(*c);
    HashTable* ht = c->arr();
    HashPosition pos = hash_next_live(ht, hash_iterator_pos(iter, ht));
    if (pos >= ht->num_used) break;
    hash_iterator_set(iter, pos + 1);
    std::uint64_t h;
    String* key;
    hash_key_at(ht, pos, &h, &key);
    body(key != nullptr ? std::string(key->view()) : std::to_string(static_cast<std::int64_t>(h)));
  }
  hash_iterator_del(iter);
}

}  // namespace zmem_test
