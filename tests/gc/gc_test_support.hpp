// A request-like scope for object, resource and collector tests: a native heap
// made current, the collector installed, and request-end cleanup in PHP's order.
#pragma once

#include <gtest/gtest.h>
#include <zmem/array.hpp>
#include <zmem/gc.hpp>
#include <zmem/object.hpp>
#include <zmem/resource.hpp>
#include <zmem/zmem.hpp>

namespace zmem_test {

class RequestScope : public ::testing::Test {
 protected:
  void SetUp() override {
    zmem_heap_options options{0, 0, 0, 0};
    heap_ = zmem_heap_new(&options);
    zmem_set_current_heap(heap_);
    zmem::gc_reset();
    zmem::gc_install();
    baseline_ = zmem_usage(heap_, 0);
  }
  void TearDown() override {
    end_request();
    zmem_set_current_heap(nullptr);
    zmem_heap_destroy(heap_);
  }
  /// Request end as the engine does it: destructors, resources, object storage, reset.
  void end_request() {
    zmem::call_object_destructors();
    zmem::close_request_resources();
    zmem::free_object_store();
    zmem::gc_reset();
    zmem::interned_strings_request_reset(false);
    zmem_heap_reset(heap_);
    zmem::gc_install();
  }
  std::size_t usage() const { return zmem_usage(heap_, 0); }
  zmem_heap* heap_ = nullptr;
  std::size_t baseline_ = 0;
};

inline zmem::Zval object_value(zmem::Object* o) {
  zmem::Zval z;
  zmem::set_object(z, o);
  return z;
}

/// $o->name = v (v's reference is taken over).
inline void set_prop(zmem::Object* o, std::string_view name, const zmem::Zval& v) {
  zmem::Zval* slot = zmem::object_property_write(o, name);
  zmem::Zval old = *slot;
  slot->copy_value_from(v);  // value and type only: u2 is the table's hash chain link
  zmem::ptr_dtor(old);
}

/// $from->name = $to: a new reference to `to`'s payload (the caller keeps its own).
inline void link_prop(const zmem::Zval& from, std::string_view name, const zmem::Zval& to) {
  zmem::Zval t;
  zmem::copy(t, to);
  set_prop(from.value.obj, name, t);
}

}  // namespace zmem_test
