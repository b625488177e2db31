// The ordered hash table: representations, growth, compaction, key rules,
// destructor calls, iterators and the case-insensitive lookup.  Each PHP
// comparison repeats the steps of the stored snippet (php_expectations.hpp).
#include <vector>

#include "value_test_support.hpp"

using namespace zmem;
using namespace zmem_test;

namespace {

Zval long_zval(std::int64_t l) {
  Zval z;
  z.set_long(l);
  return z;
}

struct Table {
  HashTable ht;
  explicit Table(DtorFn d = &zval_ptr_dtor) { hash_init(&ht, 0, d, false); }
  ~Table() { hash_destroy(&ht); }
};

}  // namespace

TEST(HashTable, UninitializedTableOwnsNoMemory) {
  HeapBaseline baseline;
  Table t;
  EXPECT_TRUE(t.ht.is_uninitialized());
  EXPECT_EQ(hash_data_bytes(&t.ht), 0u);
  EXPECT_EQ(hash_index_find(&t.ht, 0), nullptr);
  EXPECT_EQ(hash_str_find(&t.ht, "x"), nullptr);
  EXPECT_EQ(t.ht.next_free_element, kLongMin);
}

TEST(HashTable, AppendsStayPackedAt16BytesPerSlot) {
  HeapBaseline baseline;
  Table t;
  for (int i = 0; i < 1000; ++i) {
    Zval v = long_zval(i);
    ASSERT_NE(hash_next_index_insert(&t.ht, &v), nullptr);
  }
  EXPECT_TRUE(t.ht.is_packed());
  EXPECT_EQ(t.ht.table_size, 1024u);
  EXPECT_EQ(hash_data_bytes(&t.ht), 8u + 1024u * 16u);
  EXPECT_EQ(hash_index_find(&t.ht, 999)->lval(), 999);
}

TEST(HashTable, StringKeyConvertsToHashAt40BytesPerSlot) {
  HeapBaseline baseline;
  Table t;
  Zval v = long_zval(1);
  hash_next_index_insert(&t.ht, &v);
  hash_str_update(&t.ht, "k", &v);
  EXPECT_FALSE(t.ht.is_packed());
  EXPECT_EQ(hash_data_bytes(&t.ht), t.ht.table_size * 40u);
  EXPECT_EQ(hash_index_find(&t.ht, 0)->lval(), 1);
  EXPECT_EQ(hash_str_find(&t.ht, "k")->lval(), 1);
}

TEST(HashTable, FirstIntegerKeyBeyondSizeStartsHash) {
  HeapBaseline baseline;
  Table t;
  Zval v = long_zval(1);
  hash_index_update(&t.ht, 100, &v);
  EXPECT_FALSE(t.ht.is_packed());
  EXPECT_EQ(t.ht.next_free_element, 101);
}

TEST(HashTable, GapInPackedIsFilledWithHoles) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.set(3, "x");  // $a[3] = "x": packed, slots 0-2 are holes
  EXPECT_TRUE(a.zval().arr()->is_packed());
  EXPECT_EQ(a.zval().arr()->num_used, 4u);
  EXPECT_EQ(a.zval().arr()->num_elements, 1u);
  a.push("y");
  a.set(1, "z");  // a hole below num_used: must keep the order, becomes hash
  EXPECT_FALSE(a.zval().arr()->is_packed());
  EXPECT_EQ(a.dump(), php_expected("GapInPacked"));
}

TEST(HashTable, HoleInPackedFilledLaterGoesToTheEnd) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (int i = 0; i < 4; ++i) a.push(i);
  a.erase(1);
  a.set(1, "one");
  EXPECT_EQ(a.dump(), php_expected("HoleInPackedThenFill"));
}

