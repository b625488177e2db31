// var_dump output: floats, scalars, nesting, byte lengths.
#include <cmath>
#include <limits>

#include "value_test_support.hpp"

using namespace zmem;
using namespace zmem_test;

TEST(Dump, FloatsAsPhpPrintsThem) {
  const double values[] = {0.1, 1e25, -0.0, 1.5, 1.0, 100000.0, 1e14, 1e15, 1e16, 1e17,
                           123456789012345678.0, 0.0001, 0.00001, 1.0 / 3, INFINITY, -INFINITY, NAN, 2.5e-5,
                           1e22, 1e-7, 123456789012345.6, 1234567890123456.7, 0.1 + 0.2, -1.5e300, 5e-324,
                           1.7976931348623157e308, -123.456};
  std::string out;
  for (double d : values) out += Value(d).dump();
  EXPECT_EQ(out, php_expected("FloatFormats"));
}

TEST(Dump, ScalarsAndNestedArrays) {
  HeapBaseline baseline;
  Value y = Value::array();
  y["a"].push(1);
  Value inner = Value::array();
  inner.push(2);
  y["a"].push(inner);
  y["b"] = "x\xc3\xa9";  // string length is in bytes: 3
  y["c"] = nullptr;
  y["d"] = true;
  y["e"] = false;
  y[5] = -7;
  y["f"] = Value::array();
  EXPECT_EQ(y.dump(), php_expected("ScalarsAndNesting"));
}

TEST(Dump, TopLevelScalars) {
  EXPECT_EQ(Value().dump(), "NULL\n");
  EXPECT_EQ(Value(true).dump(), "bool(true)\n");
  EXPECT_EQ(Value(INT64_MIN).dump(), "int(-9223372036854775808)\n");
  EXPECT_EQ(Value(std::string_view("a\0b", 3)).dump(), std::string("string(3) \"a\0b\"\n", 16));
}

TEST(Dump, DeepNestingIsIterative) {
  HeapBaseline baseline;
  const int kDepth = 3000;
  Value outer = Value::array();
  for (int i = 0; i < kDepth; ++i) {
    Value next = Value::array();
    next.push(outer);
    outer = std::move(next);
  }
  std::string s = outer.dump();
  std::size_t arrays = 0;
  for (std::size_t p = s.find("array("); p != std::string::npos; p = s.find("array(", p + 1)) ++arrays;
  EXPECT_EQ(arrays, static_cast<std::size_t>(kDepth + 1));
  EXPECT_EQ(s.substr(s.size() - 2), "}\n");
  EXPECT_FALSE(outer.zval().arr()->gc.type_info & kGcProtected);  // every guard cleared
}

TEST(Dump, WritesToFile) {
  std::FILE* f = std::tmpfile();
  dump(Value(42).zval(), f);
  std::rewind(f);
  char buf[32] = {};
  ASSERT_NE(std::fgets(buf, sizeof buf, f), nullptr);
  EXPECT_STREQ(buf, "int(42)\n");
  std::fclose(f);
}
