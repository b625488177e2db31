// Object properties: declared ones in inline slots (unset keeps their place,
// setting again brings them back there), dynamic ones in a table after them;
// var_dump's order and count, release order when an object dies, and the
// collector tracing through slots and through dynamic properties.
// Expected outputs were observed with `php -n` (PHP 8.2).
#include <string>
#include <vector>

#include "gc_test_support.hpp"

namespace {

using zmem_test::link_prop;
using zmem_test::object_value;
using zmem_test::RequestScope;
using zmem_test::set_prop;

std::vector<std::string> g_log;

zmem::Zval str(const char* s) {
  zmem::Zval z;
  z.set_string(zmem::string_init(s));
  return z;
}

zmem::Zval lng(std::int64_t v) {
  zmem::Zval z;
  z.set_long(v);
  return z;
}

// class C { public $a; public $b; public $c = 3; }
const zmem::ClassEntry* c_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "C";
    zmem::Zval null_value;
    null_value.set_null();
    c.properties = {{"a", null_value}, {"b", null_value}, {"c", lng(3)}};
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

// class D { public $n; function __destruct() { echo "destruct {$this->n}\n"; } }
const zmem::ClassEntry* d_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "D";
    zmem::Zval null_value;
    null_value.set_null();
    c.properties = {{"n", null_value}};
    c.handlers.destructor = [](zmem::Object* o) {
      zmem::Zval* n = zmem::object_property(o, "n");
      g_log.push_back("destruct " + (n != nullptr && n->is_string() ? std::string(n->str()->view()) : "?"));
    };
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

// An object with no declared property (all dynamic), as stdClass.
const zmem::ClassEntry* bare_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry c;
    c.name = "Bare";
    return zmem::register_class(std::move(c));
  }();
  return ce;
}

zmem::Zval new_d(const char* n) {
  zmem::Object* o = zmem::object_new(d_class());
  set_prop(o, "n", str(n));
  return object_value(o);
}

class PropertySlots : public RequestScope {
 protected:
  void SetUp() override {
    RequestScope::SetUp();
    g_log.clear();
  }
};

// Declared properties live right after the 32-byte header: one allocation of 32 + 16 n bytes.
TEST_F(PropertySlots, DeclaredPropertiesAreInline) {
  EXPECT_EQ(sizeof(zmem::Object), 32u);
  const std::size_t before = usage();
  zmem::Zval v = object_value(zmem::object_new(c_class()));
  EXPECT_EQ(usage() - before, 32u + 3 * 16u);
  zmem::Object* o = v.value.obj;
  EXPECT_EQ(o->num_slots(), 3u);
  EXPECT_EQ(o->dynamic, nullptr);
  EXPECT_EQ(zmem::object_property(o, "c"), &o->slots()[2]);
  EXPECT_EQ(o->slots()[2].lval(), 3);
  zmem::ptr_dtor(v);
  EXPECT_EQ(usage(), before);
}

// An unset declared property is invisible (read gives null, count skips it); writing it again
// is not a dynamic-property creation and puts it back in its declared place.
TEST_F(PropertySlots, UnsetDeclaredThenSetAgainKeepsItsPlace) {
  zmem::Zval v = object_value(zmem::object_new(c_class()));
  zmem::Object* o = v.value.obj;
  set_prop(o, "a", lng(1));
  set_prop(o, "b", lng(2));
  EXPECT_TRUE(zmem::object_property_unset(o, "a"));
  EXPECT_FALSE(zmem::object_property_unset(o, "a"));
  EXPECT_EQ(zmem::object_property(o, "a"), nullptr);
  EXPECT_EQ(zmem::object_property_count(o), 2u);
  EXPECT_EQ(zmem::dump_to_string(v),
            "object(C)#1 (2) {\n  [\"b\"]=>\n  int(2)\n  [\"c\"]=>\n  int(3)\n}\n");
  bool created = true;
  zmem::Zval* slot = zmem::object_property_write(o, "a", &created);
  EXPECT_FALSE(created);
  EXPECT_EQ(slot, &o->slots()[0]);
  EXPECT_EQ(slot->type(), zmem::kNull);
  set_prop(o, "a", lng(5));
  EXPECT_EQ(o->dynamic, nullptr);
  EXPECT_EQ(zmem::dump_to_string(v),
            "object(C)#1 (3) {\n  [\"a\"]=>\n  int(5)\n  [\"b\"]=>\n  int(2)\n  [\"c\"]=>\n  int(3)\n}\n");
  zmem::ptr_dtor(v);
}