TEST(HashTable, DeleteLeavesHoleAndKeepsOrder) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (int i = 0; i < 10; ++i) a.set("k" + std::to_string(i), i);
  a.erase("k3");
  a.erase("k0");
  EXPECT_EQ(a.zval().arr()->num_used, 10u);  // holes, nothing moved
  a.set("k3", 33);
  a.set(7, 7);
  a.set("k0", 0);
  EXPECT_EQ(a.dump(), php_expected("OrderKeptAcrossDeleteAndReinsert"));
}

TEST(HashTable, DeletingLastElementsWalksNumUsedBack) {
  HeapBaseline baseline;
  Table t;
  for (int i = 0; i < 5; ++i) {
    Zval v = long_zval(i);
    hash_next_index_insert(&t.ht, &v);
  }
  hash_index_del(&t.ht, 3);
  EXPECT_EQ(t.ht.num_used, 5u);
  hash_index_del(&t.ht, 4);
  EXPECT_EQ(t.ht.num_used, 3u);  // over the trailing hole at 3 too
  EXPECT_EQ(t.ht.next_free_element, 5);  // never lowered by deletion
}

TEST(HashTable, FullTableWithHolesCompactsInPlace) {
  HeapBaseline baseline;
  Table t;
  char key[8];
  for (int i = 0; i < 8; ++i) {
    std::snprintf(key, sizeof key, "k%d", i);
    Zval v = long_zval(i);
    hash_str_update(&t.ht, key, &v);
  }
  hash_str_del(&t.ht, "k2");
  hash_str_del(&t.ht, "k5");
  Zval v = long_zval(8);
  hash_str_update(&t.ht, "k8", &v);  // full, 2 holes > 8/32: compaction
  EXPECT_EQ(t.ht.table_size, 8u);
  EXPECT_EQ(t.ht.num_used, 7u);
  std::string order;
  hash_for_each(&t.ht, [&](std::uint64_t, String* k, Zval*) { order += std::string(k->view()) + " "; });
  EXPECT_EQ(order, "k0 k1 k3 k4 k6 k7 k8 ");
}

TEST(HashTable, FullTableWithoutHolesDoubles) {
  HeapBaseline baseline;
  Table t;
  for (int i = 0; i < 9; ++i) {
    Zval v = long_zval(i);
    hash_str_update(&t.ht, "key" + std::to_string(i), &v);
  }
  EXPECT_EQ(t.ht.table_size, 16u);
  EXPECT_EQ(t.ht.table_mask, 0u - 32u);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(hash_str_find(&t.ht, "key" + std::to_string(i))->lval(), i);
}

TEST(HashTable, NumericStringKeysBecomeIntegers) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (const char* k : {"123", "0123", "-0", "-5", "0", "00", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775808", "-9223372036854775809", "1.5", " 1", "1 ", "", "-", "1e3", "-12"}) {
    a.set(k, 1);
  }
  EXPECT_EQ(a.dump(), php_expected("NumericStringKeys"));
}

TEST(HashTable, NextFreeAfterNegativeKeyInLiteral) {
  HeapBaseline baseline;
  // An array literal is built in a fresh table (next_free_element = INT64_MIN).
  Value c = Value::adopt([] {
    Zval z;
    z.set_array(new_array());
    return z;
  }());
  c.set(-5, "a");
  c.push("b");
  EXPECT_EQ(c.dump(), php_expected("LiteralNegativeKeyThenAppend"));
}

TEST(HashTable, NextFreeAfterNegativeKeyOnEmptyArray) {
  HeapBaseline baseline;
  Value b = Value::array();  // separated from zend_empty_array: next_free_element = 0 in 8.2
  b.set(-5, "a");
  b.push("b");
  EXPECT_EQ(b.dump(), php_expected("EmptyArrayNegativeKeyThenAppend"));
}

TEST(HashTable, PackedWriteSetsNextFreeToKeyPlusOne) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.push(1);
  a.push(2);
  a.push(3);
  a.erase(2);
  a.erase(1);
  a.set(1, 9);
  a.push(10);
  EXPECT_EQ(a.dump(), php_expected("PackedRewriteLowersNextFree"));
}

