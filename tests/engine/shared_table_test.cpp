// SharedTable: persistent copies that survive request resets, what it refuses, the
// debug-mode refusal of request pointers, and parallel readers with exclusive writers
// (this binary carries the `threads` label: TSan runs it).
#include <gtest/gtest.h>
#include <zmem/array.hpp>
#include <zmem/object.hpp>
#include <zmem/resource.hpp>
#include <zmem/zend_alloc.h>
#include <zmem/zmem.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

zmem::HeapOptions options(int debug = 0) {
  zmem::HeapOptions o;
  o.debug = debug;
  return o;
}

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kScale = 10;  // sanitizers: fewer rounds, same code paths
#else
constexpr int kScale = 1;
#endif

zmem::Value sample() {
  zmem::Value v = zmem::Value::array();
  v.set("name", zmem::Value("zmem"));
  v.set("empty", zmem::Value(""));
  v.set(7, zmem::Value(std::int64_t{-42}));
  v.set("pi", zmem::Value(3.25));
  v.set("yes", zmem::Value(true));
  v.set("no", zmem::Value(false));
  v.set("nothing", zmem::Value(nullptr));
  v.set("none", zmem::Value::array());
  zmem::Value list = zmem::Value::array();
  for (int i = 0; i < 20; ++i) list.push(zmem::Value(std::string(static_cast<std::size_t>(i), 'x')));
  v.set("list", list);
  v["deep"]["er"]["est"] = zmem::Value("bottom");
  return v;
}

// A value put in one request is read back, equal, in a later request on the same thread
// and in a request on another thread: the copy lives in persistent memory.
TEST(SharedTable, ValuesSurviveRequestResets) {
  zmem::Engine engine(options());
  engine.startup();
  zmem::SharedTable table("test");
  std::string expected;
  {
    zmem::Request request(engine);
    request.run([&] {
      zmem::Value v = sample();
      expected = v.dump();
      table.put("config", v);
      table.put("answer", zmem::Value(42));
    });
  }
  for (int round = 0; round < 3; ++round) {
    zmem::Request request(engine);
    request.run([&] {
      std::optional<zmem::Value> v = table.get("config");
      ASSERT_TRUE(v.has_value());
      EXPECT_EQ(v->dump(), expected);
      EXPECT_EQ(v->refcount(), 1u);
      EXPECT_TRUE(zmem_owns(request.heap(), v->zval().arr()) || zmem_heap_mode(request.heap()) == 3);
      EXPECT_EQ(table.get("answer")->as_long(), 42);
      EXPECT_FALSE(table.get("missing").has_value());
    });
  }
  std::thread other([&] {
    zmem::Request request(engine);
    request.run([&] { EXPECT_EQ(table.get("config")->dump(), expected); });
  });
  other.join();
  EXPECT_EQ(table.size(), 2u);
  EXPECT_GT(table.bytes(), 0u);
}

// A changed copy does not change the table (no sharing between the table and a request).
TEST(SharedTable, CopiesAreIndependent) {
  zmem::Engine engine(options());
  engine.startup();
  zmem::SharedTable table;
  zmem::Request request(engine);
  request.run([&] {
    zmem::Value v = sample();
    table.put("k", v);
    v.set("name", zmem::Value("changed"));
    zmem::Value copy = *table.get("k");
    EXPECT_EQ(copy.get("name").as_string(), "zmem");
    copy.set("name", zmem::Value("again"));
    EXPECT_EQ(table.get("k")->get("name").as_string(), "zmem");
  });
}

TEST(SharedTable, AddKeepsTheExistingValue) {
  zmem::Engine engine(options());
  engine.startup();
  zmem::SharedTable table;
  zmem::Request request(engine);
  request.run([&] {
    EXPECT_TRUE(table.add("k", zmem::Value(1)));
    EXPECT_FALSE(table.add("k", zmem::Value(2)));
    EXPECT_EQ(table.get("k")->as_long(), 1);
    table.put("k", zmem::Value(3));
    EXPECT_EQ(table.get("k")->as_long(), 3);
  });
}