// Dynamic properties follow the declared ones in insertion order; one unset and created again
// goes to the end (and is a creation again).  Observed with php -n on:
//   $o = new C; $o->a = new D("a"); $o->b = new D("b"); $o->dyn1 = new D("dyn1");
//   $o->dyn2 = new D("dyn2"); unset($o->a); $o->a = 5; unset($o->dyn1); $o->dyn1 = 7;
//   var_dump($o); $o->a = new D("a2"); unset($o);
TEST_F(PropertySlots, DynamicAfterDeclaredInInsertionOrder) {
  zmem::Zval v = object_value(zmem::object_new(c_class()));
  zmem::Object* o = v.value.obj;
  bool created = false;
  set_prop(o, "a", new_d("a"));
  set_prop(o, "b", new_d("b"));
  zmem::object_property_write(o, "dyn1", &created);
  EXPECT_TRUE(created);
  set_prop(o, "dyn1", new_d("dyn1"));
  set_prop(o, "dyn2", new_d("dyn2"));
  EXPECT_TRUE(zmem::object_property_unset(o, "a"));
  EXPECT_EQ(g_log, std::vector<std::string>{"destruct a"});
  set_prop(o, "a", lng(5));
  EXPECT_TRUE(zmem::object_property_unset(o, "dyn1"));
  EXPECT_EQ(g_log, (std::vector<std::string>{"destruct a", "destruct dyn1"}));
  zmem::object_property_write(o, "dyn1", &created);
  EXPECT_TRUE(created);
  set_prop(o, "dyn1", lng(7));
  EXPECT_EQ(zmem::dump_to_string(v),
            "object(C)#1 (5) {\n"
            "  [\"a\"]=>\n"
            "  int(5)\n"
            "  [\"b\"]=>\n"
            "  object(D)#3 (1) {\n"
            "    [\"n\"]=>\n"
            "    string(1) \"b\"\n"
            "  }\n"
            "  [\"c\"]=>\n"
            "  int(3)\n"
            "  [\"dyn2\"]=>\n"
            "  object(D)#5 (1) {\n"
            "    [\"n\"]=>\n"
            "    string(4) \"dyn2\"\n"
            "  }\n"
            "  [\"dyn1\"]=>\n"
            "  int(7)\n"
            "}\n");
  std::vector<std::string> names;
  zmem::object_for_each_property(o, [&](std::string_view name, zmem::Zval*) { names.emplace_back(name); });
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "dyn2", "dyn1"}));
  set_prop(o, "a", new_d("a2"));
  g_log.clear();
  // An object dies as zend_object_std_dtor frees it: dynamic properties first, then the
  // declared slots in order.
  zmem::ptr_dtor(v);
  EXPECT_EQ(g_log, (std::vector<std::string>{"destruct dyn2", "destruct a2", "destruct b"}));
  EXPECT_EQ(zmem::live_objects(), 0u);
  EXPECT_EQ(usage(), baseline_);
}

// unset() clears the slot before the old value goes: its destructor sees the property gone.
TEST_F(PropertySlots, UnsetReleasesAfterClearingTheSlot) {
  zmem::Zval holder = object_value(zmem::object_new(c_class()));
  static zmem::Object* s_holder;
  static bool s_seen_gone;
  s_holder = holder.value.obj;
  s_seen_gone = false;
  zmem::ClassEntry c;
  c.name = "Watcher";
  c.handlers.destructor = [](zmem::Object*) { s_seen_gone = zmem::object_property(s_holder, "a") == nullptr; };
  const zmem::ClassEntry* watcher = zmem::register_class(std::move(c));
  set_prop(s_holder, "a", object_value(zmem::object_new(watcher)));
  EXPECT_TRUE(zmem::object_property_unset(s_holder, "a"));
  EXPECT_TRUE(s_seen_gone);
  zmem::ptr_dtor(holder);
  EXPECT_EQ(usage(), baseline_);
}