TEST(HashTable, HashWriteKeepsHigherNextFree) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.set("x", 0);
  a.push(1);
  a.push(2);
  a.push(3);
  a.erase(2);
  a.erase(1);
  a.set(1, 9);
  a.push(10);
  EXPECT_EQ(a.dump(), php_expected("HashKeepsNextFreeAfterUnset"));
}

TEST(HashTable, UnsetLastDoesNotReuseIndex) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.push(1);
  a.push(2);
  a.push(3);
  a.erase(2);
  a.push(4);
  EXPECT_EQ(a.dump(), php_expected("UnsetLastThenAppend"));
}

TEST(HashTable, AppendAfterIntMaxFails) {
  HeapBaseline baseline;
  Value c = Value::array();
  c.set(INT64_MAX, 1);
  std::string out;
  try {
    c.push(2);
  } catch (const ValueError& e) {
    out += std::string(e.what()) + "\n";
  }
  out += c.dump();
  EXPECT_EQ(out, php_expected("AppendAfterIntMax"));
}

TEST(HashTable, DestructorCalledOnUpdateDeleteCleanAndDestroy) {
  static int calls;
  calls = 0;
  HashTable ht;
  hash_init(&ht, 0, [](Zval*) { ++calls; }, false);
  Zval v = long_zval(1);
  hash_str_update(&ht, "a", &v);
  hash_str_update(&ht, "a", &v);  // replaces: old value destroyed
  EXPECT_EQ(calls, 1);
  hash_str_update(&ht, "b", &v);
  hash_str_del(&ht, "b");
  EXPECT_EQ(calls, 2);
  hash_index_update(&ht, 5, &v);
  hash_clean(&ht);
  EXPECT_EQ(calls, 4);
  hash_str_update(&ht, "c", &v);
  hash_destroy(&ht);
  EXPECT_EQ(calls, 5);
}

TEST(HashTable, DestructorSeesSlotAlreadyRemoved) {
  static HashTable* table;
  static bool seen_gone;
  HashTable ht;
  table = &ht;
  seen_gone = false;
  hash_init(&ht, 0, [](Zval*) { seen_gone = hash_str_find(table, "gone") == nullptr; }, false);
  Zval v = long_zval(1);
  hash_str_update(&ht, "gone", &v);
  hash_str_del(&ht, "gone");
  EXPECT_TRUE(seen_gone);
  hash_destroy(&ht);  // empty now: the destructor is not called again
}

TEST(HashTable, AddFailsOnExistingKeyLookupCreatesNull) {
  HeapBaseline baseline;
  Table t;
  Zval v = long_zval(1);
  EXPECT_NE(hash_str_add(&t.ht, "k", &v), nullptr);
  EXPECT_EQ(hash_str_add(&t.ht, "k", &v), nullptr);
  EXPECT_NE(hash_index_add(&t.ht, 3, &v), nullptr);
  EXPECT_EQ(hash_index_add(&t.ht, 3, &v), nullptr);
  Zval* n = hash_str_lookup(&t.ht, "new");
  EXPECT_EQ(n->type(), kNull);
  EXPECT_EQ(hash_str_lookup(&t.ht, "k")->lval(), 1);
  EXPECT_EQ(hash_index_lookup(&t.ht, 3)->lval(), 1);
}

TEST(HashTable, StringKeysAreOwnedByTheTable) {
  HeapBaseline baseline;
  Table t;
  String* key = string_init("owned");
  Zval v = long_zval(1);
  hash_update(&t.ht, key, &v);
  EXPECT_EQ(key->gc.refcount, 2u);
  EXPECT_FALSE(t.ht.flags & kHashStaticKeys);
  string_release(key);
  EXPECT_NE(hash_str_find(&t.ht, "owned"), nullptr);
}

TEST(HashTable, InternedKeysMatchByPointerAndKeepStaticKeys) {
  Table t;
  String* key = intern_permanent("static key");
  Zval v = long_zval(1);
  hash_add(&t.ht, key, &v);
  EXPECT_TRUE(t.ht.flags & kHashStaticKeys);
  EXPECT_EQ(hash_find(&t.ht, key)->lval(), 1);
}

