// Cycle-collector benchmark: zmem::gc_collect_cycles() on 1,000,000 objects, against PHP 8.2's
// own gc_collect_cycles() on the same shapes (bench/gc/*.php, compared by bench/gc/run.sh).
//
// Shapes (class Node { public $next; }, one declared property):
//   ring/10, ring/1000, ring/100000   1,000,000 nodes closed into rings of that size, all
//                                      garbage: the collection frees 1,000,000 objects
//   live                               1,000 rings of 1,000 nodes, each ring held by an element
//                                      of a kept array: the collection frees nothing
//
// Every graph is built exactly as the PHP script builds it, operation for operation:
//
//   $first = new Node; $cur = $first;
//   for ($i = 1; $i < $R; $i++) { $cur->next = new Node; $cur = $cur->next; }
//   $cur->next = $first;                  // (live: $keep[] = $first;)
//   ... next ring ...;  unset($first, $cur);
//
// so every node loses a reference while staying alive ($cur moving on) and lands in the root
// buffer, in both implementations (1,000,000 roots).  The automatic collector is off while
// building (gc_disable() in PHP, gc_enable(false) here); only the gc_collect_cycles() call is
// timed (manual time, steady_clock around the call), as hrtime() around the call in PHP.
//
// Counters: ns_per_node = collection time / node count; freed = what gc_collect_cycles()
// returned; roots = root-buffer size before the call; mem_delta = zmem_usage() after
// everything is released and collected minus the usage before building (must be 0: the run
// fails otherwise); bytes_per_node = zmem_usage() of the built graph / node count.  The live case also checks that all 1,000,000 objects survived.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <zmem/array.hpp>
#include <zmem/gc.hpp>
#include <zmem/object.hpp>
#include <zmem/resource.hpp>
#include <zmem/string.hpp>
#include <zmem/zmem.hpp>

namespace {

// ZMEM_GC_BENCH_NODES overrides the node count (a multiple of 100,000; e.g. 100000 for a
// callgrind run); the default is the 1,000,000.
const int kNodes = [] {
  const char* env = std::getenv("ZMEM_GC_BENCH_NODES");
  return env != nullptr ? std::atoi(env) : 1000000;
}();

const zmem::ClassEntry* node_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "Node";
    zmem::PropertyDecl next;
    next.name = "next";
    next.default_value.set_long(0);
    next.default_value.set_null();
    c.properties.push_back(std::move(next));
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

/// `$var = v` for a slot that holds no reference: v's reference is taken over, the old value
/// released after.
void assign_owned(zmem::Zval& var, const zmem::Zval& v) {
  zmem::Zval old = var;
  var = v;
  zmem::ptr_dtor(old);
}

zmem::Zval new_node() {
  zmem::Zval z;
  zmem::set_object(z, zmem::object_new(node_class()));
  return z;
}

/// Builds `total / ring` rings of `ring` nodes as the PHP script does; with `keep` non-null
/// each ring's first node is appended to it ($keep[] = $first).
void build_rings(int ring, int total, zmem::Zval* keep) {
  zmem::Zval first, cur;
  first.set_null();
  cur.set_null();
  for (int r = 0; r < total / ring; ++r) {
    assign_owned(first, new_node());  // $first = new Node;
    zmem::Zval c;
    zmem::copy(c, first);
    assign_owned(cur, c);  // $cur = $first;
    for (int i = 1; i < ring; ++i) {
      zmem::Zval* slot = zmem::object_property_write(cur.value.obj, "next");
      assign_owned(*slot, new_node());  // $cur->next = new Node;
      zmem::Zval n;
      zmem::copy(n, *slot);
      assign_owned(cur, n);  // $cur = $cur->next;
    }
    zmem::Zval back;
    zmem::copy(back, first);
    assign_owned(*zmem::object_property_write(cur.value.obj, "next"), back);  // $cur->next = $first;
    if (keep != nullptr) zmem::array_push(*keep, first);  // $keep[] = $first;
  }
  zmem::unset(first);  // unset($first, $cur);
  zmem::unset(cur);
}

/// A request-like scope: a fresh native heap made current, the collector installed.
class Request {
 public:
  Request() {
    zmem_heap_options options{0, 0, 0, 0};
    heap_ = zmem_heap_new(&options);
    zmem_set_current_heap(heap_);
    zmem::gc_reset();
    zmem::gc_install();
    node_class();
  }
  ~Request() {
    zmem::call_object_destructors();
    zmem::close_request_resources();
    zmem::free_object_store();
    zmem::gc_reset();
    zmem::interned_strings_request_reset(false);
    zmem_set_current_heap(nullptr);
    zmem_heap_destroy(heap_);
  }
  std::size_t usage() const { return zmem_usage(heap_, 0); }

