// Objects: classes registered by the host, refcounted object handles whose
// declared properties live inline after the header (PHP's properties_table),
// dynamic properties in a table created on first use, and the per-request
// object store.
// Counterpart: zend_class_entry, zend_object, zend_object_handlers,
// zend_objects_store (Zend/zend_objects_API.c).
//
// Semantics (PHP 8.2):
//  - assignment shares an object (no copy-on-write); the payload is refcounted;
//  - handles start at 1 and a freed handle is reused by the next object (LIFO,
//    visible as var_dump's #N);
//  - the destructor runs at most once: when the last reference goes, from the
//    cycle collector, or at request end (call_object_destructors, store order).
//    A destructor that stores the object somewhere resurrects it; it stays valid
//    and its destructor is not run again;
//  - property order (var_dump, iteration): declared properties in declaration
//    order, skipping unset ones (setting one again puts it back in its declared
//    place), then dynamic properties in insertion order;
//  - when an object dies its dynamic properties are released first, then its
//    declared slots in order (zend_object_std_dtor's order: destructors of the
//    values it held run in that order).
//
// Layout (x86-64):
//
//   Object (32 bytes)                                      then slot_count slots
//   +----------+--------+-------+------------+-----+---------+------+------+-----
//   | GcHeader | handle | flags | slot_count | ce  | dynamic | Zval | Zval | ...
//   |  (8)     |  (4)   |  (2)  |  (2)       | (8) |  (8)    | (16) | (16) |
//   +----------+--------+-------+------------+-----+---------+------+------+-----
//
// so an object with one declared property is 48 bytes, one allocation, and the
// collector reads a node's header and its slots from the same cache lines.
//
// Invariants:
//  - slot_count == ce->properties.size() (at most 65535 declared properties;
//    kept in the header so the collector need not read the class), and
//    flags has kObjHasHandlers iff the class has a destructor or free handler;
//  - slot i holds declared property ce->properties[i]; kUndef there means the
//    property was unset (it is invisible until written again);
//  - `dynamic` is null or an array (refcount 1, owned by the object alone) of
//    the properties not declared by the class, keyed by name; never a declared
//    name;
//  - an object being freed (refcount 0, unreachable) is no longer read by
//    anyone else: destruction keeps its slot cursor in gc.refcount and its link
//    on the pending stack in `dynamic` (see src/value/destroy.cpp).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "hash_table.hpp"
#include "value.hpp"

namespace zmem {

struct ClassEntry;

struct ObjectHandlers {
  /// __destruct: runs at most once per object, with the object kept alive during the call.
  std::function<void(Object*)> destructor;
  /// Releases what the object owns besides its properties (host state); runs once, just
  /// before the object's memory goes.
  std::function<void(Object*)> free;
};

struct PropertyDecl {
  std::string name;
  Zval default_value;  ///< null, bool, int, float or an interned string (no owned payload)
};

struct ClassEntry {
  std::string name;
  std::vector<PropertyDecl> properties;
  ObjectHandlers handlers;
  void* user_data = nullptr;
};

inline constexpr std::uint16_t kObjDestructorCalled = 1u << 0;
inline constexpr std::uint16_t kObjFreeCalled = 1u << 1;
/// The class has a destructor or a free handler (set at creation: the collector reads it
/// from the header it is visiting instead of from the class).
inline constexpr std::uint16_t kObjHasHandlers = 1u << 2;

struct Object {
  GcHeader gc;
  std::uint32_t handle;
  std::uint16_t flags;       ///< kObj* bits
  std::uint16_t slot_count;  ///< declared properties: ce->properties.size()
  const ClassEntry* ce;
  HashTable* dynamic;  ///< dynamic properties (an array), or null while there are none

