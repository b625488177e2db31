// Heap options from the environment (DESIGN.md "Environment variables"): ZMEM_LIMIT with
// PHP-style k/m/g suffixes, -1/0 unlimited; ZMEM_DEBUG; ZMEM_ALLOC and USE_ZEND_ALLOC=0 (ZMEM_ALLOC
// wins); every field set; zmem_heap_new(NULL) and HeapOptions::from_env use them.
#include <zmem/heap.hpp>

#include <cstdlib>

#include "heap_test_support.hpp"

using namespace zmem_test;

namespace {

const char* const kVars[] = {"ZMEM_LIMIT", "ZMEM_DEBUG", "ZMEM_ALLOC", "USE_ZEND_ALLOC", "ZMEM_REPORT", "ZMEM_HUGE_PAGES"};

class EnvOptions : public testing::Test {
 protected:
  void SetUp() override {
    for (const char* v : kVars) {
      const char* old = std::getenv(v);
      saved_.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
      unsetenv(v);
    }
  }
  void TearDown() override {
    for (auto& [name, value] : saved_) {
      if (value)
        setenv(name, value->c_str(), 1);
      else
        unsetenv(name);
    }
  }
  static zmem_heap_options read() {
    zmem_heap_options o;
    o.limit = 12345;  // garbage: every field must be set
    o.debug = 7;
    o.system = 9;
    o.small_pages = 9;
    zmem_heap_options_from_env(&o);
    return o;
  }
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

// With nothing set, every field gets its default: unlimited, no debug, native.
TEST_F(EnvOptions, DefaultsWhenUnset) {
  zmem_heap_options o = read();
  EXPECT_EQ(o.limit, 0u);
  EXPECT_EQ(o.debug, 0);
  EXPECT_EQ(o.system, 0);
  EXPECT_EQ(o.small_pages, 0);
}

// ZMEM_LIMIT accepts bytes and k/m/g in either case, like memory_limit.
TEST_F(EnvOptions, LimitUnits) {
  const std::pair<const char*, std::size_t> cases[] = {
      {"1048576", 1048576}, {"128M", 128 * kMiB}, {"128m", 128 * kMiB}, {"64k", 64 * 1024},
      {"64K", 64 * 1024},   {"2G", 2048 * kMiB},  {"1g", 1024 * kMiB},
  };
  for (auto [text, bytes] : cases) {
    setenv("ZMEM_LIMIT", text, 1);
    EXPECT_EQ(read().limit, bytes) << text;
  }
}

// ZMEM_LIMIT of -1 or 0 means unlimited.
TEST_F(EnvOptions, LimitMinusOneAndZeroAreUnlimited) {
  setenv("ZMEM_LIMIT", "-1", 1);
  EXPECT_EQ(read().limit, 0u);
  setenv("ZMEM_LIMIT", "0", 1);
  EXPECT_EQ(read().limit, 0u);
}

// ZMEM_DEBUG selects the debug level.
TEST_F(EnvOptions, DebugLevel) {
  setenv("ZMEM_DEBUG", "2", 1);
  EXPECT_EQ(read().debug, 2);
  setenv("ZMEM_DEBUG", "1", 1);
  EXPECT_EQ(read().debug, 1);
  setenv("ZMEM_DEBUG", "0", 1);
  EXPECT_EQ(read().debug, 0);
}

// ZMEM_ALLOC=system and USE_ZEND_ALLOC=0 both choose the system heap.
TEST_F(EnvOptions, SystemAllocator) {
  setenv("ZMEM_ALLOC", "system", 1);
  EXPECT_EQ(read().system, 1);
  unsetenv("ZMEM_ALLOC");
  setenv("USE_ZEND_ALLOC", "0", 1);
  EXPECT_EQ(read().system, 1);
  setenv("USE_ZEND_ALLOC", "1", 1);
  EXPECT_EQ(read().system, 0);
}

// ZMEM_HUGE_PAGES=0 turns transparent huge pages off; any other number leaves them on.
TEST_F(EnvOptions, HugePagesSwitch) {
  setenv("ZMEM_HUGE_PAGES", "0", 1);
  EXPECT_EQ(read().small_pages, 1);
  setenv("ZMEM_HUGE_PAGES", "1", 1);
  EXPECT_EQ(read().small_pages, 0);
  EXPECT_FALSE(zmem::HeapOptions::from_env().small_pages);
  setenv("ZMEM_HUGE_PAGES", "0", 1);
  EXPECT_TRUE(zmem::HeapOptions::from_env().small_pages);
}

// ZMEM_ALLOC wins over USE_ZEND_ALLOC when both are set.
TEST_F(EnvOptions, ZmemAllocWinsOverUseZendAlloc) {
  setenv("ZMEM_ALLOC", "zmem", 1);
  setenv("USE_ZEND_ALLOC", "0", 1);
  EXPECT_EQ(read().system, 0);
  setenv("ZMEM_ALLOC", "system", 1);
  setenv("USE_ZEND_ALLOC", "1", 1);
  EXPECT_EQ(read().system, 1);
}

// zmem_heap_new(NULL) takes its options from the environment.
TEST_F(EnvOptions, HeapNewNullUsesEnvironment) {
  setenv("ZMEM_LIMIT", "64M", 1);
  zmem_heap* h = zmem_heap_new(nullptr);
  EXPECT_EQ(zmem_heap_limit(h), 64 * kMiB);
  EXPECT_EQ(zmem_heap_mode(h), 0);
  zmem_heap_destroy(h);
}

// Explicit options ignore the environment.
TEST_F(EnvOptions, ExplicitOptionsIgnoreEnvironment) {
  setenv("ZMEM_LIMIT", "64M", 1);
  zmem_heap* h = zmem_heap_new(&kNativeOptions);
  EXPECT_EQ(zmem_heap_limit(h), 0u);
  zmem_heap_destroy(h);
}

// HeapOptions::from_env reads the same variables.
TEST_F(EnvOptions, CxxFromEnv) {
  setenv("ZMEM_LIMIT", "32m", 1);
  setenv("ZMEM_DEBUG", "1", 1);
  zmem::HeapOptions o = zmem::HeapOptions::from_env();
  EXPECT_EQ(o.limit, 32 * kMiB);
  EXPECT_EQ(o.debug, 1);
  EXPECT_FALSE(o.system);
}

}  // namespace
