// threaded_server: a ZTS-style host.  N worker threads (default: the number of cores) take
// numbered requests from one queue; each thread runs its requests on its own request heap
// with its own instance of the module's globals, the way a threaded PHP SAPI (ZTS, one
// TSRM context per thread) serves requests.
//
// Every request builds values, arrays (copy-on-write), an object of a registered class
// with a destructor and a resource whose destructor counts itself, and looks up a shared
// cache (zmem::SharedTable: persistent copies, readers in parallel, writers exclusive).
// A fraction of the requests misbehave on purpose:
//   leaking     allocates and never frees (blocks, an array, an object, a resource): the
//               request's end closes the resource, runs the destructor, the reset reclaims
//   over-limit  emallocs until the per-request memory limit turns into a fatal error
//               ("Allowed memory size of N bytes exhausted ...") and bails out
//   bailout     calls zmem::bailout() in the middle of its work
//
// It prints the count of each kind and outcome, requests/s (with the CPU time and context
// switches, which tell lock waits from a busy machine), the process's RSS, and exits with
// status 1 if a check fails:
//   - every request accounted for: completed (normal, leaking), limit (over-limit: one
//     limit fatal error each, counted on stderr), bailout (bailout); RINIT and RSHUTDOWN
//     ran once each (counted in the module's per-thread globals);
//   - every resource destructor ran exactly once; every object's destructor and free
//     handler ran exactly once;
//   - peak RSS (VmHWM) after warm-up (the first tenth of the requests) grew by < 1 MiB.
//
// Options: --threads N, --requests N (100000), --limit BYTES (8 MiB), --verbose (show the
// fatal errors instead of counting them quietly), --scaling (run with 1 thread first, then
// with N, and print the ratio of requests/s).
//
// tests/soak includes this file with ZMEM_THREADED_SERVER_NO_MAIN defined and calls
// threaded_server::run().
#include <zmem/array.hpp>
#include <zmem/object.hpp>
#include <zmem/resource.hpp>
#include <zmem/zend_alloc.h>
#include <zmem/zmem.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace threaded_server {

enum Kind { kNormal, kLeaking, kOverLimit, kBailout, kKinds };
inline const char* const kKindNames[kKinds] = {"normal", "leaking", "over-limit", "bailout"};

struct Config {
  unsigned threads = 0;  ///< 0: the number of cores
  std::uint64_t requests = 100000;
  std::size_t limit = 8u << 20;
  bool verbose = false;   ///< fatal errors go to stderr instead of being counted quietly
  bool check_rss = true;  ///< sanitizers inflate RSS on their own: the soak test turns this off
};

struct Report {
  unsigned threads = 0;
  std::uint64_t requests = 0;
  std::uint64_t kinds[kKinds] = {};
  std::uint64_t completed = 0, limit = 0, bailout = 0, unexpected = 0;
  std::uint64_t limit_messages = 0;  ///< "Allowed memory size ..." fatal errors seen on stderr
  std::uint64_t rinit = 0, served = 0;
  std::uint64_t resources_created = 0, resources_destroyed = 0;
  std::uint64_t objects_created = 0, objects_destructed = 0, objects_freed = 0;
  std::uint64_t cache_hits = 0, cache_misses = 0, cache_writes = 0;
  double seconds = 0, requests_per_second = 0;
  double cpu_seconds = 0;  ///< user + system time of the process during the run
  long waits = 0, preemptions = 0;  ///< voluntary (blocked: lock, mmap) and involuntary context switches
  long hwm_warm_kib = 0, rss_warm_kib = 0, hwm_end_kib = 0, rss_end_kib = 0;
  std::vector<std::string> failures;
  bool ok() const { return failures.empty(); }
};

namespace detail {

// Counters of what a worker's requests did (destructors run on the thread whose request
// owns the value): thread-local, so the request path writes no shared cache line, and
// folded into the process totals when the worker stops.
struct Counts {
  std::uint64_t kinds[kKinds], completed, limit, bailout, unexpected;
  std::uint64_t resources_created, resources_destroyed, objects_created, objects_destructed, objects_freed;