  /// The declared property slots, right after the header (properties_table).
  Zval* slots() noexcept { return reinterpret_cast<Zval*>(this + 1); }
  const Zval* slots() const noexcept { return reinterpret_cast<const Zval*>(this + 1); }
  std::uint32_t num_slots() const noexcept { return slot_count; }
};
static_assert(sizeof(Object) == 32, "the slots follow a 32-byte header");
static_assert(sizeof(Object) % alignof(Zval) == 0, "slots are aligned");

inline void set_object(Zval& z, Object* o) noexcept {
  z.value.obj = o;
  z.type_info = kObjectEx;
}

/// Registers a class for the life of the process (persistent; call at startup).  The class
/// must outlive every object of it.
const ClassEntry* register_class(ClassEntry entry);
/// Finds a registered class by name (case-insensitive, as PHP's class table); null if none.
const ClassEntry* find_class(std::string_view name);

/// A new object of `ce` (refcount 1) with its declared defaults; takes the next handle.
/// Throws std::length_error if the class declares more than 65535 properties.
Object* object_new(const ClassEntry* ce);
/// The property slot (read), or null if the object has no such property (never declared and
/// not dynamic, or declared and unset).  Declared and dynamic alike.
Zval* object_property(Object* o, std::string_view name);
/// The property slot for writing, created if missing (null in it).  A declared property that
/// was unset comes back in its declared slot; any other missing name becomes a dynamic
/// property, and only then is `created` set (PHP 8.2 deprecates creating dynamic properties).
Zval* object_property_write(Object* o, std::string_view name, bool* created = nullptr);
/// unset($o->name): a declared slot becomes undefined (invisible, its place kept), a dynamic
/// property is removed.  The old value is released after the slot is cleared (its destructor
/// may run and sees the property gone).  False if there was no such property.
bool object_property_unset(Object* o, std::string_view name);
/// Visible properties (declared and set, plus dynamic): var_dump's count.
std::uint32_t object_property_count(const Object* o) noexcept;
/// Calls f(name, value) for each visible property in PHP's order (declared, then dynamic).
/// f must not add or remove properties of `o`.
template <class F>
void object_for_each_property(Object* o, F&& f) {
  const std::uint32_t n = o->num_slots();
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!o->slots()[i].is_undef()) f(std::string_view(o->ce->properties[i].name), &o->slots()[i]);
  }
  if (o->dynamic == nullptr) return;
  for (HashPosition pos = hash_next_live(o->dynamic, 0); pos < o->dynamic->num_used;
       pos = hash_next_live(o->dynamic, pos + 1)) {
    std::uint64_t h;
    String* key;
    hash_key_at(o->dynamic, pos, &h, &key);
    f(key->view(), hash_value_at(o->dynamic, pos));
  }
}

/// Runs the destructors of all live objects in store (handle) order, each at most once and
/// each in its own bailout scope, as zend_objects_store_call_destructors.
void call_object_destructors();
/// Request end: every object still alive loses its storage (free handler, properties);
/// no destructor runs here.  Also empties the store.
void free_object_store();
/// Objects alive in this thread's store.
std::size_t live_objects() noexcept;
/// The object with this handle, or null.
Object* object_by_handle(std::uint32_t handle) noexcept;

namespace detail {
/// destroy_refcounted's step for an object whose refcount reached zero: runs the destructor
/// if due.  Returns false if the destructor resurrected the object (it stays alive).
bool object_prepare_free(Object* o) noexcept;
/// Frees the handle and the object's memory; its properties' contents must be released first.
void object_free_memory(Object* o) noexcept;
/// The memory of many payloads at once (the collector's garbage): objects as
/// object_free_memory, anything else straight back to `heap`.  Contents must be released.
void free_payloads(GcHeader* const* payloads, std::size_t count, zmem_heap* heap) noexcept;
/// Releases every property value (dynamic ones first, then the declared slots in order,
/// each slot left undefined) without freeing the object.  Values that die are freed
/// without recursion.
void object_release_properties(Object* o) noexcept;
/// Runs the free handler once.
void object_call_free(Object* o) noexcept;
bool take_pending_bailout() noexcept;
}  // namespace detail

/// An exception or bailout raised by a destructor that ran inside a release (where
/// unwinding is not possible) is held and handed to the next bailout boundary
/// (zmem::Request::run), which re-raises it there.  Null if none.
std::exception_ptr take_pending_exception() noexcept;

}  // namespace zmem
