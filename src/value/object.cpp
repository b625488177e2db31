// Objects: the class registry, creating objects with their declared defaults
// in inline slots, property access (declared slots by position, dynamic ones
// in a lazily created table), the per-thread object store (handles, LIFO
// reuse), and the destructor/free steps that destroy_refcounted and the
// collector call.
// Counterpart: zend_objects_new, object_properties_init,
// zend_objects_store_put/del, zend_objects_store_call_destructors,
// zend_std_read/write/unset_property.
// Invariants: store[handle] is the live object with that handle or null; a
// freed handle is pushed on free_handles and reused first; an object's
// kObjDestructorCalled is set before its destructor starts; a name is either
// a declared slot or a key of `dynamic`, never both.
#include <algorithm>
#include <cctype>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>

#include "value/memory.hpp"
#include "value/value.hpp"
#include "zmem/array.hpp"
#include "zmem/object.hpp"

namespace zmem {

namespace {

std::mutex g_classes_mutex;
std::deque<ClassEntry>& classes() {
  static std::deque<ClassEntry> list;  // deque: entries never move
  return list;
}

struct ObjectStore {
  std::vector<Object*> slots{nullptr};  // slot 0 unused: handles start at 1
  std::vector<std::uint32_t> free_handles;
  std::size_t live = 0;
};
thread_local ObjectStore t_store;
thread_local std::exception_ptr t_pending;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Runs o's destructor once, the object kept alive by a temporary reference.  An exception
/// or bailout from it is held in t_pending (callers cannot always unwind).
void run_destructor(Object* o) noexcept {
  o->flags |= kObjDestructorCalled;
  if (!o->ce->handlers.destructor) return;
  try {
    o->ce->handlers.destructor(o);
  } catch (...) {
    if (!t_pending) t_pending = std::current_exception();
  }
}

}  // namespace

const ClassEntry* register_class(ClassEntry entry) {
  std::lock_guard<std::mutex> lock(g_classes_mutex);
  for (const ClassEntry& c : classes()) {
    if (lower(c.name) == lower(entry.name)) return &c;
  }
  classes().push_back(std::move(entry));
  return &classes().back();
}

const ClassEntry* find_class(std::string_view name) {
  std::lock_guard<std::mutex> lock(g_classes_mutex);
  for (const ClassEntry& c : classes()) {
    if (lower(c.name) == lower(name)) return &c;
  }
  return nullptr;
}

Object* object_new(const ClassEntry* ce) {
  const std::size_t n = ce->properties.size();
  if (n > 0xffff) throw std::length_error("zmem: class " + ce->name + " declares more than 65535 properties");
  auto* o = static_cast<Object*>(detail::value_alloc(sizeof(Object) + n * sizeof(Zval), false));
  o->gc.refcount = 1;
  o->gc.type_info = kGcObject;
  o->flags = (ce->handlers.destructor || ce->handlers.free) ? kObjHasHandlers : 0;
  o->slot_count = static_cast<std::uint16_t>(n);
  o->ce = ce;
  o->dynamic = nullptr;
  Zval* slot = o->slots();
  for (const PropertyDecl& p : ce->properties) {
    copy(*slot, p.default_value);
    slot->u2 = 0;
    ++slot;
  }
  ObjectStore& store = t_store;
  if (!store.free_handles.empty()) {
    o->handle = store.free_handles.back();
    store.free_handles.pop_back();
    store.slots[o->handle] = o;
  } else {
    o->handle = static_cast<std::uint32_t>(store.slots.size());
    store.slots.push_back(o);
  }
  store.live++;
  return o;
}

namespace {

/// The declared slot of `name`, or null.  A linear scan: classes declare few properties and
/// the names are compared by length first.
Zval* declared_slot(Object* o, std::string_view name) noexcept {
  const std::vector<PropertyDecl>& decls = o->ce->properties;
  for (std::size_t i = 0; i < decls.size(); ++i) {
    if (decls[i].name.size() == name.size() && decls[i].name == name) return &o->slots()[i];
  }
  return nullptr;
}

}  // namespace

Zval* object_property(Object* o, std::string_view name) {
  if (Zval* slot = declared_slot(o, name)) return slot->is_undef() ? nullptr : slot;
  return o->dynamic != nullptr ? hash_str_find(o->dynamic, name) : nullptr;
}

Zval* object_property_write(Object* o, std::string_view name, bool* created) {
  if (created != nullptr) *created = false;
  if (Zval* slot = declared_slot(o, name)) {
    if (slot->is_undef()) slot->set_null();  // back in its declared place
    return slot;
  }
  if (o->dynamic == nullptr) o->dynamic = new_array(0);
  if (Zval* slot = hash_str_find(o->dynamic, name)) return slot;
  if (created != nullptr) *created = true;
  Zval null_value;
  null_value.set_null();
  return hash_str_update(o->dynamic, name, &null_value);
}

bool object_property_unset(Object* o, std::string_view name) {
  if (Zval* slot = declared_slot(o, name)) {
    if (slot->is_undef()) return false;
    Zval old = *slot;
    slot->set_undef();
    ptr_dtor(old);
    return true;
  }
  return o->dynamic != nullptr && hash_str_del(o->dynamic, name);
}

std::uint32_t object_property_count(const Object* o) noexcept {
  std::uint32_t count = o->dynamic != nullptr ? o->dynamic->num_elements : 0;
  const std::uint32_t n = o->num_slots();
  for (std::uint32_t i = 0; i < n; ++i) count += !o->slots()[i].is_undef();
  return count;
}

void call_object_destructors() {
  ObjectStore& store = t_store;
  std::exception_ptr first;
  // Objects created by destructors are visited too: the loop re-reads the size.
  for (std::size_t handle = 1; handle < store.slots.size(); ++handle) {
    Object* o = store.slots[handle];
    if (o == nullptr || (o->flags & kObjDestructorCalled)) continue;
    o->gc.refcount++;
    run_destructor(o);
    if (t_pending && !first) first = t_pending;
    t_pending = nullptr;
    Zval z;
    set_object(z, o);
    ptr_dtor(z);
  }
  if (first) std::rethrow_exception(first);
}

void free_object_store() {
  ObjectStore& store = t_store;
  // Everything is destructed now (as zend_objects_store_mark_destructed): releasing one
  // object's properties must not run another's destructor.
  // Each is pinned too, so that releasing one object's properties never frees another
  // under our feet; then every object's memory goes, in a second pass.
  for (Object* o : store.slots) {
    if (o == nullptr) continue;
    o->flags |= kObjDestructorCalled;
    o->gc.refcount++;
  }
  for (std::size_t handle = 1; handle < store.slots.size(); ++handle) {
    Object* o = store.slots[handle];
    if (o == nullptr) continue;
    detail::object_call_free(o);
    detail::object_release_properties(o);
  }
  for (std::size_t handle = 1; handle < store.slots.size(); ++handle) {
    if (Object* o = store.slots[handle]) detail::value_free(o, false);
  }
  store.slots.assign(1, nullptr);
  store.free_handles.clear();
  store.live = 0;
}

std::size_t live_objects() noexcept { return t_store.live; }

Object* object_by_handle(std::uint32_t handle) noexcept {
  return handle < t_store.slots.size() ? t_store.slots[handle] : nullptr;
}

namespace detail {

bool object_prepare_free(Object* o) noexcept {
  if (o->flags & kObjDestructorCalled) return true;
  o->gc.refcount = 1;
  run_destructor(o);
  if (--o->gc.refcount != 0) {
    release_nonzero(&o->gc);  // resurrected: it may now sit in a cycle
    return false;
  }
  return true;
}

void object_call_free(Object* o) noexcept {
  if (o->flags & kObjFreeCalled) return;
  o->flags |= kObjFreeCalled;
  if (o->ce->handlers.free) {
    try {
      o->ce->handlers.free(o);
    } catch (...) {
      if (!t_pending) t_pending = std::current_exception();
    }
  }
}

namespace {

void free_object(ObjectStore& store, Object* o, zmem_heap* heap) noexcept {
  if (o->handle < store.slots.size() && store.slots[o->handle] == o) {
    store.slots[o->handle] = nullptr;
    store.free_handles.push_back(o->handle);
    store.live--;
  }
  zmem_free(heap, o);
}

}  // namespace

void object_free_memory(Object* o) noexcept { free_object(t_store, o, zmem_current_heap()); }

void free_payloads(GcHeader* const* payloads, std::size_t count, zmem_heap* heap) noexcept {
  // Hot in the collector (one call per collection, one step per garbage node): the store's
  // arrays are read once, and room for every freed handle is made up front.
  ObjectStore& store = t_store;
  Object** slots = store.slots.data();
  const std::size_t slot_count = store.slots.size();
  const std::size_t free_before = store.free_handles.size();
  store.free_handles.resize(free_before + count);
  std::uint32_t* freed = store.free_handles.data() + free_before;
  std::size_t live = store.live;
  for (std::size_t i = 0; i < count; ++i) {
    GcHeader* p = payloads[i];
    if (p->type() == kObject) {
      auto* o = reinterpret_cast<Object*>(p);
      if (o->handle < slot_count && slots[o->handle] == o) {
        slots[o->handle] = nullptr;
        *freed++ = o->handle;
        live--;
      }
    }
    zmem_free(heap, p);
  }
  store.live = live;
  store.free_handles.resize(static_cast<std::size_t>(freed - store.free_handles.data()));
}

void object_release_properties(Object* o) noexcept {
  if (HashTable* dynamic = o->dynamic) {
    o->dynamic = nullptr;
    array_destroy(dynamic);
  }
  Zval* slots = o->slots();
  const std::uint32_t n = o->num_slots();
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!slots[i].is_refcounted()) {
      slots[i].set_undef();
      continue;
    }
    Zval old = slots[i];
    slots[i].set_undef();
    ptr_dtor(old);
  }
}

bool take_pending_bailout() noexcept { return static_cast<bool>(t_pending); }

}  // namespace detail

std::exception_ptr take_pending_exception() noexcept {
  std::exception_ptr e = t_pending;
  t_pending = nullptr;
  return e;
}

}  // namespace zmem
