// Refcounted strings and interning.
#include "value_test_support.hpp"

using namespace zmem;
using namespace zmem_test;

TEST(String, HashIsPhpDjbx33aWithTopBit) {
  // DJBX33A: h = 5381; h = h * 33 + c; stored with bit 63 set.
  EXPECT_EQ(hash_bytes("", 0), 5381ull | 0x8000000000000000ull);
  EXPECT_EQ(hash_bytes("a", 1), (5381ull * 33 + 'a') | 0x8000000000000000ull);
  std::uint64_t h = 5381;
  const char* s = "a longer key of 23 bytes";
  for (const char* p = s; *p; ++p) h = h * 33 + static_cast<unsigned char>(*p);
  EXPECT_EQ(hash_bytes(s, std::strlen(s)), h | 0x8000000000000000ull);
}

TEST(String, InitIsNulTerminatedWithLength) {
  HeapBaseline baseline;
  String* s = string_init(std::string_view("ab\0cd", 5));
  EXPECT_EQ(s->len, 5u);
  EXPECT_EQ(s->val[5], '\0');
  EXPECT_EQ(s->gc.refcount, 1u);
  EXPECT_EQ(s->h, 0u);  // not computed until asked
  EXPECT_NE(string_hash(s), 0u);
  EXPECT_EQ(s->h, hash_bytes(s->val, 5));
  string_release(s);
}

TEST(String, BlockIsAlignedHeaderPlusBytes) {
  HeapBaseline baseline;
  String* s = string_init("0123456789");  // 24 + 10 + 1 -> 40 bytes
  EXPECT_GE(zmem_block_size(zmem_current_heap(), s), 40u);
  string_release(s);
}

TEST(String, ReleaseFreesAtZero) {
  HeapBaseline baseline;
  String* s = string_init("shared");
  string_copy(s);
  string_release(s);
  EXPECT_EQ(s->gc.refcount, 1u);
  string_release(s);
}

TEST(String, SeparateCopiesOnlyWhenShared) {
  HeapBaseline baseline;
  String* s = string_init("x");
  EXPECT_EQ(string_separate(s), s);
  string_copy(s);
  String* d = string_separate(s);
  EXPECT_NE(d, s);
  EXPECT_EQ(s->gc.refcount, 1u);
  string_release(s);
  string_release(d);
}

TEST(Interned, SameBytesSamePointer) {
  String* a = intern("interned key");
  String* b = intern(std::string_view("interned key"));
  EXPECT_EQ(a, b);
  EXPECT_TRUE(a->interned());
  EXPECT_EQ(find_interned("interned key"), a);
  interned_strings_request_reset();
}

TEST(Interned, PermanentTableIsSearchedFirst) {
  EXPECT_EQ(intern("a"), char_string('a'));
  EXPECT_EQ(intern(""), empty_string());
  String* p = intern_permanent("permanent name");
  EXPECT_TRUE(p->gc.type_info & kStrPermanent);
  EXPECT_EQ(intern("permanent name"), p);
  EXPECT_EQ(interned_request_count(), 0u);  // nothing went to the request table
}

TEST(Interned, InternConsumesDuplicate) {
  HeapBaseline baseline;
  String* first = intern(string_init("dup"));
  String* second = string_init("dup");
  EXPECT_EQ(intern(second), first);  // `second` was released
  interned_strings_request_reset();
}

TEST(Interned, SharedStringIsCopiedNotStolen) {
  HeapBaseline baseline;
  String* s = string_init("shared-then-interned");
  string_copy(s);
  String* i = intern(s);  // consumes one of the two references
  EXPECT_NE(i, s);
  EXPECT_EQ(s->gc.refcount, 1u);
  EXPECT_FALSE(s->interned());
  string_release(s);
  interned_strings_request_reset();
}

TEST(Interned, NeverRefcountedNeverFreedByRelease) {
  HeapBaseline baseline;
  String* i = intern("immortal");
  std::uint32_t rc = i->gc.refcount;
  string_copy(i);
  string_release(i);
  string_release(i);
  EXPECT_EQ(i->gc.refcount, rc);
  EXPECT_EQ(find_interned("immortal"), i);
  interned_strings_request_reset();
}

TEST(Interned, RequestResetEmptiesRequestTable) {
  std::size_t before = heap_usage();
  intern("req1");
  intern("req2");
  EXPECT_EQ(interned_request_count(), 2u);
  EXPECT_GT(heap_usage(), before);
  interned_strings_request_reset();
  EXPECT_EQ(interned_request_count(), 0u);
  EXPECT_EQ(heap_usage(), before);
  EXPECT_EQ(find_interned("req1"), nullptr);
}

TEST(Interned, PermanentStringsUsePersistentMemory) {
  std::size_t heap_before = heap_usage();
  std::size_t persistent_before = zmem_persistent_usage();
  String* p = intern_permanent("lives in persistent memory until shutdown");
  EXPECT_TRUE(p->gc.persistent());
  EXPECT_EQ(heap_usage(), heap_before);
  EXPECT_GT(zmem_persistent_usage(), persistent_before);
}

TEST(String, DupOfInternedIsTheSameString) {
  String* i = intern_permanent("dup-of-interned");
  EXPECT_EQ(string_dup(i), i);
}

TEST(Interned, ShutdownFreesPermanentTableAndStartsOverLazily) {
  intern_permanent("will be freed at shutdown");
  std::size_t before = zmem_persistent_usage();
  interned_strings_shutdown();
  EXPECT_LT(zmem_persistent_usage(), before);
  EXPECT_EQ(empty_string()->len, 0u);  // recreated on first use
  EXPECT_EQ(intern("b"), char_string('b'));
}