  void add(const Counts& o) {
    for (int k = 0; k < kKinds; ++k) kinds[k] += o.kinds[k];
    completed += o.completed, limit += o.limit, bailout += o.bailout, unexpected += o.unexpected;
    resources_created += o.resources_created, resources_destroyed += o.resources_destroyed;
    objects_created += o.objects_created, objects_destructed += o.objects_destructed, objects_freed += o.objects_freed;
  }
};
thread_local Counts t_counts;
std::mutex g_counts_mutex;
Counts g_counts;

void fold_counts() {
  std::lock_guard<std::mutex> lock(g_counts_mutex);
  g_counts.add(t_counts);
  t_counts = {};
}

std::atomic<std::uint64_t> g_rinit, g_served, g_cache_hits, g_cache_misses, g_cache_writes;

/// The module's per-thread globals (ZEND_BEGIN_MODULE_GLOBALS): plain counters, folded into
/// the process totals when the thread goes away.
struct Globals {
  std::uint64_t rinit, served, cache_hits, cache_misses, cache_writes;
};

void globals_dtor(void* p) {
  auto* g = static_cast<Globals*>(p);
  g_rinit += g->rinit;
  g_served += g->served;
  g_cache_hits += g->cache_hits;
  g_cache_misses += g->cache_misses;
  g_cache_writes += g->cache_writes;
}

zmem::Engine* g_engine = nullptr;
zmem::ModuleId g_module;

/// This thread's instance (ZEND_MODULE_GLOBALS_ACCESSOR): a thread-local load and an offset.
Globals& globals() { return g_engine->globals<Globals>(g_module); }

/// Persistent module state, made in MINIT and freed in MSHUTDOWN.
std::unique_ptr<zmem::SharedTable> g_cache;
const zmem::ClassEntry* g_class = nullptr;
int g_resource_type = 0;

/// A resource's host state: request memory, freed by the destructor.
void connection_dtor(zmem::Resource* r) {
  efree(r->ptr);
  ++t_counts.resources_destroyed;
}

thread_local std::size_t t_over_limit_bytes = 0;

std::uint64_t mix(std::uint64_t x) {  // splitmix64: kinds spread evenly, reproducibly
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

Kind kind_of(std::uint64_t n) {
  std::uint64_t dice = mix(n) % 100;
  if (dice < 5) return kLeaking;
  if (dice < 7) return kOverLimit;
  if (dice < 10) return kBailout;
  return kNormal;
}

zmem::Value new_object(std::int64_t id) {
  zmem::Zval z;
  zmem::Object* o = zmem::object_new(g_class);
  ++t_counts.objects_created;
  zmem::set_object(z, o);
  zmem::object_property_write(o, "id")->set_long(id);
  return zmem::Value::adopt(z);
}

zmem::Value new_connection(std::int64_t id) {
  void* state = emalloc(96);
  std::memset(state, static_cast<int>(id & 0x7f), 96);
  zmem::Zval z;
  zmem::set_resource(z, zmem::register_resource(state, g_resource_type));
  ++t_counts.resources_created;
  return zmem::Value::adopt(z);
}

/// The shared cache: one lookup per request; a miss builds the entry and adds it (a
/// writer); now and then a request refreshes an entry.
void cache_lookup(Globals& g, std::uint64_t n) {
  std::string key = "config:" + std::to_string(n % 64);
  std::optional<zmem::Value> config = g_cache->get(key);
  if (config) {
    ++g.cache_hits;
    if (config->get("slot").as_long() != static_cast<std::int64_t>(n % 64)) std::abort();  // a torn entry
  } else {
    ++g.cache_misses;
  }
  if (!config || n % 1000 == 0) {
    zmem::Value v = zmem::Value::array();
    v.set("slot", zmem::Value(static_cast<std::int64_t>(n % 64)));
    v.set("name", zmem::Value(key));
    for (int i = 0; i < 8; ++i) v["hosts"].push(zmem::Value("10.0.0." + std::to_string(i)));
    g_cache->put(key, v);
    ++g.cache_writes;
  }
}

/// What every request does: values, arrays, an object, a resource, the cache.
void work(Globals& g, std::uint64_t n, Kind kind) {
  cache_lookup(g, n);
  zmem::Value rows = zmem::Value::array();
  for (int i = 0; i < 24; ++i) {
    zmem::Value row = zmem::Value::array();
    row.set("id", zmem::Value(static_cast<std::int64_t>(n + i)));
    row.set("title", zmem::Value("row " + std::to_string(i) + " of request " + std::to_string(n)));
    row.set("score", zmem::Value(i * 0.5));
    rows.push(row);
  }
  zmem::Value copy = rows;                  // shared ...
  copy[3]["title"] = zmem::Value("edited");  // ... until written: separated
  if (rows.get(3).get("title").as_string() == "edited") std::abort();

  zmem::Value object = new_object(static_cast<std::int64_t>(n));
  zmem::Value connection = new_connection(static_cast<std::int64_t>(n));
  rows.set("owner", object);
  rows.set("db", connection);
  if (n % 2 == 0) rows.erase("db");  // the array's copy goes; the variable keeps it alive

  switch (kind) {
    case kLeaking: {
      for (int i = 0; i < 16; ++i) std::memset(emalloc(40 + 16 * i), 0, 40);  // never freed
      zmem::Value lost = rows;
      lost.set("extra", new_connection(-1));
      lost.set("self", new_object(-1));
      (void)lost.release();  // the array (and the object and resources in it) is never released
      break;
    }
    case kOverLimit:
      t_over_limit_bytes = 0;
      for (;;) {
        void* block = emalloc(64 * 1024);  // runs until the limit error bails out
        std::memset(block, 1, 64);
        t_over_limit_bytes += 64 * 1024;
      }
    case kBailout:
      zmem::bailout();  // with values, an object and a resource still alive on the stack
    default:
      break;
  }
}

zmem::ModuleId register_module(zmem::Engine& engine) {
  zmem::Module m;
  m.name = "threaded_server";
  m.globals_size = sizeof(Globals);
  m.globals_dtor = globals_dtor;
  m.minit = [] {
    g_cache = std::make_unique<zmem::SharedTable>("config cache");
    zmem::ClassEntry entry;
    entry.name = "Session";
    entry.properties.push_back({"id", {}});
    entry.properties.back().default_value.value.lval = 0;
    entry.properties.back().default_value.set_null();
    entry.handlers.destructor = [](zmem::Object*) { ++t_counts.objects_destructed; };
    entry.handlers.free = [](zmem::Object*) { ++t_counts.objects_freed; };
    if (g_class == nullptr) g_class = zmem::register_class(std::move(entry));
    if (g_resource_type == 0) g_resource_type = zmem::register_resource_type("connection", connection_dtor);
  };
  m.mshutdown = [] { g_cache.reset(); };
  m.rinit = [] { ++globals().rinit; };
  m.rshutdown = [] { ++globals().served; };
  g_engine = &engine;
  g_module = engine.register_module(std::move(m));
  return g_module;
}

rusage usage_now() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u;
}

double cpu_seconds(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long status_kib(const char* field) {  // VmHWM / VmRSS from /proc/self/status
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  long value = -1;
  std::size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') value = std::strtol(line + n + 1, nullptr, 10);
  }
  std::fclose(f);
  return value;
}

/// Sends stderr to a temporary file for the run, then counts the limit errors in it and
/// passes anything else on.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    file_ = std::tmpfile();
    saved_ = dup(2);
    if (file_ != nullptr && saved_ >= 0) dup2(fileno(file_), 2);
  }
  /// Restores stderr; returns the number of limit errors; prints the other lines (at most 20).
  std::uint64_t finish() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      dup2(saved_, 2);
      close(saved_);
    }
    // Two threads' fatal errors may interleave within a line: count occurrences, not lines.
    static constexpr char kLimitText[] = "Allowed memory size of ";
    std::uint64_t limit = 0, other = 0;
    if (file_ == nullptr) return 0;
    std::rewind(file_);
    char line[1024];
    while (std::fgets(line, sizeof line, file_) != nullptr) {
      bool known = std::strncmp(line, "PHP Fatal error:", 16) == 0 || std::strcmp(line, "\n") == 0;
      for (const char* p = line; (p = std::strstr(p, kLimitText)) != nullptr; p += sizeof kLimitText - 1) {
        ++limit;
        known = true;
      }
      if (!known && ++other <= 20) std::fputs(line, stderr);
    }
    if (other > 20) std::fprintf(stderr, "... %llu more lines on stderr\n", static_cast<unsigned long long>(other - 20));
    std::fclose(file_);
    return limit;
  }

 private:
  std::FILE* file_ = nullptr;
  int saved_ = -1;
};