TEST(SharedTable, EraseAndClearFreeTheCopies) {
  zmem::Engine engine(options());
  engine.startup();
  std::size_t blocks_before = 0;
  {
    zmem::SharedTable table;
    zmem::Request request(engine);
    request.run([&] {
      { zmem::Value warm = sample(); }  // permanent interned strings are made on first use
      blocks_before = zmem_persistent_blocks();
      for (int i = 0; i < 10; ++i) table.put("k" + std::to_string(i), sample());
      EXPECT_EQ(zmem_persistent_blocks(), blocks_before + 10);
      EXPECT_TRUE(table.erase("k3"));
      EXPECT_FALSE(table.erase("k3"));
      EXPECT_FALSE(table.contains("k3"));
      EXPECT_EQ(table.size(), 9u);
      table.clear();
      EXPECT_EQ(table.size(), 0u);
      EXPECT_EQ(table.bytes(), 0u);
      EXPECT_EQ(zmem_persistent_blocks(), blocks_before);
      table.put("survivor", sample());
    });
  }  // the destructor frees the last one
  EXPECT_EQ(zmem_persistent_blocks(), blocks_before);
}

// Objects and resources hold request state that cannot be copied: refused, table unchanged.
TEST(SharedTable, RefusesObjectsAndResources) {
  zmem::Engine engine(options());
  engine.startup();
  static const zmem::ClassEntry* ce = zmem::register_class(zmem::ClassEntry{"SharedTableTestClass", {}, {}, nullptr});
  static int type = zmem::register_resource_type("shared table test", nullptr);
  zmem::SharedTable table("refusals");
  zmem::Request request(engine);
  request.run([&] {
    zmem::Zval z;
    zmem::set_object(z, zmem::object_new(ce));
    zmem::Value object = zmem::Value::adopt(z);
    zmem::Value holder = zmem::Value::array();
    holder.set("o", object);
    try {
      table.put("k", holder);
      FAIL() << "an object was stored";
    } catch (const std::invalid_argument& e) {
      EXPECT_STREQ(e.what(),
                   "zmem: SharedTable 'refusals': cannot store an object under \"k\" (only null, bool, int, float, "
                   "string and arrays of those)");
    }
    zmem::set_resource(z, zmem::register_resource(nullptr, type));
    zmem::Value resource = zmem::Value::adopt(z);
    EXPECT_THROW(table.put("r", resource), std::invalid_argument);
    EXPECT_EQ(table.size(), 0u);
  });
}

// Depth costs no C stack: 3,000 levels round-trip; beyond kMaxDepth is refused.
TEST(SharedTable, DeepNestingUsesNoRecursion) {
  zmem::Engine engine(options());
  engine.startup();
  zmem::SharedTable table;
  zmem::Request request(engine);
  request.run([&] {
    auto nest = [](std::size_t depth) {
      zmem::Value v = zmem::Value(1);
      for (std::size_t i = 0; i < depth; ++i) {
        zmem::Value outer = zmem::Value::array();
        outer.push(v);
        v = std::move(outer);
      }
      return v;
    };
    zmem::Value deep = nest(3000);
    table.put("deep", deep);
    EXPECT_EQ(table.get("deep")->dump(), deep.dump());
    EXPECT_THROW(table.put("deeper", nest(zmem::SharedTable::kMaxDepth + 1)), std::invalid_argument);
    EXPECT_FALSE(table.contains("deeper"));
  });
}

