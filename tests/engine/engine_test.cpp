// The engine: module lifecycle order, per-thread module globals, bailout from
// C++ and C, fatal errors, limit errors inside a request, and the seed's own
// example (a case-insensitive function table whose misses bail out) run
// 100,000 times with flat memory.
#include <gtest/gtest.h>
#include <zmem/zend_alloc.h>
#include <zmem/zmem.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

extern "C" int zmem_test_c_bailout_nesting(void);  // engine_c_test.c

namespace {

zmem::HeapOptions native_options(std::size_t limit = 0) {
  zmem::HeapOptions o;
  o.limit = limit;
  return o;
}

// MINIT runs dependencies first; MSHUTDOWN runs in reverse.
TEST(Engine, StartupFollowsDependenciesShutdownReverses) {
  std::vector<std::string> log;
  zmem::Engine engine(native_options());
  auto add = [&](const std::string& name, std::vector<std::string> deps) {
    zmem::Module m;
    m.name = name;
    m.dependencies = std::move(deps);
    m.minit = [&log, name] { log.push_back("minit " + name); };
    m.mshutdown = [&log, name] { log.push_back("mshutdown " + name); };
    engine.register_module(std::move(m));
  };
  add("session", {"standard", "hash"});
  add("standard", {});
  add("hash", {"standard"});
  engine.startup();
  EXPECT_EQ(engine.module_names(), (std::vector<std::string>{"standard", "hash", "session"}));
  engine.shutdown();
  EXPECT_EQ(log, (std::vector<std::string>{"minit standard", "minit hash", "minit session", "mshutdown session",
                                           "mshutdown hash", "mshutdown standard"}));
}

// A missing or circular dependency is refused before any MINIT runs.
TEST(Engine, BadDependenciesAreRefused) {
  zmem::Engine missing(native_options());
  bool ran = false;
  zmem::Module a;
  a.name = "a";
  a.dependencies = {"nowhere"};
  a.minit = [&] { ran = true; };
  missing.register_module(a);
  EXPECT_THROW(missing.startup(), std::logic_error);
  EXPECT_FALSE(ran);

  zmem::Engine circular(native_options());
  zmem::Module x, y;
  x.name = "x";
  x.dependencies = {"y"};
  y.name = "y";
  y.dependencies = {"x"};
  circular.register_module(x);
  circular.register_module(y);
  EXPECT_THROW(circular.startup(), std::logic_error);
  EXPECT_THROW(circular.register_module(x), std::logic_error);  // duplicate name
}

// RINIT in order, then RSHUTDOWN and post-deactivate in reverse, each even after a bailout.
TEST(Request, LifecycleOrderSurvivesBailouts) {
  std::vector<std::string> log;
  zmem::Engine engine(native_options());
  for (std::string name : {"one", "two"}) {
    zmem::Module m;
    m.name = name;
    m.rinit = [&log, name] { log.push_back("rinit " + name); };
    m.rshutdown = [&log, name] {
      log.push_back("rshutdown " + name);
      if (name == "two") zmem::bailout();  // must not stop "one"
    };
    m.post_deactivate = [&log, name] { log.push_back("post " + name); };
    engine.register_module(m);
  }
  engine.startup();
  {
    zmem::Request request(engine);
    EXPECT_FALSE(request.run([&] {
      log.push_back("body");
      zmem::bailout();
    }));
    EXPECT_TRUE(request.bailed_out());
  }
  EXPECT_EQ(log, (std::vector<std::string>{"rinit one", "rinit two", "body", "rshutdown two", "rshutdown one",
                                           "post two", "post one"}));
}

// Host code catching std::exception does not swallow a bailout.
TEST(Request, BailoutIsNotAStdException) {
  zmem::Engine engine(native_options());
  engine.startup();
  zmem::Request request(engine);
  bool swallowed = false;
  EXPECT_FALSE(request.run([&] {
    try {
      zmem::bailout();
    } catch (const std::exception&) {
      swallowed = true;
    }
  }));
  EXPECT_FALSE(swallowed);
}

// fatal() prints PHP's form and bails out; the request heap is reset and usable after.
TEST(Request, FatalPrintsAndBailsOut) {
  zmem::Engine engine(native_options());
  engine.startup();
  testing::internal::CaptureStderr();
  {
    zmem::Request request(engine);
    EXPECT_FALSE(request.run([] {
      emalloc(100);
      zmem::fatal("Call to undefined function %s()", "nope");
    }));
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "PHP Fatal error:  Call to undefined function nope()\n");
  zmem::Request next(engine);
  EXPECT_EQ(zmem_usage(next.heap(), 0), 0u);
  EXPECT_TRUE(next.run([] { efree(emalloc(10)); }));
}

// The memory limit inside a request is a fatal error with PHP's text; the next request works.
TEST(Request, LimitErrorBecomesFatalError) {
  zmem::Engine engine(native_options(8u << 20));
  engine.startup();
  testing::internal::CaptureStderr();
  {
    zmem::Request request(engine);
    EXPECT_FALSE(request.run([] {
      for (;;) emalloc(100000);
    }));
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.rfind("PHP Fatal error:  Allowed memory size of 8388608 bytes exhausted (tried to allocate ", 0), 0u)
      << err;
  zmem::Request next(engine);
  EXPECT_EQ(zmem_heap_limit(next.heap()), 8u << 20);
  EXPECT_TRUE(next.run([] { efree(emalloc(1 << 20)); }));
}

// C code bails out with zmem_try / zmem_catch / zmem_end_try, nested.
TEST(Bailout, CFramesNest) { EXPECT_EQ(zmem_test_c_bailout_nesting(), 0); }

struct Counter {
  int value;
  int id;
};
std::atomic<int> g_constructed{0};
std::atomic<int> g_destroyed{0};

// Each thread gets its own module globals, made on first use, destroyed at thread exit.
TEST(ModuleGlobals, OnePerThread) {
  g_constructed = 0;
  g_destroyed = 0;
  zmem::Engine engine(native_options());
  zmem::Module m;
  m.name = "counter";
  m.globals_size = sizeof(Counter);
  m.globals_ctor = [](void* g) {
    static_cast<Counter*>(g)->id = ++g_constructed;
  };
  m.globals_dtor = [](void*) { ++g_destroyed; };
  zmem::ModuleId id = engine.register_module(m);
  engine.startup();
  auto work = [&] {
    zmem::Request request(engine);
    request.run([&] {
      for (int i = 0; i < 1000; ++i) engine.globals<Counter>(id).value++;
    });
    EXPECT_EQ(engine.globals<Counter>(id).value, 1000);
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  EXPECT_EQ(g_constructed.load(), 2);
  EXPECT_EQ(g_destroyed.load(), 2);
  work();  // this thread: a third instance, destroyed by shutdown
  EXPECT_EQ(g_constructed.load(), 3);
  engine.shutdown();
  EXPECT_EQ(g_destroyed.load(), 3);
}

// ---- the seed's example ------------------------------------------------------
// A module keeps a persistent, case-insensitive function table.  Looking a name up
// lower-cases it into a request-heap copy; a miss raises a fatal error before that
// copy is freed.  The bailout lands at the request boundary and the reset reclaims it.
struct FunctionTable {
  std::unordered_map<std::string, int> functions;  // persistent: filled in MINIT
};

int call_function(const FunctionTable& table, const char* name) {
  std::size_t length = std::strlen(name);
  char* lower = static_cast<char*>(emalloc(length + 1));
  for (std::size_t i = 0; i <= length; ++i) lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  auto it = table.functions.find(lower);
  if (it == table.functions.end()) zmem::fatal("Call to undefined function %s()", name);  // `lower` is abandoned
  efree(lower);
  return it->second;
}

TEST(SeedExample, FunctionTableMissesDoNotLeak) {
  zmem::HeapOptions options = native_options();
  zmem::Engine engine(options);
  FunctionTable table;
  zmem::Module m;
  m.name = "functions";
  m.minit = [&] { table.functions = {{"strlen", 1}, {"array_map", 2}, {"json_encode", 3}}; };
  engine.register_module(m);
  engine.startup();
  const char* names[] = {"StrLen", "ARRAY_MAP", "json_encode", "Missing_Function"};
  std::size_t first_real = 0;
  int completed = 0, bailed = 0;
  testing::internal::CaptureStderr();
  for (int i = 0; i < 100000; ++i) {
    zmem::Request request(engine);
    int sum = 0;
    bool ok = request.run([&] {
      for (int k = 0; k < 3; ++k) sum += call_function(table, names[k]);
      if (i % 2 == 0) call_function(table, names[3]);
    });
    ok ? ++completed : ++bailed;
    EXPECT_EQ(sum, 6);
    if (i == 0) first_real = zmem_usage(request.heap(), 1);
    if (i == 99999) {
      EXPECT_EQ(zmem_usage(request.heap(), 1), first_real);
    }
  }
  std::string errors = testing::internal::GetCapturedStderr();
  EXPECT_EQ(completed, 50000);
  EXPECT_EQ(bailed, 50000);
  EXPECT_NE(errors.find("PHP Fatal error:  Call to undefined function Missing_Function()\n"), std::string::npos);
}

// The same on a debug heap: zero leaks reported for the requests that completed.
TEST(SeedExample, DebugHeapReportsNoLeaks) {
  zmem::HeapOptions options = native_options();
  options.debug = 1;
  zmem::Engine engine(options);
  FunctionTable table;
  table.functions = {{"strlen", 1}};
  engine.startup();
  testing::internal::CaptureStderr();
  for (int i = 0; i < 1000; ++i) {
    zmem::Request request(engine);
    request.run([&] {
      call_function(table, "STRLEN");
      if (i % 3 == 0) call_function(table, "nope");
    });
  }
  std::string errors = testing::internal::GetCapturedStderr();
  EXPECT_EQ(errors.find("memory leaks"), std::string::npos) << errors.substr(0, 500);
}

// Two threads run requests at once, each on its own heap (TSan runs this).
TEST(EngineThreads, TwoThreadsRunRequestsConcurrently) {
  zmem::Engine engine(native_options(16u << 20));
  engine.startup();
  auto worker = [&](int seed) {
    for (int i = 0; i < 2000; ++i) {
      zmem::Request request(engine);
      request.run([&] {
        void* blocks[64];
        for (int k = 0; k < 64; ++k) blocks[k] = emalloc(static_cast<std::size_t>((seed * 31 + k * 17 + i) % 3000 + 1));
        for (int k = 0; k < 64; k += 2) efree(blocks[k]);
        if (i % 100 == 0) zmem::bailout();
      });
    }
  };
  std::thread a(worker, 1), b(worker, 2);
  a.join();
  b.join();
}

}  // namespace