void check(Report& r, bool ok, std::string what) {
  if (!ok) r.failures.push_back(std::move(what));
}

}  // namespace detail

/// Serves config.requests requests on config.threads threads and checks the accounting.
inline Report run(const Config& config) {
  using namespace detail;
  Report r;
  r.threads = config.threads != 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  r.requests = config.requests;
  for (auto* c : {&g_rinit, &g_served, &g_cache_hits, &g_cache_misses, &g_cache_writes}) *c = 0;
  g_counts = {};
  zmem::HeapOptions heap_options = zmem::HeapOptions::from_env();
  heap_options.limit = config.limit;
  std::uint64_t warmup = config.requests / 10;

  std::atomic<std::uint64_t> next{0};  // the queue: request numbers, taken in order
  std::atomic<long> hwm_warm{-1}, rss_warm{-1};

  std::unique_ptr<StderrCapture> capture;
  if (!config.verbose) capture = std::make_unique<StderrCapture>();
  auto start = std::chrono::steady_clock::now();
  rusage usage_start = usage_now();
  {
    zmem::Engine engine(heap_options);
    register_module(engine);
    engine.startup();
    auto worker = [&] {
      for (;;) {
        std::uint64_t n = next.fetch_add(1, std::memory_order_relaxed);
        if (n >= config.requests) break;
        if (n == warmup) {
          hwm_warm = status_kib("VmHWM");
          rss_warm = status_kib("VmRSS");
        }
        Kind kind = kind_of(n);
        ++t_counts.kinds[kind];
        bool ok;
        {
          zmem::Request request(engine);  // RINIT: the thread's heap made current
          ok = request.run([&] { work(globals(), n, kind); });
        }  // destructors, RSHUTDOWN, resources closed, heap reset
        if (ok && (kind == kNormal || kind == kLeaking)) {
          ++t_counts.completed;
        } else if (!ok && kind == kOverLimit && t_over_limit_bytes + 64 * 1024 >= config.limit / 2) {
          ++t_counts.limit;
        } else if (!ok && kind == kBailout) {
          ++t_counts.bailout;
        } else {
          ++t_counts.unexpected;
        }
      }
      fold_counts();
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < r.threads; ++t) threads.emplace_back(worker);
    for (std::thread& t : threads) t.join();  // thread exit: globals folded, heaps destroyed
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage_end = usage_now();
    r.cpu_seconds = cpu_seconds(usage_end) - cpu_seconds(usage_start);
    r.waits = usage_end.ru_nvcsw - usage_start.ru_nvcsw;
    r.preemptions = usage_end.ru_nivcsw - usage_start.ru_nivcsw;
    r.hwm_end_kib = status_kib("VmHWM");
    r.rss_end_kib = status_kib("VmRSS");
    engine.shutdown();
  }
  if (capture) r.limit_messages = capture->finish();

  const Counts& c = g_counts;
  for (int k = 0; k < kKinds; ++k) r.kinds[k] = c.kinds[k];
  r.completed = c.completed;
  r.limit = c.limit;
  r.bailout = c.bailout;
  r.unexpected = c.unexpected;
  r.rinit = g_rinit;
  r.served = g_served;
  r.resources_created = c.resources_created;
  r.resources_destroyed = c.resources_destroyed;
  r.objects_created = c.objects_created;
  r.objects_destructed = c.objects_destructed;
  r.objects_freed = c.objects_freed;
  r.cache_hits = g_cache_hits;
  r.cache_misses = g_cache_misses;
  r.cache_writes = g_cache_writes;
  r.requests_per_second = r.seconds > 0 ? static_cast<double>(r.requests) / r.seconds : 0;
  r.hwm_warm_kib = hwm_warm;
  r.rss_warm_kib = rss_warm;

  check(r, r.completed + r.limit + r.bailout == r.requests && r.unexpected == 0,
        "requests unaccounted for: " + std::to_string(r.unexpected));
  check(r, r.completed == r.kinds[kNormal] + r.kinds[kLeaking], "completed != normal + leaking");
  check(r, r.limit == r.kinds[kOverLimit], "limit != over-limit");
  check(r, r.bailout == r.kinds[kBailout], "bailout != bailout requests");
  if (!config.verbose) check(r, r.limit_messages == r.kinds[kOverLimit], "limit fatal errors on stderr != over-limit");
  check(r, r.rinit == r.requests && r.served == r.requests, "module globals did not see every request");
  check(r, r.resources_destroyed == r.resources_created, "resource destructors != resources created");
  check(r, r.objects_destructed == r.objects_created, "object destructors != objects created");
  check(r, r.objects_freed == r.objects_created, "object free handlers != objects created");
  check(r, r.cache_hits + r.cache_misses == r.requests, "cache lookups != requests");
  if (config.check_rss && warmup > 0) {
    check(r, r.hwm_warm_kib > 0 && r.hwm_end_kib - r.hwm_warm_kib < 1024, "peak RSS grew by 1 MiB or more after warm-up");
  }
  return r;
}