TEST(HashTable, CaseInsensitiveLookupUsesLowerCaseCopy) {
  HeapBaseline baseline;
  Table t;
  Zval v = long_zval(42);
  hash_str_update(&t.ht, "strlen", &v);
  zmem_heap* heap = zmem_heap_new(nullptr);
  zmem_heap* previous = zmem_current_heap();
  zmem_set_current_heap(heap);
  std::size_t peak = zmem_peak_usage(heap, 0);
  EXPECT_EQ(hash_find_lc(&t.ht, "StrLen")->lval(), 42);
  std::string missing(200, 'Q');
  EXPECT_EQ(hash_find_lc(&t.ht, missing), nullptr);
  EXPECT_GE(zmem_peak_usage(heap, 0), peak + 200);  // the copy was made, found or not
  EXPECT_EQ(zmem_usage(heap, 0), 0u);               // and freed
  zmem_set_current_heap(previous == heap ? nullptr : previous);
  zmem_heap_destroy(heap);
}

TEST(HashTable, PersistentTableLivesOutsideTheHeap) {
  std::size_t heap_before = heap_usage();
  std::size_t persistent_before = zmem_persistent_usage();
  HashTable ht;
  hash_init(&ht, 0, nullptr, true);
  Zval v = long_zval(1);
  for (int i = 0; i < 100; ++i) hash_str_update(&ht, "p" + std::to_string(i), &v);
  EXPECT_EQ(heap_usage(), heap_before);
  EXPECT_GT(zmem_persistent_usage(), persistent_before);
  EXPECT_TRUE(hash_str_find(&ht, "p7")->lval() == 1);
  hash_destroy(&ht);
  EXPECT_EQ(zmem_persistent_usage(), persistent_before);
}

TEST(HashIterator, ForeachByRefSeesAppendsAndSkipsDeleted) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (int i = 1; i <= 4; ++i) a.push(i);
  std::string out;
  foreach_by_ref(a, [&](const std::string& k) {
    out += k;
    if (k == "0") {
      a.erase(1);
      a.push(5);
    }
    if (k == "2") {
      a.push(6);
      a.erase(3);
    }
  });
  EXPECT_EQ(out + "\n", php_expected("ForeachByRefSeesChanges"));
  EXPECT_EQ(hash_iterators_live(), 0u);
}

TEST(HashIterator, SurvivesCompactionAndGrowthDuringLoop) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (int i = 0; i < 8; ++i) a.set("k" + std::to_string(i), i);
  std::string out;
  foreach_by_ref(a, [&](const std::string& k) {
    out += k + " ";
    if (k == "k2") {
      for (int i = 3; i < 8; ++i) a.erase("k" + std::to_string(i));
      for (int i = 0; i < 20; ++i) a.set("n" + std::to_string(i), i);
    }
  });
  EXPECT_EQ(out + "\n", php_expected("ForeachByRefAcrossRehash"));
}

TEST(HashIterator, DeletedElementsAreSkipped) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.set("a", 1);
  a.set("b", 2);
  a.set("c", 3);
  a.set("d", 4);
  std::string out;
  foreach_by_ref(a, [&](const std::string& k) {
    out += k;
    if (k == "a") {
      a.erase("b");
      a.erase("c");
      a.set("e", 5);
    }
  });
  EXPECT_EQ(out + "\n", php_expected("DeleteDuringForeachSkipsDeleted"));
}

TEST(HashIterator, FollowsSeparatedCopy) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (int i = 0; i < 5; ++i) a.push(i);
  Zval* c = &a.zval();
  std::uint32_t iter = hash_iterator_add(c->arr(), 2);
  Value b = a;  // shared
  a.push(5);    // separates: a now holds a copy
  HashTable* copy = a.zval().arr();
  EXPECT_NE(copy, b.zval().arr());
  EXPECT_EQ(hash_iterator_pos(iter, copy), 2u);
  EXPECT_EQ(copy->iterators_count, 1u);
  EXPECT_EQ(b.zval().arr()->iterators_count, 0u);
  hash_iterator_del(iter);
}

