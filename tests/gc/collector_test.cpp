// The cycle collector on the cases of reference/zend-internals.md section 4
// whose PHP output was observed, plus a randomized graph test against a
// reachability model and a 1,000,000-node ring (no recursion).
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gc_test_support.hpp"

namespace {

using zmem_test::object_value;
using zmem_test::RequestScope;
using zmem_test::set_prop;

std::vector<std::string> g_log;
std::vector<bool> g_freed;
zmem::Zval g_keep;

const zmem::ClassEntry* plain_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "stdClass";
    c.handlers.free = [](zmem::Object* o) {
      zmem::Zval* id = zmem::object_property(o, "id");
      if (id != nullptr && id->type() == zmem::kLong && static_cast<std::size_t>(id->lval()) < g_freed.size()) {
        g_freed[static_cast<std::size_t>(id->lval())] = true;
      }
    };
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

const zmem::ClassEntry* dtor_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "WithDtor";
    c.handlers.destructor = [](zmem::Object*) { g_log.push_back("destruct"); };
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

// No handlers at all, four declared properties (e0..e3) and dynamic ones beyond: garbage of
// this class is freed in the same visit that finds it (the collector's fused path).
const zmem::ClassEntry* slotted_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "Slotted";
    zmem::Zval null_value;
    null_value.set_null();
    c.properties = {{"id", null_value}, {"e0", null_value}, {"e1", null_value}, {"e2", null_value},
                    {"e3", null_value}};
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

class Collector : public RequestScope {
 protected:
  void SetUp() override {
    RequestScope::SetUp();
    g_log.clear();
  }
  void random_graphs(const zmem::ClassEntry* ce, bool by_handle);
};

// $a = []; $a[] = &$a; unset($a); gc_collect_cycles() === 1
TEST_F(Collector, ArraySelfReferenceThroughReference) {
  zmem::Zval a;
  zmem::set_empty_array(a);
  zmem::Zval* slot = zmem::array_fetch_append(a);
  zmem::assign_ref(*slot, a);
  zmem::unset(a);
  EXPECT_NE(usage(), baseline_);
  EXPECT_EQ(zmem::gc_collect_cycles(), 1u);
  EXPECT_EQ(usage(), baseline_);
}

// $o = new stdClass; $o->o = $o; unset($o); gc_collect_cycles() === 1
TEST_F(Collector, ObjectSelfCycle) {
  zmem::Zval o = object_value(zmem::object_new(plain_class()));
  zmem::Zval self;
  zmem::copy(self, o);
  set_prop(o.value.obj, "o", self);
  zmem::ptr_dtor(o);
  EXPECT_EQ(zmem::live_objects(), 1u);
  EXPECT_EQ(zmem::gc_collect_cycles(), 1u);
  EXPECT_EQ(zmem::live_objects(), 0u);
  EXPECT_EQ(usage(), baseline_);
}

// An object with a destructor in a self-cycle: the destructor runs, 1 is returned, two runs.
TEST_F(Collector, CycleWithDestructorRunsItThenFrees) {
  zmem::Zval o = object_value(zmem::object_new(dtor_class()));
  zmem::Zval self;
  zmem::copy(self, o);
  set_prop(o.value.obj, "self", self);
  zmem::ptr_dtor(o);
  std::uint32_t runs = zmem::gc_status().runs;
  EXPECT_EQ(zmem::gc_collect_cycles(), 1u);
  EXPECT_EQ(g_log, std::vector<std::string>{"destruct"});
  EXPECT_EQ(zmem::gc_status().runs, runs + 2);
  EXPECT_EQ(zmem::live_objects(), 0u);
}

// A cycle still referenced from outside is not garbage.
TEST_F(Collector, CycleKeptAliveFromOutside) {
  zmem::Zval a = object_value(zmem::object_new(plain_class()));
  zmem::Zval b = object_value(zmem::object_new(plain_class()));
  zmem::Zval ab, ba;
  zmem::copy(ab, b);
  zmem::copy(ba, a);
  set_prop(a.value.obj, "peer", ab);
  set_prop(b.value.obj, "peer", ba);
  zmem::ptr_dtor(b);  // b stays reachable through a
  EXPECT_EQ(zmem::gc_collect_cycles(), 0u);
  EXPECT_EQ(zmem::live_objects(), 2u);
  zmem::ptr_dtor(a);
  EXPECT_EQ(zmem::gc_collect_cycles(), 2u);
  EXPECT_EQ(usage(), baseline_);
}

// A destructor that stores the object outside resurrects it: the re-run leaves it alive.
TEST_F(Collector, ResurrectionSurvivesCollection) {
  zmem::ClassEntry c;
  c.name = "Resurrect";
  c.handlers.destructor = [](zmem::Object* o) {
    zmem::set_object(g_keep, o);
    o->gc.refcount++;
  };
  const zmem::ClassEntry* ce = zmem::register_class(std::move(c));
  zmem::Zval o = object_value(zmem::object_new(ce));
  zmem::Zval self;
  zmem::copy(self, o);
  set_prop(o.value.obj, "self", self);
  zmem::ptr_dtor(o);
  EXPECT_EQ(zmem::gc_collect_cycles(), 0u);
  ASSERT_EQ(g_keep.type(), zmem::kObject);
  EXPECT_EQ(zmem::live_objects(), 1u);
  zmem::ptr_dtor(g_keep);  // back in a cycle of its own, destructor already called
  g_keep.set_null();
  EXPECT_EQ(zmem::gc_collect_cycles(), 1u);
  EXPECT_EQ(zmem::live_objects(), 0u);
}

// gc_status: PHP 8.2's four figures; roots counted, threshold 10001 by default.
TEST_F(Collector, StatusFigures) {
  zmem::GcStatus s = zmem::gc_status();
  EXPECT_EQ(s.threshold, 10001u);
  EXPECT_EQ(s.roots, 0u);
  zmem::Zval a;
  zmem::set_empty_array(a);
  zmem::array_push(a, a);  // a holds a copy of its old (empty) self: not a cycle
  zmem::Zval b;
  zmem::copy(b, a);
  zmem::ptr_dtor(b);  // refcount dropped to 1: a possible root
  EXPECT_EQ(zmem::gc_status().roots, 1u);
  EXPECT_EQ(zmem::gc_collect_cycles(), 0u);
  EXPECT_EQ(zmem::gc_status().roots, 0u);
  zmem::ptr_dtor(a);
}

// Reaching the threshold collects automatically (unless disabled); roots are always recorded.
TEST_F(Collector, ThresholdTriggersCollection) {
  auto make_cycles = [](int n) {
    for (int i = 0; i < n; ++i) {
      zmem::Zval o = object_value(zmem::object_new(plain_class()));
      zmem::Zval self;
      zmem::copy(self, o);
      set_prop(o.value.obj, "self", self);
      zmem::ptr_dtor(o);
    }
  };
  zmem::gc_enable(false);
  make_cycles(12000);
  EXPECT_EQ(zmem::gc_status().runs, 0u);
  EXPECT_EQ(zmem::gc_status().roots, 12000u);
  EXPECT_EQ(zmem::gc_collect_cycles(), 12000u);
  zmem::gc_enable(true);
  make_cycles(12000);
  EXPECT_GE(zmem::gc_status().runs, 2u);
  EXPECT_LT(zmem::live_objects(), 12000u);
  zmem::gc_collect_cycles();
  EXPECT_EQ(zmem::live_objects(), 0u);
}

// A ring of 1,000,000 objects is collected with no deep recursion.
TEST_F(Collector, MillionNodeRing) {
  zmem::Zval first = object_value(zmem::object_new(plain_class()));
  zmem::Object* last = first.value.obj;
  for (int i = 1; i < 1000000; ++i) {
    zmem::Zval next = object_value(zmem::object_new(plain_class()));
    zmem::Object* o = next.value.obj;
    set_prop(last, "next", next);
    last = o;
  }
  zmem::Zval back;
  zmem::copy(back, first);
  set_prop(last, "next", back);
  zmem::ptr_dtor(first);
  EXPECT_EQ(zmem::gc_collect_cycles(), 1000000u);
  EXPECT_EQ(zmem::live_objects(), 0u);
  EXPECT_EQ(usage(), baseline_);
}

// Random graphs of objects linked directly, through arrays and through references;
// random external roots are dropped; whatever the model finds unreachable must be freed
// (by refcounting or the collector) and nothing else.  A node counts as freed when its free
// handler ran or (by_handle, for a class without one) when its handle left the store.
void Collector::random_graphs(const zmem::ClassEntry* ce, bool by_handle) {
  const char* env_seed = std::getenv("ZMEM_GC_SEED");
  std::uint32_t seed = env_seed ? static_cast<std::uint32_t>(std::strtoul(env_seed, nullptr, 10)) : 20261122u;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  const int kGraphs = 2000;
#else
  const int kGraphs = 10000;
#endif
  std::mt19937 rng(seed);
  for (int graph = 0; graph < kGraphs; ++graph) {
    SCOPED_TRACE("seed " + std::to_string(seed) + ", graph " + std::to_string(graph));
    const int n = 2 + static_cast<int>(rng() % 24);
    g_freed.assign(static_cast<std::size_t>(n), false);
    std::vector<zmem::Zval> nodes(static_cast<std::size_t>(n));
    std::vector<std::uint32_t> handles(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      nodes[i] = object_value(zmem::object_new(ce));
      handles[i] = nodes[i].value.obj->handle;
      zmem::Zval id;
      id.set_long(i);
      set_prop(nodes[i].value.obj, "id", id);
      if (by_handle && rng() % 2 == 0) {  // a string to release along with the node
        zmem::Zval s;
        s.set_string(zmem::string_init("node " + std::to_string(i)));
        set_prop(nodes[i].value.obj, "label", s);
      }
    }
    auto freed = [&](int i) {
      return by_handle ? zmem::object_by_handle(handles[i]) == nullptr : static_cast<bool>(g_freed[i]);
    };
    std::vector<std::set<int>> edges(static_cast<std::size_t>(n));
    const int edge_count = static_cast<int>(rng() % static_cast<unsigned>(n * 3));
    for (int e = 0; e < edge_count; ++e) {
      int from = static_cast<int>(rng() % static_cast<unsigned>(n));
      int to = static_cast<int>(rng() % static_cast<unsigned>(n));
      edges[from].insert(to);
      zmem::Zval target;
      zmem::copy(target, nodes[to]);
      std::string prop = "e" + std::to_string(e);
      switch (rng() % 3) {
        case 0:  // $from->eN = $to
          set_prop(nodes[from].value.obj, prop, target);
          break;
        case 1: {  // $from->eN = [$to, 1]
          zmem::Zval arr;
          zmem::set_empty_array(arr);
          zmem::array_push(arr, target);
          zmem::ptr_dtor(target);
          zmem::Zval one;
          one.set_long(1);
          zmem::array_push(arr, one);
          set_prop(nodes[from].value.obj, prop, arr);
          break;
        }
        default: {  // $from->eN = &$box where $box holds $to (a reference shared by two slots)
          zmem::Reference* r = zmem::new_reference(target);
          zmem::ptr_dtor(target);
          zmem::Zval boxed;
          boxed.set_reference(r);
          set_prop(nodes[from].value.obj, prop, boxed);
          break;
        }
      }
    }
    // External roots: keep a random subset, drop the rest.
    std::vector<bool> rooted(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) rooted[i] = rng() % 4 == 0;
    for (int i = 0; i < n; ++i) {
      if (!rooted[i]) zmem::ptr_dtor(nodes[i]);
    }
    zmem::gc_collect_cycles();
    // The model: reachable from the kept roots.
    std::vector<bool> reachable(static_cast<std::size_t>(n));
    std::vector<int> stack;
    for (int i = 0; i < n; ++i) {
      if (rooted[i]) {
        reachable[i] = true;
        stack.push_back(i);
      }
    }
    while (!stack.empty()) {
      int v = stack.back();
      stack.pop_back();
      for (int w : edges[v]) {
        if (!reachable[w]) {
          reachable[w] = true;
          stack.push_back(w);
        }
      }
    }
    for (int i = 0; i < n; ++i) ASSERT_EQ(freed(i), !reachable[i]) << "node " << i;
    for (int i = 0; i < n; ++i) {
      if (rooted[i]) zmem::ptr_dtor(nodes[i]);
    }
    zmem::gc_collect_cycles();
    for (int i = 0; i < n; ++i) ASSERT_TRUE(freed(i)) << "node " << i << " leaked";
    ASSERT_EQ(zmem::live_objects(), 0u);
    ASSERT_EQ(usage(), baseline_);
  }
}

TEST_F(Collector, RandomGraphsMatchReachabilityModel) { random_graphs(plain_class(), false); }

// The same graphs on a class without handlers, declared slots and dynamic properties mixed.
TEST_F(Collector, RandomGraphsWithoutHandlersMatchReachabilityModel) { random_graphs(slotted_class(), true); }

}  // namespace
