// The zval operations every host needs: make-reference, separation,
// assignment by value and by reference.
// Counterpart: ZVAL_MAKE_REF, ZVAL_NEW_REF, SEPARATE_ARRAY, SEPARATE_ZVAL
// (Zend/zend_types.h), zend_assign_to_variable and
// zend_assign_to_variable_reference (Zend/zend_execute.h, zend_execute.c).
// Invariant kept: a reference never holds a reference; a slot's u2 (the hash
// chain link when the slot is in a table) is never touched here.
#include "value/value.hpp"

namespace zmem {

Reference* new_reference(const Zval& v) {
  auto* r = static_cast<Reference*>(detail::value_alloc(sizeof(Reference), false));
  r->gc.refcount = 1;
  r->gc.type_info = kGcReference;
  copy_deref(r->val, v);
  if (r->val.is_undef()) r->val.set_null();
  r->sources = nullptr;
  return r;
}

Reference* make_reference(Zval& z) {
  if (z.is_reference()) return z.ref();
  if (z.is_undef()) z.set_null();  // binding an unset variable creates it as null (FETCH_W)
  auto* r = static_cast<Reference*>(detail::value_alloc(sizeof(Reference), false));
  r->gc.refcount = 1;
  r->gc.type_info = kGcReference;
  r->val.copy_value_from(z);  // the slot's ownership moves into the box
  r->sources = nullptr;
  z.set_reference(r);
  return r;
}

void separate_array(Zval& z) {
  HashTable* a = z.arr();
  if (a->gc.refcount > 1) {
    HashTable* copy = array_dup(a);
    // Immutable arrays are shared by all and have no count to drop.
    if (!a->gc.immutable()) detail::release(&a->gc);
    z.set_array(copy);
  }
}

void separate(Zval& z) {
  if (z.is_reference()) {
    Reference* r = z.ref();
    Zval inner;
    if (r->gc.refcount == 1) {
      inner = r->val;
      detail::value_free(r, false);
    } else {
      copy(inner, r->val);
      detail::release(&r->gc);
    }
    z.copy_value_from(inner);
  }
  if (z.is_array()) separate_array(z);
}

void assign(Zval& var, const Zval& value) {
  // Copy first: value may live inside what var's old value owns.
  Zval fresh;
  copy_deref(fresh, value);
  if (fresh.is_undef()) fresh.set_null();  // reading an unset variable gives null
  Zval* target = deref(&var);
  Zval old;
  old.copy_value_from(*target);
  target->copy_value_from(fresh);
  ptr_dtor(old);
}

void assign_ref(Zval& var, Zval& target) {
  Reference* r = make_reference(target);
  ++r->gc.refcount;
  Zval old;
  old.copy_value_from(var);
  var.set_reference(r);
  ptr_dtor(old);
}

std::uint32_t refcount_of(const Zval& z) noexcept {
  switch (z.type()) {
    case kString:
    case kArray:
    case kObject:
    case kResource:
    case kReference:
      return z.counted()->refcount;
    default:
      return 0;
  }
}

}  // namespace zmem
