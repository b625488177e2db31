// The zval and the refcounted header: sizes and bit layout as PHP 8.2, the
// basic operations (undef, addref, ptr_dtor, copy, deref) and the GC hook.
#include "value_test_support.hpp"

using namespace zmem;
using namespace zmem_test;

TEST(Layout, SizesMatchPhp82) {
  // sizeof as printed by a program compiled against the PHP 8.2 headers.
  EXPECT_EQ(sizeof(Zval), 16u);
  EXPECT_EQ(sizeof(GcHeader), 8u);
  EXPECT_EQ(kStringHeaderSize, 24u);
  EXPECT_EQ(sizeof(Bucket), 32u);
  EXPECT_EQ(sizeof(HashTable), 56u);
  EXPECT_EQ(sizeof(Reference), 32u);
}

TEST(Layout, TypeCodesMatchPhp) {
  EXPECT_EQ(kUndef, 0);
  EXPECT_EQ(kNull, 1);
  EXPECT_EQ(kFalse, 2);
  EXPECT_EQ(kTrue, 3);
  EXPECT_EQ(kLong, 4);
  EXPECT_EQ(kDouble, 5);
  EXPECT_EQ(kString, 6);
  EXPECT_EQ(kArray, 7);
  EXPECT_EQ(kObject, 8);
  EXPECT_EQ(kResource, 9);
  EXPECT_EQ(kReference, 10);
  EXPECT_EQ(kStringEx, 0x106u);
  EXPECT_EQ(kArrayEx, 0x307u);
  EXPECT_EQ(kReferenceEx, 0x10au);
}

TEST(GcHeader, InfoBitsHoldAddressAndColour) {
  GcHeader h{1, kGcArray};
  h.set_gc_info(kGcPurple | 12345);
  EXPECT_EQ(h.type(), kArray);
  EXPECT_EQ(h.gc_address(), 12345u);
  EXPECT_EQ(h.gc_color(), kGcPurple);
  h.set_gc_info(kGcGrey | 1);
  EXPECT_EQ(h.gc_color(), kGcGrey);
  EXPECT_EQ(h.gc_address(), 1u);
  EXPECT_EQ(h.flags(), 0u);  // the info bits never spill into the flags
}

TEST(Zval, InitToUndef) {
  Zval z;
  z.set_undef();
  EXPECT_TRUE(z.is_undef());
  EXPECT_FALSE(z.is_refcounted());
  ptr_dtor(z);  // harmless on undef
}

TEST(Zval, AddrefAndPtrDtorCountOwners) {
  HeapBaseline baseline;
  Zval a;
  a.set_string(string_init("refcounted"));
  EXPECT_EQ(refcount_of(a), 1u);
  Zval b;
  copy(b, a);
  EXPECT_EQ(refcount_of(a), 2u);
  addref(a);
  EXPECT_EQ(refcount_of(a), 3u);
  ptr_dtor(a);
  ptr_dtor(a);
  EXPECT_EQ(refcount_of(b), 1u);
  ptr_dtor(b);  // frees: the baseline checks it
}

TEST(Zval, ImmutablePayloadsAreNotRefcountedInZvals) {
  Zval s;
  s.set_string(intern_permanent("immutable"));
  EXPECT_FALSE(s.is_refcounted());
  Zval a;
  set_empty_array(a);
  EXPECT_FALSE(a.is_refcounted());
  std::uint32_t before = refcount_of(a);
  Zval c;
  copy(c, a);
  EXPECT_EQ(refcount_of(a), before);
}

TEST(Zval, DerefLooksThroughReference) {
  HeapBaseline baseline;
  Zval a;
  a.set_long(7);
  Reference* r = make_reference(a);
  EXPECT_TRUE(a.is_reference());
  EXPECT_EQ(deref(&a), &r->val);
  EXPECT_EQ(deref(&a)->lval(), 7);
  Zval c;
  copy_deref(c, a);
  EXPECT_EQ(c.type(), kLong);
  EXPECT_EQ(make_reference(a), r);  // already a reference: same box
  ptr_dtor(a);
}

TEST(Zval, SeparateUnwrapsSharedReference) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.push(1);
  Value b;
  b.assign_ref(a);  // $b = &$a
  Zval z;
  copy(z, a.zval());  // a third owner of the box
  separate(z);        // z gets its own array, the box keeps its value
  EXPECT_FALSE(z.is_reference());
  EXPECT_EQ(refcount_of(z), 1u);
  EXPECT_EQ(refcount_of(a.zval()), 2u);
  ptr_dtor(z);
}

namespace {
int g_roots = 0;
void count_root(GcHeader*) { ++g_roots; }
}  // namespace

TEST(GcHook, CalledWhenArrayRefcountDropsToNonzero) {
  HeapBaseline baseline;
  detail::set_possible_root_hook(&count_root);
  g_roots = 0;
  {
    Value a = Value::array();
    a.push(1);
    Value b = a;  // refcount 2
    b = Value();  // back to 1: a possible root
    EXPECT_EQ(g_roots, 1);
    Value s("str");
    Value t = s;
    t = Value();  // strings are never roots
    EXPECT_EQ(g_roots, 1);
  }
  EXPECT_EQ(g_roots, 1);  // dropping to zero frees instead
  detail::set_possible_root_hook(nullptr);
}
