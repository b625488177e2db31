// Runs the C11 checks of c_api_test.c (compiled as C) as GoogleTest cases, one per behaviour.
#include <gtest/gtest.h>

extern "C" {
const char* zmem_ctest_emalloc_family(void);
const char* zmem_ctest_persistent(void);
const char* zmem_ctest_persistent_ignores_limit(void);
const char* zmem_ctest_longjmp_handler(void);
const char* zmem_ctest_stats_and_report(void);
const char* zmem_ctest_persistent_leak_report(void);
}

namespace {

#define ZMEM_C_CHECK(fn)                            \
  do {                                              \
    const char* failure = fn();                     \
    EXPECT_EQ(failure, nullptr) << (failure ? failure : ""); \
  } while (0)

// emalloc/ecalloc/erealloc/estrdup/estrndup/safe_emalloc/safe_erealloc/efree(_size)/pemalloc(,0) on the current heap.
TEST(CApi, ZendMacrosUseCurrentHeap) { ZMEM_C_CHECK(zmem_ctest_emalloc_family); }
// pemalloc(,1) family: persistent allocator, no heap usage, survives reset.
TEST(CApi, PersistentMacros) { ZMEM_C_CHECK(zmem_ctest_persistent); }
// Persistent memory counts in no heap's limit.
TEST(CApi, PersistentIgnoresHeapLimit) { ZMEM_C_CHECK(zmem_ctest_persistent_ignores_limit); }
// A C handler that longjmps gets heap, kind, message and ctx; the heap stays usable.
TEST(CApi, LongjmpHandler) { ZMEM_C_CHECK(zmem_ctest_longjmp_handler); }
// Stats and the printed report from C.
TEST(CApi, StatsAndReport) { ZMEM_C_CHECK(zmem_ctest_stats_and_report); }
// The persistent leak report names live blocks.
TEST(CApi, PersistentLeakReport) { ZMEM_C_CHECK(zmem_ctest_persistent_leak_report); }

}  // namespace
