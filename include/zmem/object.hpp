// Objects: classes registered by the host, refcounted object handles with a
// properties table in declaration order, and the per-request object store.
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
//    and its destructor is not run again.
//
// Layout: Object { GcHeader; handle; flags; class; HashTable properties } (80
// bytes): declared properties first, in declaration order, then dynamic ones.
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

inline constexpr std::uint32_t kObjDestructorCalled = 1u << 0;
inline constexpr std::uint32_t kObjFreeCalled = 1u << 1;

struct Object {
  GcHeader gc;
  std::uint32_t handle;
  std::uint32_t flags;
  const ClassEntry* ce;
  HashTable properties;
};

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
Object* object_new(const ClassEntry* ce);
/// The property slot (read), or null.  Declared and dynamic alike.
Zval* object_property(Object* o, std::string_view name);
/// The property slot for writing, created (as a dynamic property) if missing.  `created`
/// tells the caller whether it was (PHP 8.2 deprecates creating dynamic properties).
Zval* object_property_write(Object* o, std::string_view name, bool* created = nullptr);

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
/// Runs the free handler once.
void object_call_free(Object* o) noexcept;
bool take_pending_bailout() noexcept;
}  // namespace detail

/// An exception or bailout raised by a destructor that ran inside a release (where
/// unwinding is not possible) is held and handed to the next bailout boundary
/// (zmem::Request::run), which re-raises it there.  Null if none.
std::exception_ptr take_pending_exception() noexcept;

}  // namespace zmem
