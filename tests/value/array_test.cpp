// Arrays with copy-on-write, and references: each test repeats a stored PHP
// snippet's steps and compares var_dump output; refcounts are checked where
// PHP's behaviour depends on them.
#include "value_test_support.hpp"

using namespace zmem;
using namespace zmem_test;

namespace {
Value list(std::initializer_list<Value> items) {
  Value a = Value::array();
  for (const Value& v : items) a.push(v);
  return a;
}
}  // namespace

TEST(Array, AssignmentShares) {
  HeapBaseline baseline;
  Value a = list({1, 2});
  Value b = a;
  EXPECT_EQ(a.zval().arr(), b.zval().arr());
  EXPECT_EQ(a.refcount(), 2u);
}

TEST(Array, WriteSeparatesSharedArray) {
  HeapBaseline baseline;
  Value a = list({1, 2});
  Value b = a;
  b.set(0, 9);
  EXPECT_NE(a.zval().arr(), b.zval().arr());
  EXPECT_EQ(a.refcount(), 1u);
  EXPECT_EQ(b.refcount(), 1u);
  EXPECT_EQ(a.dump() + b.dump(), php_expected("WriteSeparatesSharedArray"));
}

TEST(Array, WriteToUnsharedArrayIsInPlace) {
  HeapBaseline baseline;
  Value a = list({1, 2});
  HashTable* before = a.zval().arr();
  a.set(0, 9);
  EXPECT_EQ(a.zval().arr(), before);
}

TEST(Array, EmptyArrayIsImmutableSharedConstant) {
  HeapBaseline baseline;
  Value a = Value::array();
  Value b = Value::array();
  EXPECT_EQ(a.zval().arr(), empty_array());
  EXPECT_EQ(b.zval().arr(), empty_array());
  EXPECT_TRUE(empty_array()->gc.immutable());
  EXPECT_EQ(empty_array()->gc.refcount, 2u);
  a.push(1);  // separates from the constant
  EXPECT_NE(a.zval().arr(), empty_array());
  EXPECT_EQ(empty_array()->gc.refcount, 2u);
  EXPECT_EQ(empty_array()->num_elements, 0u);
}

TEST(Array, NestedWriteSeparatesEachLevel) {
  HeapBaseline baseline;
  Value a = Value::array();
  a["x"]["y"] = 1;
  Value b = a;
  b["x"]["y"] = 2;
  b["x"]["z"] = 3;
  EXPECT_EQ(a.dump() + b.dump(), php_expected("NestedWriteSeparatesEachLevel"));
}

TEST(Array, SelfAssignIntoElement) {
  HeapBaseline baseline;
  Value a = list({1});
  a.set(1, a);  // $a[1] = $a
  EXPECT_EQ(a.dump(), php_expected("SelfAssignIntoElement"));
}

TEST(Array, UnsetSeparates) {
  HeapBaseline baseline;
  Value a = list({1, 2, 3});
  Value b = a;
  b.erase(1);
  EXPECT_EQ(a.dump() + b.dump(), php_expected("UnsetInCopy"));
}

TEST(Array, NullFalseAndUndefBecomeArraysOnWrite) {
  HeapBaseline baseline;
  Value n;
  n["k"] = 1;
  Value f(false);
  f.push(2);
  Value u;
  u.unset();
  u["a"]["b"] = 3;
  EXPECT_EQ(n.dump() + f.dump() + u.dump(), php_expected("NullAndFalseBecomeArrays"));
}

TEST(Array, ScalarUsedAsArrayThrows) {
  HeapBaseline baseline;
  std::string out;
  Value s(1);
  try {
    s.set(0, 1);
  } catch (const ValueError& e) {
    out += std::string(e.what()) + "\n";
  }
  Value q("ab");
  try {
    q.push("c");
  } catch (const ValueError& e) {
    out += std::string(e.what()) + "\n";
  }
  EXPECT_EQ(out, php_expected("ScalarAsArray"));
  EXPECT_EQ(s.as_long(), 1);
  EXPECT_EQ(q.as_string(), "ab");
}

TEST(Array, ReadNeverSeparatesOrCreates) {
  HeapBaseline baseline;
  Value a = list({1});
  Value b = a;
  EXPECT_TRUE(a["missing"]["deeper"].get().is_null());
  EXPECT_EQ(a.get(0).as_long(), 1);
  EXPECT_EQ(a.zval().arr(), b.zval().arr());
  EXPECT_EQ(a.size(), 1u);
}

TEST(Array, CopyKeepsKeysOrderAndHoles) {
  HeapBaseline baseline;
  Value a = Value::array();
  for (int i = 0; i < 20; ++i) a.set("k" + std::to_string(i), i);
  for (int i = 0; i < 20; i += 3) a.erase("k" + std::to_string(i));
  Value b = a;
  b.set("new", 1);
  b.erase("new");
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_EQ(b.zval().arr()->num_used, b.zval().arr()->num_elements);  // the copy was compacted
}

TEST(Array, DeepNestingFreesWithoutRecursion) {
  HeapBaseline baseline;
#ifdef __SANITIZE_ADDRESS__
  const int kDepth = 100000;
#else
  const int kDepth = 1000000;
#endif
  Value outer = Value::array();
  for (int i = 0; i < kDepth; ++i) {
    Value next = Value::array();
    next.push(outer);
    outer = std::move(next);
  }
  EXPECT_EQ(outer.size(), 1u);
  // Leaving scope frees a million nested arrays: a recursive free would overflow the stack.
}

