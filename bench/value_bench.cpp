// Value benchmark: zmem's HashTable against PHP's own zend_hash (Debian's
// libphp8.2.so, in the same binary), with std::unordered_map and std::map for
// scale.
//
//   zmem       new_array / hash_next_index_insert / hash_add / hash_find /
//              hash_del / array_dup / array_destroy on the current zmem heap
//   zend       _zend_new_array / zend_hash_next_index_insert / zend_hash_add /
//              zend_hash_find / zend_hash_del / zend_array_dup /
//              zend_array_destroy, on a ZendMM heap made with zend_mm_startup()
//              and installed with zend_mm_set_heap() (all emalloc needs; no
//              SAPI is started)
//   unordered  std::unordered_map<std::string, long> (std::unordered_map<long, long> for ints)
//   map        std::map<std::string, long>
//
// Workloads (keys made before timing; N = 1M):
//   append     a new array, N integers appended (packed), destroyed
//   insert     a new array, N distinct string keys added, destroyed
//   hit        N lookups of present keys (separate string objects with the
//              same bytes, so the comparison is not a pointer shortcut)
//   miss       N lookups of absent keys
//   delreins   every key deleted and added again (compaction as the table fills)
//   iterate    ordered walk over N string-keyed elements, summing the values
//   cow        a packed array of N shared by two owners; one writes an element:
//              separation (array_dup) + write + destroy of the copy
//
// --passes=N runs every benchmark exactly N times (for counting under cachegrind; see
// bench/cachegrind_values.sh); without it the library chooses the count by time.
//
// Bytes per element (counter bytes_per_elem): heap usage of the table alone
// after building N elements (keys excluded), zend_memory_usage vs zmem_usage.
//
// The zend_* functions and zend_string/zend_array are declared here by hand:
// their PHP 8.2 layouts are exactly zmem's (static_asserts in zmem's headers),
// so zmem's structs serve for both; ZEND_FASTCALL is empty on x86-64 and the
// non-debug build has no file/line parameters.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <zmem/array.hpp>

using zmem::HashTable;
using zmem::String;
using zmem::Zval;

#ifdef ZMEM_BENCH_HAVE_LIBPHP
extern "C" {
struct _zend_mm_heap;
_zend_mm_heap* zend_mm_startup(void);
_zend_mm_heap* zend_mm_set_heap(_zend_mm_heap* heap);
void* _emalloc(std::size_t size);
void _efree(void* p);
std::size_t zend_memory_usage(bool real_usage);
HashTable* _zend_new_array(std::uint32_t size);
Zval* zend_hash_next_index_insert(HashTable* ht, Zval* pData);
Zval* zend_hash_add(HashTable* ht, String* key, Zval* pData);
Zval* zend_hash_find(const HashTable* ht, String* key);
int zend_hash_del(HashTable* ht, String* key);
Zval* zend_hash_index_update(HashTable* ht, std::uint64_t h, Zval* pData);
void zend_array_destroy(HashTable* ht);
HashTable* zend_array_dup(HashTable* source);
}
#endif

