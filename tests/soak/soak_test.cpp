// Soak: the threaded server (examples/threaded_server.cpp) on 2 threads for many requests.
// Every request is accounted for (completed, limit, bailout), every resource destructor
// and every object destructor ran exactly once, module globals saw every request, and peak
// RSS after warm-up grew by less than 1 MiB.  Sized to take well under a minute on 2 busy
// cores in a release build; sanitizers run fewer requests (same code paths) and skip the
// RSS bound, which their own shadow memory and quarantine would break.
#include <gtest/gtest.h>

#include <cstdlib>

#define ZMEM_THREADED_SERVER_NO_MAIN
#include "threaded_server.cpp"

namespace {

#if defined(__SANITIZE_THREAD__)
constexpr std::uint64_t kDefaultRequests = 20000;
constexpr bool kSanitized = true;
#elif defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kDefaultRequests = 100000;
constexpr bool kSanitized = true;
#else
constexpr std::uint64_t kDefaultRequests = 500000;
constexpr bool kSanitized = false;
#endif

std::uint64_t requests() {
  const char* env = std::getenv("ZMEM_SOAK_REQUESTS");
  return env != nullptr && *env != '\0' ? std::strtoull(env, nullptr, 10) : kDefaultRequests;
}

TEST(Soak, TwoThreadsEveryRequestAccountedFor) {
  threaded_server::Config config;
  config.threads = 2;
  config.requests = requests();
  config.check_rss = !kSanitized;
  threaded_server::Report r = threaded_server::run(config);
  threaded_server::print(r, stdout);

  EXPECT_EQ(r.completed + r.limit + r.bailout, r.requests);
  EXPECT_EQ(r.unexpected, 0u);
  EXPECT_EQ(r.completed, r.kinds[threaded_server::kNormal] + r.kinds[threaded_server::kLeaking]);
  EXPECT_EQ(r.limit, r.kinds[threaded_server::kOverLimit]);
  EXPECT_EQ(r.limit_messages, r.kinds[threaded_server::kOverLimit]);
  EXPECT_EQ(r.bailout, r.kinds[threaded_server::kBailout]);
  EXPECT_GT(r.kinds[threaded_server::kLeaking], 0u);
  EXPECT_GT(r.kinds[threaded_server::kOverLimit], 0u);
  EXPECT_GT(r.kinds[threaded_server::kBailout], 0u);
  EXPECT_EQ(r.rinit, r.requests);
  EXPECT_EQ(r.served, r.requests);
  EXPECT_EQ(r.resources_destroyed, r.resources_created);
  EXPECT_EQ(r.objects_destructed, r.objects_created);
  EXPECT_EQ(r.objects_freed, r.objects_created);
  EXPECT_EQ(r.cache_hits + r.cache_misses, r.requests);
  if (!kSanitized) {
    EXPECT_LT(r.hwm_end_kib - r.hwm_warm_kib, 1024) << "peak RSS grew after warm-up";
  }
  EXPECT_TRUE(r.ok());
}

}  // namespace