TEST(Array, DeepReferenceChainFreesWithoutRecursion) {
  HeapBaseline baseline;
  Value outer = Value::array();
  for (int i = 0; i < 200000; ++i) {
    Value box = Value::array();
    Value inner = std::move(outer);
    box.set(0, Value());
    array_set_ref(box.zval(), 0, inner.zval());  // each level holds its child by reference
    outer = std::move(box);
  }
}

TEST(Reference, AssignRefSharesBox) {
  HeapBaseline baseline;
  Value a(1);
  Value b;
  b.assign_ref(a);  // $b = &$a
  b.assign(2);      // $b = 2
  std::string out = a.dump();
  a.assign(3);
  out += b.dump();
  EXPECT_EQ(out, php_expected("AssignRefSharesBox"));
  EXPECT_EQ(a.zval().ref(), b.zval().ref());
  EXPECT_EQ(a.refcount(), 2u);
}

TEST(Reference, AssignFromReferenceCopiesValue) {
  HeapBaseline baseline;
  Value a = list({1});
  Value b;
  b.assign_ref(a);
  Value c;
  c.assign(b);  // $c = $b copies out of the reference
  EXPECT_FALSE(c.is_ref());
  c.push(5);
  EXPECT_EQ(a.dump() + c.dump(), php_expected("AssignFromReferenceCopiesValue"));
}

TEST(Reference, UnsetBreaksBinding) {
  HeapBaseline baseline;
  Value a(1);
  Value b;
  b.assign_ref(a);
  b.unset();
  b.assign(3);
  EXPECT_EQ(a.dump() + b.dump(), php_expected("UnsetBreaksBinding"));
  EXPECT_EQ(a.refcount(), 1u);  // the box now has one owner
}

TEST(Reference, InArraySurvivesCopy) {
  HeapBaseline baseline;
  Value arr = list({1});
  Value r;
  arr[0].bind_to(r);  // $r = &$arr[0]
  Value arr2 = arr;
  arr2.set(0, arr2.get(0).as_long() + 1);  // $arr2[0]++
  EXPECT_EQ(arr.dump() + arr2.dump(), php_expected("ReferenceInArraySurvivesCopy"));
}

TEST(Reference, StaysSharedAfterUnsetOfVariable) {
  HeapBaseline baseline;
  Value arr = list({1});
  Value r;
  arr[0].bind_to(r);
  Value arr2 = arr;
  r.unset();  // the box is still owned by the element, in both arrays' one table
  Value arr3 = arr;
  arr3.set(0, 7);
  EXPECT_EQ(arr.dump() + arr2.dump() + arr3.dump(), php_expected("ReferenceKeptAfterUnsetOfRef"));
}

TEST(Reference, RefcountOneBehavesAsValueOnCopy) {
  HeapBaseline baseline;
  Value arr = list({1});
  Value r;
  arr[0].bind_to(r);
  r.unset();  // box refcount 1: only the element holds it
  Value arr2 = arr;
  arr2.set(0, 9);
  EXPECT_EQ(arr.dump() + arr2.dump(), php_expected("RefcountOneReferenceCopiedAsValue"));
}

TEST(Reference, BindElementCreatesNull) {
  HeapBaseline baseline;
  Value a = Value::array();
  Value r;
  a["x"].bind_to(r);
  std::string out = a.dump();
  r.assign(5);
  out += a.dump();
  EXPECT_EQ(out, php_expected("BindElementCreatesNull"));
}

TEST(Reference, ElementsBoundToOneVariable) {
  HeapBaseline baseline;
  Value v("s");
  Value a = Value::array();
  array_set_ref(a.zval(), 0, v.zval());  // $a[] = &$v (next index 0)
  array_set_ref(a.zval(), 1, v.zval());
  v.assign("t");
  EXPECT_EQ(a.dump(), php_expected("ElementBoundToVariable"));
  EXPECT_EQ(v.refcount(), 3u);
}

TEST(Reference, RecursiveArrayDumpsRecursion) {
  HeapBaseline baseline;
  Value x = Value::array();
  array_set_ref(x.zval(), 0, x.zval());  // $x[] = &$x
  EXPECT_EQ(x.dump(), php_expected("RecursiveArrayDump"));
  // Without a cycle collector the cycle would leak: break it by hand.
  array_unset(x.zval(), 0);
}

TEST(Reference, WriteThroughReferenceToSharedArraySeparates) {
  HeapBaseline baseline;
  Value a = list({1});
  Value b = a;  // shares the array
  Value r;
  r.assign_ref(a);  // a becomes a reference box holding the shared array
  r.push(2);        // writes the box's array: separated from b's
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(b.size(), 1u);
}

TEST(Array, FetchAppendCreatesNullElement) {
  HeapBaseline baseline;
  Value a = Value::array();
  Zval* slot = array_fetch_append(a.zval());
  EXPECT_EQ(slot->type(), kNull);
  slot->set_long(3);
  EXPECT_EQ(a.get(0).as_long(), 3);
}

TEST(Reference, NewReferenceCopiesValue) {
  HeapBaseline baseline;
  Value s("boxed");
  Reference* r = new_reference(s.zval());
  EXPECT_EQ(r->gc.refcount, 1u);
  EXPECT_EQ(s.refcount(), 2u);
  Value box = Value::adopt([&] {
    Zval z;
    z.set_reference(r);
    return z;
  }());
  EXPECT_EQ(box.as_string(), "boxed");
}
