// zmem::Value and zmem::Element: the C++ handle over a zval and the lazily
// resolved `$value[key]` expression.
// Counterpart: none in PHP (the VM's CV slots and FETCH_DIM_R / _W play this
// role); semantics are those of the array statements in array.cpp.
// Invariant: an Element never outlives the full expression that made it, so
// its parent pointer is always valid.
#include "value/value.hpp"

namespace zmem {

Value::Value(std::string_view s) { zv_.set_string(s.empty() ? empty_string() : string_init(s)); }

Value Value::array() noexcept {
  Value v;
  set_empty_array(v.zv_);
  return v;
}

std::string_view Value::as_string() const noexcept { return deref(&zv_)->str()->view(); }

std::uint32_t Value::size() const noexcept {
  const Zval* z = deref(&zv_);
  return z->is_array() ? z->arr()->num_elements : 0;
}

Value Value::get(Key k) const {
  const Zval* z = array_get(zv_, k);
  return z == nullptr ? Value() : copy_of(*z);
}

bool Value::contains(Key k) const noexcept { return array_get(zv_, k) != nullptr; }
void Value::set(Key k, const Value& v) { array_set(zv_, k, v.zv_); }
void Value::push(const Value& v) { array_push(zv_, v.zv_); }
void Value::erase(Key k) { array_unset(zv_, k); }

Zval* Element::slot_for_write() const {
  Zval* base = parent_ != nullptr ? parent_->slot_for_write() : &root_->zval();
  return array_fetch_write(*base, key_);
}

const Zval* Element::slot_for_read() const {
  const Zval* base = parent_ != nullptr ? parent_->slot_for_read() : &root_->zval();
  return base == nullptr ? nullptr : array_get(*base, key_);
}

Element& Element::operator=(const Value& v) {
  Zval fresh;  // before any separation: v may be the root itself
  copy_deref(fresh, v.zval());
  Zval* slot;
  try {
    slot = slot_for_write();
  } catch (...) {
    ptr_dtor(fresh);
    throw;
  }
  Zval* target = deref(slot);
  Zval old;
  old.copy_value_from(*target);
  target->copy_value_from(fresh);
  ptr_dtor(old);
  return *this;
}

Element& Element::operator=(const Element& e) { return *this = e.get(); }

Element Element::operator[](Key k) && { return Element(root_, this, k); }

void Element::push(const Value& v) && { array_push(*slot_for_write(), v.zval()); }

void Element::erase(Key k) && {
  if (slot_for_read() == nullptr) return;  // unset() never creates the path
  array_unset(*slot_for_write(), k);
}

void Element::bind_to(Value& var) && {
  Zval* base = parent_ != nullptr ? parent_->slot_for_write() : &root_->zval();
  array_bind_ref(*base, key_, var.zval());
}

Value Element::get() const {
  const Zval* z = slot_for_read();
  return z == nullptr ? Value() : Value::copy_of(*z);
}

Element::operator Value() const { return get(); }

}  // namespace zmem