namespace {

constexpr int kN = 1000000;

std::vector<std::string> make_words(int n, const char* prefix, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> w;
  w.reserve(n);
  for (int i = 0; i < n; ++i) w.push_back(prefix + std::to_string(i) + "_" + std::to_string(rng() % 100000));
  return w;
}

const std::vector<std::string>& words() {
  static std::vector<std::string> w = make_words(kN, "key", 1);
  return w;
}
const std::vector<std::string>& absent_words() {
  static std::vector<std::string> w = make_words(kN, "nokey", 2);
  return w;
}

Zval long_zval(std::int64_t v) {
  Zval z;
  z.set_long(v);
  return z;
}

// ---- zmem --------------------------------------------------------------------------

struct ZmemSide {
  std::vector<String*> keys, probe, absent;
  ZmemSide() {
    for (const auto& w : words()) keys.push_back(zmem::string_init(w));
    for (const auto& w : words()) probe.push_back(zmem::string_init(w));
    for (const auto& w : absent_words()) absent.push_back(zmem::string_init(w));
  }
  HashTable* build_strings() {
    HashTable* ht = zmem::new_array();
    for (int i = 0; i < kN; ++i) {
      Zval v = long_zval(i);
      zmem::hash_add(ht, keys[i], &v);
    }
    return ht;
  }
  HashTable* build_packed() {
    HashTable* ht = zmem::new_array();
    for (int i = 0; i < kN; ++i) {
      Zval v = long_zval(i);
      zmem::hash_next_index_insert(ht, &v);
    }
    return ht;
  }
  static std::size_t usage() { return zmem_usage(zmem_current_heap(), 0); }
};

ZmemSide& zmem_side() {
  static ZmemSide s;
  return s;
}

// ---- zend ----------------------------------------------------------------------------

#ifdef ZMEM_BENCH_HAVE_LIBPHP
String* zend_string_make(const std::string& s) {
  auto* z = static_cast<String*>(_emalloc((zmem::kStringHeaderSize + s.size() + 1 + 7) & ~std::size_t{7}));
  z->gc.refcount = 1;
  z->gc.type_info = zmem::kGcString;  // GC_STRING: IS_STRING | GC_NOT_COLLECTABLE
  z->h = 0;
  z->len = s.size();
  std::memcpy(z->val, s.data(), s.size() + 1);
  return z;
}

struct ZendSide {
  std::vector<String*> keys, probe, absent;
  ZendSide() {
    zend_mm_set_heap(zend_mm_startup());
    for (const auto& w : words()) keys.push_back(zend_string_make(w));
    for (const auto& w : words()) probe.push_back(zend_string_make(w));
    for (const auto& w : absent_words()) absent.push_back(zend_string_make(w));
  }
  HashTable* build_strings() {
    HashTable* ht = _zend_new_array(0);
    for (int i = 0; i < kN; ++i) {
      Zval v = long_zval(i);
      zend_hash_add(ht, keys[i], &v);
    }
    return ht;
  }
  HashTable* build_packed() {
    HashTable* ht = _zend_new_array(0);
    for (int i = 0; i < kN; ++i) {
      Zval v = long_zval(i);
      zend_hash_next_index_insert(ht, &v);
    }
    return ht;
  }
  static std::size_t usage() { return zend_memory_usage(false); }
};

ZendSide& zend_side() {
  static ZendSide s;
  return s;
}
#endif

// ---- one body per workload, instantiated for both tables --------------------------------

struct ZmemOps {
  static ZmemSide& side() { return zmem_side(); }
  static HashTable* new_array() { return zmem::new_array(); }
  static Zval* append(HashTable* ht, Zval* v) { return zmem::hash_next_index_insert(ht, v); }
  static Zval* add(HashTable* ht, String* k, Zval* v) { return zmem::hash_add(ht, k, v); }
  static Zval* find(HashTable* ht, String* k) { return zmem::hash_find(ht, k); }
  static void del(HashTable* ht, String* k) { zmem::hash_del(ht, k); }
  static Zval* index_update(HashTable* ht, std::uint64_t h, Zval* v) { return zmem::hash_index_update(ht, h, v); }
  static void destroy(HashTable* ht) { zmem::array_destroy(ht); }
  static HashTable* dup(HashTable* ht) { return zmem::array_dup(ht); }
};

#ifdef ZMEM_BENCH_HAVE_LIBPHP
struct ZendOps {
  static ZendSide& side() { return zend_side(); }
  static HashTable* new_array() { return _zend_new_array(0); }
  static Zval* append(HashTable* ht, Zval* v) { return zend_hash_next_index_insert(ht, v); }
  static Zval* add(HashTable* ht, String* k, Zval* v) { return zend_hash_add(ht, k, v); }
  static Zval* find(HashTable* ht, String* k) { return zend_hash_find(ht, k); }
  static void del(HashTable* ht, String* k) { zend_hash_del(ht, k); }
  static Zval* index_update(HashTable* ht, std::uint64_t h, Zval* v) { return zend_hash_index_update(ht, h, v); }
  static void destroy(HashTable* ht) { zend_array_destroy(ht); }
  static HashTable* dup(HashTable* ht) { return zend_array_dup(ht); }
};
#endif

template <class Ops>
void BM_Append(benchmark::State& state) {
  auto& side = Ops::side();
  std::size_t before = side.usage();
  HashTable* probe = side.build_packed();
  state.counters["bytes_per_elem"] = static_cast<double>(side.usage() - before) / kN;
  Ops::destroy(probe);
  for (auto _ : state) {
    HashTable* ht = Ops::new_array();
    for (int i = 0; i < kN; ++i) {
      Zval v = long_zval(i);
      Ops::append(ht, &v);
    }
    benchmark::DoNotOptimize(ht);
    Ops::destroy(ht);
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Ops>
void BM_InsertStrings(benchmark::State& state) {
  auto& side = Ops::side();
  std::size_t before = side.usage();
  HashTable* probe = side.build_strings();
  state.counters["bytes_per_elem"] = static_cast<double>(side.usage() - before) / kN;
  Ops::destroy(probe);
  for (auto _ : state) {
    HashTable* ht = Ops::new_array();
    for (int i = 0; i < kN; ++i) {
      Zval v = long_zval(i);
      Ops::add(ht, side.keys[i], &v);
    }
    benchmark::DoNotOptimize(ht);
    Ops::destroy(ht);
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Ops>
void BM_LookupHit(benchmark::State& state) {
  auto& side = Ops::side();
  HashTable* ht = side.build_strings();
  std::int64_t sum = 0;
  for (auto _ : state) {
    for (int i = 0; i < kN; ++i) sum += Ops::find(ht, side.probe[i])->lval();
  }
  benchmark::DoNotOptimize(sum);
  Ops::destroy(ht);
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Ops>
void BM_LookupMiss(benchmark::State& state) {
  auto& side = Ops::side();
  HashTable* ht = side.build_strings();
  std::int64_t found = 0;
  for (auto _ : state) {
    for (int i = 0; i < kN; ++i) found += Ops::find(ht, side.absent[i]) != nullptr;
  }
  benchmark::DoNotOptimize(found);
  Ops::destroy(ht);
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Ops>
void BM_DeleteReinsert(benchmark::State& state) {
  auto& side = Ops::side();
  HashTable* ht = side.build_strings();
  for (auto _ : state) {
    for (int i = 0; i < kN; ++i) {
      Ops::del(ht, side.keys[i]);
      Zval v = long_zval(i);
      Ops::add(ht, side.keys[i], &v);
    }
  }
  Ops::destroy(ht);
  state.SetItemsProcessed(state.iterations() * kN);
}

// ZEND_HASH_FOREACH is header code in PHP: the same loop serves both tables.
template <class Ops>
void BM_Iterate(benchmark::State& state) {
  auto& side = Ops::side();
  HashTable* ht = side.build_strings();
  for (int i = 0; i < kN; i += 3) Ops::del(ht, side.keys[i]);  // holes, as real arrays have
  std::int64_t sum = 0;
  for (auto _ : state) {
    const zmem::Bucket* b = ht->data;
    const zmem::Bucket* end = b + ht->num_used;
    for (; b != end; ++b) {
      if (b->val.is_undef()) continue;
      sum += b->val.lval();
    }
  }
  benchmark::DoNotOptimize(sum);
  Ops::destroy(ht);
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Ops>
void BM_CopyThenWrite(benchmark::State& state) {
  auto& side = Ops::side();
  HashTable* ht = side.build_packed();
  for (auto _ : state) {
    ht->gc.refcount++;  // a second owner: the write below must separate
    HashTable* copy = Ops::dup(ht);
    ht->gc.refcount--;
    Zval v = long_zval(-1);
    Ops::index_update(copy, 12345, &v);
    benchmark::DoNotOptimize(copy);
    Ops::destroy(copy);
  }
  Ops::destroy(ht);
  state.SetItemsProcessed(state.iterations() * kN);
}

// ---- std containers, for scale -------------------------------------------------------------

void BM_Std_AppendInts(benchmark::State& state) {
  for (auto _ : state) {
    std::unordered_map<long, long> m;
    for (int i = 0; i < kN; ++i) m.emplace(i, i);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Map>
void BM_Std_InsertStrings(benchmark::State& state) {
  const auto& w = words();
  for (auto _ : state) {
    Map m;
    for (int i = 0; i < kN; ++i) m.emplace(w[i], i);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Map>
void BM_Std_LookupHit(benchmark::State& state) {
  const auto& w = words();
  Map m;
  for (int i = 0; i < kN; ++i) m.emplace(w[i], i);
  long sum = 0;
  for (auto _ : state) {
    for (int i = 0; i < kN; ++i) sum += m.find(w[i])->second;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Map>
void BM_Std_LookupMiss(benchmark::State& state) {
  const auto& w = words();
  const auto& a = absent_words();
  Map m;
  for (int i = 0; i < kN; ++i) m.emplace(w[i], i);
  long found = 0;
  for (auto _ : state) {
    for (int i = 0; i < kN; ++i) found += m.find(a[i]) != m.end();
  }
  benchmark::DoNotOptimize(found);
  state.SetItemsProcessed(state.iterations() * kN);
}

template <class Map>
void BM_Std_Iterate(benchmark::State& state) {
  const auto& w = words();
  Map m;
  for (int i = 0; i < kN; ++i) m.emplace(w[i], i);
  long sum = 0;
  for (auto _ : state) {
    for (const auto& kv : m) sum += kv.second;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * kN);
}

using Unordered = std::unordered_map<std::string, long>;
using Ordered = std::map<std::string, long>;

// Registration by hand rather than BENCHMARK_TEMPLATE, so that --passes=N (read before the
// library sees the arguments) can fix every benchmark's iteration count: two runs under
// cachegrind that differ only in N give instructions and cache misses per pass, with set-up
// and start-up cancelling (bench/cachegrind_values.sh).
using BenchFn = void (*)(benchmark::State&);

void add(const char* name, BenchFn fn, std::int64_t passes) {
  auto* b = benchmark::RegisterBenchmark(name, fn);
  b->Unit(benchmark::kMillisecond);
  if (passes > 0) b->Iterations(passes);
}

// A workload on both tables: zmem, and zend_hash when libphp is linked.
#ifdef ZMEM_BENCH_HAVE_LIBPHP
#define ADD_PAIR(fn, passes)           \
  add(#fn "/zmem", fn<ZmemOps>, passes); \
  add(#fn "/zend", fn<ZendOps>, passes)
#else
#define ADD_PAIR(fn, passes) add(#fn "/zmem", fn<ZmemOps>, passes)
#endif

void register_all(std::int64_t passes) {
  ADD_PAIR(BM_Append, passes);
  add("BM_Append/unordered", BM_Std_AppendInts, passes);
  ADD_PAIR(BM_InsertStrings, passes);
  add("BM_InsertStrings/unordered", BM_Std_InsertStrings<Unordered>, passes);
  add("BM_InsertStrings/map", BM_Std_InsertStrings<Ordered>, passes);
  ADD_PAIR(BM_LookupHit, passes);
  add("BM_LookupHit/unordered", BM_Std_LookupHit<Unordered>, passes);
  add("BM_LookupHit/map", BM_Std_LookupHit<Ordered>, passes);
  ADD_PAIR(BM_LookupMiss, passes);
  add("BM_LookupMiss/unordered", BM_Std_LookupMiss<Unordered>, passes);
  add("BM_LookupMiss/map", BM_Std_LookupMiss<Ordered>, passes);
  ADD_PAIR(BM_DeleteReinsert, passes);
  ADD_PAIR(BM_Iterate, passes);
  add("BM_Iterate/unordered", BM_Std_Iterate<Unordered>, passes);
  add("BM_Iterate/map", BM_Std_Iterate<Ordered>, passes);
  ADD_PAIR(BM_CopyThenWrite, passes);
}

/// Removes --passes=N from argv and returns N (0 when absent: the library picks the count).
std::int64_t take_passes(int& argc, char** argv) {
  std::int64_t passes = 0;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--passes=", 9) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    char* end = nullptr;
    passes = std::strtoll(argv[i] + 9, &end, 10);
    if (*end != '\0' || passes < 1) {
      std::fprintf(stderr, "value_bench: --passes wants a positive count, not '%s'\n", argv[i] + 9);
      std::exit(2);
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  return passes;
}

}  // namespace

int main(int argc, char** argv) {
  register_all(take_passes(argc, argv));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return ran == 0 ? 1 : 0;  // a filter that matched nothing is an error (cachegrind_values.sh)
}
