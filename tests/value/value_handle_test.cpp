// zmem::Value: copy is addref, destruction is ptr_dtor, moves transfer,
// typed accessors, element access that separates on write.
#include "value_test_support.hpp"

using namespace zmem;
using namespace zmem_test;

TEST(Value, CopyIsAddrefDestructionReleases) {
  HeapBaseline baseline;
  Value a("a string that lives on the heap");
  {
    Value b = a;
    EXPECT_EQ(a.refcount(), 2u);
    EXPECT_EQ(a.zval().str(), b.zval().str());
  }
  EXPECT_EQ(a.refcount(), 1u);
}

TEST(Value, MoveTransfersWithoutCounting) {
  HeapBaseline baseline;
  Value a("moved");
  Value b = std::move(a);
  EXPECT_TRUE(a.is_undef());  // NOLINT: moved-from state is specified
  EXPECT_EQ(b.refcount(), 1u);
  Value c;
  c = std::move(b);
  EXPECT_EQ(c.as_string(), "moved");
}

TEST(Value, CopyAssignmentReplacesSlot) {
  HeapBaseline baseline;
  Value a(1);
  Value b;
  b.assign_ref(a);
  Value c(2);
  b = c;  // C++ assignment: b stops being a reference, a keeps its value
  EXPECT_FALSE(b.is_ref());
  EXPECT_EQ(a.as_long(), 1);
}

TEST(Value, TypedAccessors) {
  HeapBaseline baseline;
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_TRUE(Value(true).as_bool());
  EXPECT_EQ(Value(7).as_long(), 7);
  EXPECT_EQ(Value(2.5).as_double(), 2.5);
  EXPECT_EQ(Value("s").as_string(), "s");
  EXPECT_EQ(Value("").as_string(), "");
  EXPECT_TRUE(Value::array().is_array());
  EXPECT_EQ(Value(7).size(), 0u);
}

TEST(Value, AccessorsLookThroughReference) {
  HeapBaseline baseline;
  Value a(5);
  Value b;
  b.assign_ref(a);
  EXPECT_TRUE(b.is_ref());
  EXPECT_TRUE(b.is_long());
  EXPECT_EQ(b.as_long(), 5);
}

TEST(Value, ElementWriteSeparates) {
  HeapBaseline baseline;
  Value a = Value::array();
  a["list"].push(1);
  Value b = a;
  b["list"][0] = 2;
  EXPECT_EQ(a["list"][0].get().as_long(), 1);
  EXPECT_EQ(b["list"][0].get().as_long(), 2);
  Value c = b;
  std::move(c["list"]).erase(0);
  EXPECT_EQ(b["list"].get().size(), 1u);
  EXPECT_EQ(c["list"].get().size(), 0u);
}

TEST(Value, ElementAssignFromElement) {
  HeapBaseline baseline;
  Value a = Value::array();
  a["x"] = 1;
  a["y"] = a["x"];
  EXPECT_EQ(a.get("y").as_long(), 1);
}

TEST(Value, ContainsAndErase) {
  HeapBaseline baseline;
  Value a = Value::array();
  a.set("12", 1);  // integer key 12
  EXPECT_TRUE(a.contains(12));
  EXPECT_TRUE(a.contains("12"));
  a.erase(12);
  EXPECT_FALSE(a.contains("12"));
  std::move(a["no"]).erase("path");  // unset never creates the path
  EXPECT_FALSE(a.contains("no"));
}

TEST(Value, ReleaseHandsOverOwnership) {
  HeapBaseline baseline;
  Value a("owned");
  Zval z = a.release();
  EXPECT_TRUE(a.is_undef());
  Value b = Value::adopt(z);
  EXPECT_EQ(b.refcount(), 1u);
}