TEST(HashIterator, DestroyedTableDetachesIterator) {
  std::uint32_t iter;
  {
    HeapBaseline baseline;
    Value a = Value::array();
    a.push(1);
    iter = hash_iterator_add(a.zval().arr(), 0);
  }
  Value other = Value::array();
  other.push(1);
  EXPECT_EQ(hash_iterator_pos(iter, other.zval().arr()), 0u);  // re-targets, no stale count
  hash_iterator_del(iter);
  EXPECT_EQ(other.zval().arr()->iterators_count, 0u);
}

TEST(HashTable, DensePackedTableGrowsByDoubling) {
  HeapBaseline baseline;
  Table t;
  for (int i = 0; i < 8; ++i) {
    Zval v = long_zval(i);
    hash_next_index_insert(&t.ht, &v);
  }
  Zval v = long_zval(9);
  hash_index_update(&t.ht, 12, &v);  // 12/2 < 8 and more than half live: packed grow
  EXPECT_TRUE(t.ht.is_packed());
  EXPECT_EQ(t.ht.table_size, 16u);
  EXPECT_EQ(t.ht.num_used, 13u);
}

TEST(HashTable, SparseIntegerKeyConvertsPackedToHash) {
  HeapBaseline baseline;
  Table t;
  Zval v = long_zval(1);
  hash_next_index_insert(&t.ht, &v);
  hash_index_update(&t.ht, 1000, &v);  // far beyond the size: a hash keeps memory bounded
  EXPECT_FALSE(t.ht.is_packed());
  EXPECT_EQ(hash_index_find(&t.ht, 0)->lval(), 1);
  EXPECT_EQ(hash_index_find(&t.ht, 1000)->lval(), 1);
  EXPECT_EQ(t.ht.next_free_element, 1001);
}

TEST(HashTable, DeleteAtPositionUnlinksChain) {
  HeapBaseline baseline;
  Table t;
  for (int i = 0; i < 50; ++i) {
    Zval v = long_zval(i);
    hash_str_update(&t.ht, "k" + std::to_string(i), &v);
  }
  for (HashPosition p = 0; p < 50; p += 2) hash_del_at(&t.ht, p);
  for (int i = 0; i < 50; ++i) {
    Zval* z = hash_str_find(&t.ht, "k" + std::to_string(i));
    if (i % 2 == 0) {
      EXPECT_EQ(z, nullptr) << i;
    } else {
      ASSERT_NE(z, nullptr) << i;
      EXPECT_EQ(z->lval(), i);
    }
  }
}

TEST(HashTable, ExplicitPackedToHashKeepsKeysAndHoles) {
  HeapBaseline baseline;
  Table t;
  for (int i = 0; i < 6; ++i) {
    Zval v = long_zval(i * 10);
    hash_next_index_insert(&t.ht, &v);
  }
  hash_index_del(&t.ht, 2);
  hash_packed_to_hash(&t.ht);
  EXPECT_FALSE(t.ht.is_packed());
  EXPECT_EQ(t.ht.num_used, 5u);  // the rehash squeezed the hole out
  std::string order;
  hash_for_each(&t.ht, [&](std::uint64_t h, String*, Zval* v) { order += std::to_string(h) + "=" + std::to_string(v->lval()) + " "; });
  EXPECT_EQ(order, "0=0 1=10 3=30 4=40 5=50 ");
}

TEST(HashTable, KnownHashLookupMatchesPlainLookup) {
  HeapBaseline baseline;
  Table t;
  Zval v = long_zval(5);
  hash_str_update(&t.ht, "known", &v);
  EXPECT_EQ(hash_str_find_h(&t.ht, "known", 5, hash_bytes("known", 5)), hash_str_find(&t.ht, "known"));
}