inline void print(const Report& r, std::FILE* out) {
  std::fprintf(out, "threads %u, requests %llu, %.2f s, %.0f requests/s (CPU %.2f s: %.2f us a request, %.0f%% of %u threads)\n",
               r.threads, static_cast<unsigned long long>(r.requests), r.seconds, r.requests_per_second, r.cpu_seconds,
               r.requests > 0 ? r.cpu_seconds * 1e6 / static_cast<double>(r.requests) : 0.0,
               r.seconds > 0 ? 100 * r.cpu_seconds / (r.seconds * r.threads) : 0.0, r.threads);
  std::fprintf(out, "context switches: %ld waits (blocked), %ld preemptions\n", r.waits, r.preemptions);
  std::fprintf(out, "kinds:    ");
  for (int k = 0; k < kKinds; ++k) std::fprintf(out, " %s %llu", kKindNames[k], static_cast<unsigned long long>(r.kinds[k]));
  std::fprintf(out, "\noutcomes:  completed %llu, limit %llu (fatal errors seen %llu), bailout %llu, unexpected %llu\n",
               static_cast<unsigned long long>(r.completed), static_cast<unsigned long long>(r.limit),
               static_cast<unsigned long long>(r.limit_messages), static_cast<unsigned long long>(r.bailout),
               static_cast<unsigned long long>(r.unexpected));
  std::fprintf(out, "resources: created %llu, destructors %llu\n", static_cast<unsigned long long>(r.resources_created),
               static_cast<unsigned long long>(r.resources_destroyed));
  std::fprintf(out, "objects:   created %llu, destructors %llu, freed %llu\n",
               static_cast<unsigned long long>(r.objects_created), static_cast<unsigned long long>(r.objects_destructed),
               static_cast<unsigned long long>(r.objects_freed));
  std::fprintf(out, "cache:     hits %llu, misses %llu, writes %llu\n", static_cast<unsigned long long>(r.cache_hits),
               static_cast<unsigned long long>(r.cache_misses), static_cast<unsigned long long>(r.cache_writes));
  std::fprintf(out, "RSS:       peak after warm-up %ld KiB, peak at end %ld KiB (growth %ld KiB), current %ld KiB\n",
               r.hwm_warm_kib, r.hwm_end_kib, r.hwm_end_kib - r.hwm_warm_kib, r.rss_end_kib);
  for (const std::string& f : r.failures) std::fprintf(out, "CHECK FAILED: %s\n", f.c_str());
  std::fprintf(out, "%s\n", r.ok() ? "all checks passed" : "FAILED");
}

}  // namespace threaded_server

