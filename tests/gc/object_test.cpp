// Objects: handles and their reuse, destructors (once, at refcount zero, at
// request end in store order, resurrection), properties in declaration order,
// var_dump format, and a 100,000-object chain freed without recursion.
#include <string>
#include <vector>

#include "gc_test_support.hpp"

namespace {

using zmem_test::object_value;
using zmem_test::RequestScope;
using zmem_test::set_prop;

std::vector<std::string> g_log;
zmem::Zval g_stash;  // where a resurrecting destructor stores $this

std::string name_of(zmem::Object* o) {
  zmem::Zval* name = zmem::object_property(o, "name");
  return name != nullptr && name->is_string() ? std::string(name->str()->val, name->str()->len) : "?";
}

const zmem::ClassEntry* node_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "Node";
    zmem::Zval null_value;
    null_value.set_null();
    c.properties = {{"name", null_value}, {"next", null_value}, {"data", null_value}};
    c.handlers.destructor = [](zmem::Object* o) { g_log.push_back("destruct " + name_of(o)); };
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

zmem::Object* new_node(const char* name) {
  zmem::Object* o = zmem::object_new(node_class());
  zmem::Zval s;
  s.set_string(zmem::string_init(name));
  set_prop(o, "name", s);
  return o;
}

class Objects : public RequestScope {
 protected:
  void SetUp() override {
    RequestScope::SetUp();
    g_log.clear();
  }
};

// Handles start at 1 and a freed handle is reused by the next object (var_dump's #N).
TEST_F(Objects, HandlesStartAtOneAndAreReused) {
  zmem::Zval a = object_value(new_node("a"));
  zmem::Zval b = object_value(new_node("b"));
  EXPECT_EQ(a.value.obj->handle, 1u);
  EXPECT_EQ(b.value.obj->handle, 2u);
  zmem::ptr_dtor(a);
  zmem::Zval c = object_value(new_node("c"));
  EXPECT_EQ(c.value.obj->handle, 1u);
  zmem::Zval d = object_value(new_node("d"));
  EXPECT_EQ(d.value.obj->handle, 3u);
  zmem::ptr_dtor(b);
  zmem::ptr_dtor(c);
  zmem::ptr_dtor(d);
  EXPECT_EQ(zmem::live_objects(), 0u);
}

// The destructor runs once, when the last reference goes.
TEST_F(Objects, DestructorRunsWhenLastReferenceGoes) {
  zmem::Zval a = object_value(new_node("a"));
  zmem::Zval b;
  zmem::copy(b, a);
  zmem::ptr_dtor(a);
  EXPECT_TRUE(g_log.empty());
  zmem::ptr_dtor(b);
  EXPECT_EQ(g_log, std::vector<std::string>{"destruct a"});
  EXPECT_EQ(usage(), baseline_);
}

// Objects alive at request end are destructed in store (handle) order.
TEST_F(Objects, RequestEndDestructsInStoreOrder) {
  zmem::Zval c = object_value(new_node("first"));
  zmem::Zval d = object_value(new_node("second"));
  zmem::Zval e = object_value(new_node("third"));
  zmem::ptr_dtor(c);  // destructed now; its handle 1 goes to the next object
  zmem::Zval f = object_value(new_node("fourth"));
  g_log.clear();
  zmem::call_object_destructors();
  EXPECT_EQ(g_log, (std::vector<std::string>{"destruct fourth", "destruct second", "destruct third"}));
  (void)d, (void)e, (void)f;
}

// A destructor that stores $this resurrects the object; it stays valid and is not destructed again.
TEST_F(Objects, ResurrectedObjectStaysValid) {
  zmem::ClassEntry c;
  c.name = "Phoenix";
  c.handlers.destructor = [](zmem::Object* o) {
    g_log.push_back("rise");
    zmem::set_object(g_stash, o);
    o->gc.refcount++;
  };
  const zmem::ClassEntry* ce = zmem::register_class(std::move(c));
  zmem::Zval a = object_value(zmem::object_new(ce));
  zmem::ptr_dtor(a);
  ASSERT_EQ(g_log, std::vector<std::string>{"rise"});
  ASSERT_EQ(g_stash.type(), zmem::kObject);
  EXPECT_EQ(g_stash.value.obj->gc.refcount, 1u);
  EXPECT_EQ(zmem::live_objects(), 1u);
  zmem::ptr_dtor(g_stash);  // really gone now, without a second destructor call
  g_stash.set_null();
  EXPECT_EQ(g_log, std::vector<std::string>{"rise"});
  EXPECT_EQ(zmem::live_objects(), 0u);
}

// A destructor that throws does not stop the other request-end destructors.
TEST_F(Objects, ThrowingDestructorDoesNotStopTheOthers) {
  zmem::ClassEntry c;
  c.name = "Thrower";
  c.handlers.destructor = [](zmem::Object*) {
    g_log.push_back("throw");
    throw std::runtime_error("boom");
  };
  const zmem::ClassEntry* thrower = zmem::register_class(std::move(c));
  zmem::Zval a = object_value(zmem::object_new(thrower));
  zmem::Zval b = object_value(new_node("after"));
  EXPECT_THROW(zmem::call_object_destructors(), std::runtime_error);
  EXPECT_EQ(g_log, (std::vector<std::string>{"throw", "destruct after"}));
  (void)a, (void)b;
}

// var_dump prints objects as PHP 8.2 does, declared properties first.
TEST_F(Objects, DumpMatchesPhp) {
  zmem::Object* o = new_node("a");
  zmem::Zval v = object_value(o);
  zmem::Zval answer;
  answer.set_long(42);
  bool created = false;
  zmem::Zval* extra = zmem::object_property_write(o, "extra", &created);
  extra->copy_value_from(answer);
  EXPECT_TRUE(created);
  zmem::Zval self;
  zmem::copy(self, v);
  set_prop(o, "next", self);  // a cycle through ->next prints *RECURSION*
  // php -r 'class Node { public $name; public $next = null; public $data = null; }
  //   $a = new Node; $a->name = "a"; $a->extra = 42; $a->next = $a; var_dump($a);'
  EXPECT_EQ(zmem::dump_to_string(v),
            "object(Node)#1 (4) {\n"
            "  [\"name\"]=>\n"
            "  string(1) \"a\"\n"
            "  [\"next\"]=>\n"
            "  *RECURSION*\n"
            "  [\"data\"]=>\n"
            "  NULL\n"
            "  [\"extra\"]=>\n"
            "  int(42)\n"
            "}\n");
  zmem::ptr_dtor(v);
  EXPECT_EQ(zmem::gc_collect_cycles(), 1u);
}

// Stock PHP 8.2 overflows the C stack freeing a 100,000-object list; zmem frees it iteratively.
TEST_F(Objects, LongChainFreesWithoutRecursion) {
  zmem::Zval head;
  head.set_null();
  for (int i = 0; i < 100000; ++i) {
    zmem::Object* o = zmem::object_new(node_class());
    set_prop(o, "next", head);
    head = object_value(o);
  }
  g_log.clear();
  zmem::ptr_dtor(head);
  EXPECT_EQ(g_log.size(), 100000u);
  EXPECT_EQ(zmem::live_objects(), 0u);
  EXPECT_EQ(usage(), baseline_);
}

}  // namespace