// References are stored as the values they hold.
TEST(SharedTable, StoresTheValueBehindAReference) {
  zmem::Engine engine(options());
  engine.startup();
  zmem::SharedTable table;
  zmem::Request request(engine);
  request.run([&] {
    zmem::Value target;
    zmem::Value a = zmem::Value::array();
    a["r"].bind_to(target);  // $target = &$a["r"]
    target.assign(zmem::Value(5));
    ASSERT_TRUE(zmem::hash_str_find(a.zval().arr(), "r")->is_reference());
    table.put("k", a);
    zmem::Value copy = *table.get("k");
    EXPECT_FALSE(zmem::hash_str_find(copy.zval().arr(), "r")->is_reference());
    EXPECT_EQ(copy.get("r").as_long(), 5);
  });
}

// Debug heaps: a pointer into request memory (this heap's, another heap's, a huge block)
// is refused with a message naming it; persistent memory is accepted.
TEST(SharedTable, DebugModeRefusesRequestPointers) {
  zmem::Engine engine(options(1));
  engine.startup();
  zmem::SharedTable table("cache");
  zmem_heap_options other_options{0, 0, 0, 0};
  zmem_heap* other = zmem_heap_new(&other_options);
  void* persistent = pemalloc(64, 1);
  {
    zmem::Request request(engine);
    request.run([&] {
      void* mine = emalloc(64);
      try {
        table.put_pointer("p", mine, 64);
        FAIL() << "request memory was stored";
      } catch (const zmem::HeapError& e) {
        EXPECT_EQ(e.kind(), ZMEM_ERR_FOREIGN);
        char expected[256];
        std::snprintf(expected, sizeof expected, "SharedTable 'cache': put_pointer(\"p\") refused: %p is request memory of heap #", mine);
        EXPECT_EQ(std::string(e.what()).rfind(expected, 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find("must not hold a request pointer across reset"), std::string::npos);
      }
      EXPECT_THROW(table.put_pointer("q", zmem_alloc(other, 100), 100), zmem::HeapError);
      void* huge = emalloc(4u << 20);
      EXPECT_THROW(table.put_pointer("h", huge, 0), zmem::HeapError);
      efree(huge);
      EXPECT_FALSE(table.contains("p"));
      table.put_pointer("ok", persistent, 64);
      efree(mine);
    });
  }
  std::size_t size = 0;
  EXPECT_EQ(table.get_pointer("ok", &size), persistent);
  EXPECT_EQ(size, 64u);
  EXPECT_EQ(table.get_pointer("missing"), nullptr);
  table.clear();  // does not free a pointer it was handed
  pefree(persistent, 1);
  zmem_heap_destroy(other);
}

// Two readers and a writer, each running requests on its own heap.  The writer replaces
// whole arrays whose two fields always agree; a reader seeing them disagree saw a torn copy.
TEST(SharedTable, ParallelReadersExclusiveWriters) {
  zmem::Engine engine(options());
  engine.startup();
  zmem::SharedTable table("parallel");
  constexpr int kKeys = 8;
  const int rounds = 4000 / kScale;
  std::atomic<int> torn{0};
  std::atomic<long> reads{0};
  auto writer = [&] {
    for (int i = 0; i < rounds; ++i) {
      zmem::Request request(engine);
      request.run([&] {
        zmem::Value v = zmem::Value::array();
        v.set("n", zmem::Value(i));
        v.set("text", zmem::Value(std::to_string(i)));
        for (int k = 0; k < i % 16; ++k) v["pad"].push(zmem::Value(k));
        table.put("key" + std::to_string(i % kKeys), v);
        if (i % 100 == 99) table.erase("key0");
      });
    }
  };
  auto reader = [&] {
    for (int i = 0; i < rounds; ++i) {
      zmem::Request request(engine);
      request.run([&] {
        for (int k = 0; k < kKeys; ++k) {
          std::optional<zmem::Value> v = table.get("key" + std::to_string(k));
          if (!v) continue;
          ++reads;
          if (std::to_string(v->get("n").as_long()) != v->get("text").as_string()) ++torn;
        }
      });
    }
  };
  std::thread w(writer), r1(reader), r2(reader);
  w.join();
  r1.join();
  r2.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