#ifndef ZMEM_THREADED_SERVER_NO_MAIN
int main(int argc, char** argv) {
  threaded_server::Config config;
  bool scaling = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> unsigned long long {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return std::strtoull(argv[++i], nullptr, 10);
    };
    if (arg == "--threads") {
      config.threads = static_cast<unsigned>(value());
    } else if (arg == "--requests") {
      config.requests = value();
    } else if (arg == "--limit") {
      config.limit = static_cast<std::size_t>(value());
    } else if (arg == "--verbose") {
      config.verbose = true;
    } else if (arg == "--scaling") {
      scaling = true;
    } else {
      std::fprintf(stderr, "usage: %s [--threads N] [--requests N] [--limit BYTES] [--verbose] [--scaling]\n", argv[0]);
      return 2;
    }
  }
  bool ok = true;
  double single = 0;
  if (scaling) {
    threaded_server::Config one = config;
    one.threads = 1;
    threaded_server::Report r = threaded_server::run(one);
    threaded_server::print(r, stdout);
    single = r.requests_per_second;
    ok = r.ok();
    std::printf("\n");
  }
  threaded_server::Report r = threaded_server::run(config);
  threaded_server::print(r, stdout);
  ok = ok && r.ok();
  if (scaling && single > 0) {
    std::printf("\nscaling: %.0f requests/s with 1 thread, %.0f with %u: %.2fx\n", single, r.requests_per_second,
                r.threads, r.requests_per_second / single);
  }
  return ok ? 0 : 1;
}
#endif