// Rings through declared slots only, through dynamic properties only, and through both.
TEST_F(PropertySlots, CollectorTracesSlotsAndDynamicProperties) {
  // Declared: d1->n = d2, d2->n = d1.
  zmem::Zval d1 = object_value(zmem::object_new(d_class()));
  zmem::Zval d2 = object_value(zmem::object_new(d_class()));
  link_prop(d1, "n", d2);
  link_prop(d2, "n", d1);
  // Dynamic: b1->x = b2, b2->y = b1.
  zmem::Zval b1 = object_value(zmem::object_new(bare_class()));
  zmem::Zval b2 = object_value(zmem::object_new(bare_class()));
  link_prop(b1, "x", b2);
  link_prop(b2, "y", b1);
  // Mixed: c->a (declared) = b3, b3->back (dynamic) = c.
  zmem::Zval c = object_value(zmem::object_new(c_class()));
  zmem::Zval b3 = object_value(zmem::object_new(bare_class()));
  link_prop(c, "a", b3);
  link_prop(b3, "back", c);
  for (zmem::Zval* z : {&d1, &d2, &b1, &b2, &c, &b3}) zmem::ptr_dtor(*z);
  EXPECT_EQ(zmem::live_objects(), 6u);
  EXPECT_EQ(zmem::gc_collect_cycles(), 6u);
  EXPECT_EQ(g_log.size(), 2u);  // D's destructors, once each
  EXPECT_EQ(zmem::live_objects(), 0u);
  EXPECT_EQ(usage(), baseline_);
}

// A ring held from outside through a dynamic property of a live object survives a collection;
// once that property is unset the ring is garbage.
TEST_F(PropertySlots, RingHeldThroughDynamicPropertySurvives) {
  zmem::Zval holder = object_value(zmem::object_new(bare_class()));
  zmem::Zval first = object_value(zmem::object_new(c_class()));
  zmem::Zval cur;
  zmem::copy(cur, first);
  for (int i = 1; i < 100; ++i) {
    zmem::Zval next = object_value(zmem::object_new(c_class()));
    link_prop(cur, "b", next);
    zmem::ptr_dtor(cur);
    cur = next;
  }
  link_prop(cur, "b", first);
  zmem::ptr_dtor(cur);
  set_prop(holder.value.obj, "ring", first);  // takes over $first
  EXPECT_EQ(zmem::gc_collect_cycles(), 0u);
  EXPECT_EQ(zmem::live_objects(), 101u);
  EXPECT_TRUE(zmem::object_property_unset(holder.value.obj, "ring"));
  EXPECT_EQ(zmem::gc_collect_cycles(), 100u);
  EXPECT_EQ(zmem::live_objects(), 1u);
  zmem::ptr_dtor(holder);
  EXPECT_EQ(usage(), baseline_);
}

// Request end frees objects with both kinds of properties, cycles included, without leaks.
TEST_F(PropertySlots, RequestEndFreesSlotsAndDynamicProperties) {
  zmem::Zval a = object_value(zmem::object_new(c_class()));
  zmem::Zval b = object_value(zmem::object_new(bare_class()));
  link_prop(a, "b", b);
  link_prop(b, "a", a);
  set_prop(b.value.obj, "s", str("a string that is not interned"));
  zmem::ptr_dtor(a);
  zmem::ptr_dtor(b);
  zmem::call_object_destructors();
  zmem::free_object_store();
  EXPECT_EQ(zmem::live_objects(), 0u);
  zmem::gc_reset();
  zmem::gc_install();
  EXPECT_EQ(usage(), baseline_);
}

}  // namespace