 private:
  zmem_heap* heap_;
};

double time_collection(std::size_t* freed) {
  auto t0 = std::chrono::steady_clock::now();
  std::size_t n = zmem::gc_collect_cycles();
  auto t1 = std::chrono::steady_clock::now();
  benchmark::DoNotOptimize(n);
  *freed = n;
  return std::chrono::duration<double>(t1 - t0).count();
}

void report(benchmark::State& state, double seconds, std::size_t freed, std::size_t roots, long long mem_delta,
            std::size_t graph_bytes) {
  const double iters = static_cast<double>(state.iterations());
  state.counters["ns_per_node"] = seconds * 1e9 / (iters * kNodes);
  state.counters["freed"] = static_cast<double>(freed);
  state.counters["roots"] = static_cast<double>(roots);
  state.counters["mem_delta"] = static_cast<double>(mem_delta);
  state.counters["bytes_per_node"] = static_cast<double>(graph_bytes) / kNodes;
}

// ring/R: 1,000,000 garbage nodes in rings of R.
void BM_ring(benchmark::State& state) {
  const int ring = static_cast<int>(state.range(0));
  Request request;
  const std::size_t baseline = request.usage();
  double total = 0;
  std::size_t freed = 0, roots = 0, graph_bytes = 0;
  long long mem_delta = 0;
  for (auto _ : state) {
    zmem::gc_enable(false);
    build_rings(ring, kNodes, nullptr);
    roots = zmem::gc_status().roots;
    graph_bytes = request.usage() - baseline;
    double s = time_collection(&freed);
    state.SetIterationTime(s);
    total += s;
    zmem::gc_enable(true);
    mem_delta = static_cast<long long>(request.usage()) - static_cast<long long>(baseline);
    if (freed != static_cast<std::size_t>(kNodes) || zmem::live_objects() != 0 || mem_delta != 0) {
      state.SkipWithError(("ring: freed " + std::to_string(freed) + ", live " + std::to_string(zmem::live_objects()) +
                           ", usage - baseline " + std::to_string(mem_delta))
                              .c_str());
      break;
    }
  }
  report(state, total, freed, roots, mem_delta, graph_bytes);
}

// live: 1,000 rings of 1,000 held by a kept array; every node is a possible root; nothing freed.
void BM_live(benchmark::State& state) {
  Request request;
  const std::size_t baseline = request.usage();
  double total = 0;
  std::size_t freed = 0, roots = 0, graph_bytes = 0;
  long long mem_delta = 0;
  for (auto _ : state) {
    zmem::gc_enable(false);
    zmem::Zval keep;
    zmem::set_empty_array(keep);
    build_rings(1000, kNodes, &keep);
    roots = zmem::gc_status().roots;
    graph_bytes = request.usage() - baseline;
    double s = time_collection(&freed);
    state.SetIterationTime(s);
    total += s;
    const std::size_t survived = zmem::live_objects();
    // Untimed: drop the kept array, the rings become garbage.
    zmem::unset(keep);
    const std::size_t later = zmem::gc_collect_cycles();
    zmem::gc_enable(true);
    mem_delta = static_cast<long long>(request.usage()) - static_cast<long long>(baseline);
    if (freed != 0 || survived != static_cast<std::size_t>(kNodes) || later != static_cast<std::size_t>(kNodes) ||
        zmem::live_objects() != 0 || mem_delta != 0) {
      state.SkipWithError(("live: freed " + std::to_string(freed) + ", survived " + std::to_string(survived) +
                           ", later " + std::to_string(later) + ", usage - baseline " + std::to_string(mem_delta))
                              .c_str());
      break;
    }
  }
  report(state, total, freed, roots, mem_delta, graph_bytes);
}

BENCHMARK(BM_ring)->ArgName("size")->Arg(10)->Arg(1000)->Arg(100000)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_live)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
