// zmem values: the zval, the refcounted header, references and the operations
// every host needs (addref, ptr_dtor, copy, separate, deref, make-reference,
// assignment by value and by reference), plus zmem::Value (an RAII handle) and
// zmem::dump (var_dump).
//
// Counterpart: Zend/zend_types.h (zval, zend_refcounted_h, zend_reference and
// the Z_* / ZVAL_* / GC_* macros), Zend/zend_variables.c, Zend/zend_execute.c
// (zend_assign_to_variable), ext/standard/var.c (php_var_dump).
//
// Layout (x86-64, identical to PHP 8.2):
//
//   Zval (16 bytes)                       GcHeader (8 bytes, first in every payload)
//   +----------------------+               +-----------+---------------------------------+
//   | value   (8)          |  ---------->  | refcount  | type_info                        |
//   +----------+-----------+               |  (32)     | bits 0-3  GC type (kString ...)  |
//   | type_info| u2        |               |           | bits 4-9  flags (immutable ...)  |
//   | (4)      | (4)       |               |           | bits 10-31 GC info: root buffer  |
//   +----------+-----------+               |           |   address (20) + colour (2)      |
//   type_info: byte 0 type, byte 1 type flags (refcounted, collectable)
//
// Invariants:
//  - a zval whose type flags have kTypeRefcounted points at a GcHeader whose
//    refcount counts every zval (and every other owner) pointing at it;
//  - immutable payloads (interned strings, the empty array) are stored in zvals
//    without kTypeRefcounted, so copying them touches no counter;
//  - a reference's inner value is never itself a reference.
//
// Objects and resources (kObject, kResource) have their codes and flags here;
// their payloads arrive with the object layer.  The cycle collector plugs in
// through detail::set_possible_root_hook (see release_nonzero below).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include "zmem.h"

// Exported from libzmem.so although the library builds with -fvisibility=hidden:
// inline code in this header calls these functions (zmem::detail ones too).
#pragma GCC visibility push(default)

namespace zmem {

struct String;
struct HashTable;
struct Reference;
struct Object;    // next issue
struct Resource;  // next issue

// ---- type codes (Z_TYPE) -------------------------------------------------
inline constexpr std::uint8_t kUndef = 0;
inline constexpr std::uint8_t kNull = 1;
inline constexpr std::uint8_t kFalse = 2;
inline constexpr std::uint8_t kTrue = 3;
inline constexpr std::uint8_t kLong = 4;
inline constexpr std::uint8_t kDouble = 5;
inline constexpr std::uint8_t kString = 6;
inline constexpr std::uint8_t kArray = 7;
inline constexpr std::uint8_t kObject = 8;
inline constexpr std::uint8_t kResource = 9;
inline constexpr std::uint8_t kReference = 10;
inline constexpr std::uint8_t kIndirect = 12;  // internal: zval* in value.zv
inline constexpr std::uint8_t kPtr = 13;       // internal: raw pointer in value.ptr

// ---- type flags (byte 1 of Zval::type_info) -------------------------------
inline constexpr std::uint32_t kTypeRefcounted = 1u << 0;
inline constexpr std::uint32_t kTypeCollectable = 1u << 1;
inline constexpr std::uint32_t kTypeFlagsShift = 8;

inline constexpr std::uint32_t kStringEx = kString | (kTypeRefcounted << kTypeFlagsShift);
inline constexpr std::uint32_t kInternedStringEx = kString;  // interned: not refcounted
inline constexpr std::uint32_t kArrayEx = kArray | ((kTypeRefcounted | kTypeCollectable) << kTypeFlagsShift);
inline constexpr std::uint32_t kObjectEx = kObject | ((kTypeRefcounted | kTypeCollectable) << kTypeFlagsShift);
inline constexpr std::uint32_t kResourceEx = kResource | (kTypeRefcounted << kTypeFlagsShift);
inline constexpr std::uint32_t kReferenceEx = kReference | (kTypeRefcounted << kTypeFlagsShift);

// ---- the refcounted header (zend_refcounted_h) -----------------------------
inline constexpr std::uint32_t kGcTypeMask = 0x0000000f;
inline constexpr std::uint32_t kGcFlagsMask = 0x000003f0;
inline constexpr std::uint32_t kGcInfoMask = 0xfffffc00;
inline constexpr std::uint32_t kGcInfoShift = 10;
// Flags (bits 4-9).
inline constexpr std::uint32_t kGcNotCollectable = 1u << 4;
inline constexpr std::uint32_t kGcProtected = 1u << 5;  // recursion guard (dump, compare)
inline constexpr std::uint32_t kGcImmutable = 1u << 6;  // never changed in place, never freed by a request
inline constexpr std::uint32_t kGcPersistent = 1u << 7; // persistent memory, not the request heap
inline constexpr std::uint32_t kGcPersistentLocal = 1u << 8;
inline constexpr std::uint32_t kStrInterned = kGcImmutable;
inline constexpr std::uint32_t kStrPersistent = kGcPersistent;
inline constexpr std::uint32_t kStrPermanent = 1u << 8;
inline constexpr std::uint32_t kArrayImmutable = kGcImmutable;
inline constexpr std::uint32_t kArrayPersistent = kGcPersistent;
// GC type_info of each payload kind (type | flags); strings and references can
// never be part of a cycle on their own, so the collector skips them.
inline constexpr std::uint32_t kGcString = kString | kGcNotCollectable;
inline constexpr std::uint32_t kGcArray = kArray;
inline constexpr std::uint32_t kGcObject = kObject;
inline constexpr std::uint32_t kGcResource = kResource | kGcNotCollectable;
inline constexpr std::uint32_t kGcReference = kReference | kGcNotCollectable;
// GC info (bits 10-31) as PHP 7.3+ packs it: a 20-bit compressed root buffer
// address and a 2-bit colour above it.
inline constexpr std::uint32_t kGcAddressMask = 0x000fffff;
inline constexpr std::uint32_t kGcColorMask = 0x00300000;
inline constexpr std::uint32_t kGcBlack = 0x000000;  // in use or free
inline constexpr std::uint32_t kGcWhite = 0x100000;  // garbage candidate
inline constexpr std::uint32_t kGcGrey = 0x200000;   // possible member of a cycle
inline constexpr std::uint32_t kGcPurple = 0x300000; // possible root of a cycle

struct GcHeader {
  std::uint32_t refcount;
  std::uint32_t type_info;

  std::uint32_t type() const noexcept { return type_info & kGcTypeMask; }
  std::uint32_t flags() const noexcept { return type_info & kGcFlagsMask; }
  std::uint32_t info() const noexcept { return type_info >> kGcInfoShift; }
  std::uint32_t gc_address() const noexcept { return info() & kGcAddressMask; }
  std::uint32_t gc_color() const noexcept { return info() & kGcColorMask; }
  void set_gc_info(std::uint32_t info) noexcept {
    type_info = (type_info & ~kGcInfoMask) | (info << kGcInfoShift);
  }
  bool immutable() const noexcept { return (type_info & kGcImmutable) != 0; }
  bool persistent() const noexcept { return (type_info & kGcPersistent) != 0; }
};
static_assert(sizeof(GcHeader) == 8, "zend_refcounted_h is 8 bytes");

// ---- the zval ---------------------------------------------------------------
union ZValue {
  std::int64_t lval;
  double dval;
  GcHeader* counted;
  String* str;
  HashTable* arr;
  Object* obj;
  Resource* res;
  Reference* ref;
  struct Zval* zv;
  void* ptr;
  struct {
    std::uint32_t w1, w2;
  } ww;
};

/// A PHP value slot.  A plain struct (no constructor, no destructor) so it can
/// live in hash tables, unions and C memory exactly like Zend's zval; the
/// setters never release what the slot held before (that is ptr_dtor's job).
struct Zval {
  ZValue value;
  std::uint32_t type_info;  // u1: type | flags << 8 | extra << 16
  std::uint32_t u2;         // hash chain link inside a table; free for hosts elsewhere

  std::uint8_t type() const noexcept { return static_cast<std::uint8_t>(type_info); }
  std::uint32_t type_flags() const noexcept { return (type_info >> kTypeFlagsShift) & 0xff; }
  bool is_undef() const noexcept { return type() == kUndef; }
  bool is_refcounted() const noexcept { return type_flags() != 0; }
  bool is_reference() const noexcept { return type() == kReference; }
  bool is_array() const noexcept { return type() == kArray; }
  bool is_string() const noexcept { return type() == kString; }

  std::int64_t lval() const noexcept { return value.lval; }
  double dval() const noexcept { return value.dval; }
  String* str() const noexcept { return value.str; }
  HashTable* arr() const noexcept { return value.arr; }
  Reference* ref() const noexcept { return value.ref; }
  GcHeader* counted() const noexcept { return value.counted; }

  void set_undef() noexcept { type_info = kUndef; }
  void set_null() noexcept { type_info = kNull; }
  void set_bool(bool b) noexcept { type_info = b ? kTrue : kFalse; }
  void set_long(std::int64_t l) noexcept { value.lval = l; type_info = kLong; }
  void set_double(double d) noexcept { value.dval = d; type_info = kDouble; }
  /// Takes over one reference to s (interned strings need none).
  inline void set_string(String* s) noexcept;
  /// Takes over one reference to a (the immutable empty array needs none).
  inline void set_array(HashTable* a) noexcept;
  void set_reference(Reference* r) noexcept { value.ref = r; type_info = kReferenceEx; }
  /// ZVAL_COPY_VALUE: value and type, not u2.
  void copy_value_from(const Zval& o) noexcept { value = o.value; type_info = o.type_info; }
};
using zval = Zval;
static_assert(sizeof(Zval) == 16, "a zval is 16 bytes");

/// zend_reference: a box shared by every slot bound with `=&`.
struct Reference {
  GcHeader gc;
  Zval val;
  void* sources;  // typed-property sources (zend_property_info_source_list); null until objects exist
};
static_assert(sizeof(Reference) == 32, "zend_reference is 32 bytes");

// Interned strings and immutable arrays go into zvals without the refcounted
// flag (IS_INTERNED_STRING_EX, ZVAL_EMPTY_ARRAY): copies of them cost nothing.
// Every payload starts with its GcHeader, so the flag is read through it.
inline void Zval::set_string(String* s) noexcept {
  value.str = s;
  type_info = (reinterpret_cast<const GcHeader*>(s)->type_info & kStrInterned) ? kInternedStringEx : kStringEx;
}
inline void Zval::set_array(HashTable* a) noexcept {
  value.arr = a;
  type_info = (reinterpret_cast<const GcHeader*>(a)->type_info & kArrayImmutable) ? std::uint32_t{kArray} : kArrayEx;
}

/// Thrown for PHP `Error`s raised by value operations ("Cannot add element to
/// the array as the next element is already occupied", "Cannot use a scalar
/// value as an array", ...).  The value involved is left unchanged.
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

/// Frees a payload whose refcount reached zero, with everything it owns.
/// Iterative: nested arrays and references are queued on an explicit stack.
void destroy_refcounted(GcHeader* p) noexcept;

/// The cycle collector's entry point ("refcount dropped to nonzero on a value
/// that may belong to a cycle": gc_check_possible_root).  Null until a GC layer
/// installs itself; thread-local because every heap has its own root buffer.
using PossibleRootHook = void (*)(GcHeader*);
extern constinit thread_local PossibleRootHook possible_root_hook;
inline void set_possible_root_hook(PossibleRootHook h) noexcept { possible_root_hook = h; }
/// GC_REMOVE_FROM_BUFFER: called before an array or object that sits in the root buffer
/// (gc_address() != 0) is freed.
using RootRemovalHook = void (*)(GcHeader*);
extern thread_local RootRemovalHook root_removal_hook;
inline void set_root_removal_hook(RootRemovalHook h) noexcept { root_removal_hook = h; }

/// The single place where a delref left a payload alive.  Arrays (and objects)
/// may be roots of garbage cycles; a reference is one if its value is.
inline void release_nonzero(GcHeader* p) noexcept {
  PossibleRootHook hook = possible_root_hook;
  if (hook == nullptr) return;  // no collector: nothing to record
  std::uint32_t t = p->type();
  if (t == kReference) {
    const Zval& inner = reinterpret_cast<Reference*>(p)->val;
    if ((inner.type_flags() & kTypeCollectable) == 0) return;
    p = inner.counted();
  } else if (t != kArray && t != kObject) {
    return;
  }
  hook(p);
}

/// GC_DELREF + free or possible-root; used by every release path.
inline void release(GcHeader* p) noexcept {
  if (--p->refcount == 0) {
    destroy_refcounted(p);
  } else {
    release_nonzero(p);
  }
}

}  // namespace detail

// ---- the operations every host needs (Zend names in docs/zend-mapping-values.md)

/// Z_TRY_ADDREF: one more owner of z's payload (no-op for non-refcounted values).
inline void addref(const Zval& z) noexcept {
  if (z.is_refcounted()) ++z.counted()->refcount;
}

/// zval_ptr_dtor: one owner less; frees the payload (and what it owns) at zero.
/// The slot itself is left as it was: overwrite or set_undef() it afterwards.
inline void ptr_dtor(Zval& z) noexcept {
  if (z.is_refcounted()) detail::release(z.counted());
}

/// ZVAL_COPY: dst (treated as empty) becomes another owner of src's payload.
inline void copy(Zval& dst, const Zval& src) noexcept {
  dst.copy_value_from(src);
  addref(src);
}

/// ZVAL_DEREF: the value a reference points at, or z itself.
inline Zval* deref(Zval* z) noexcept { return z->is_reference() ? &z->ref()->val : z; }
inline const Zval* deref(const Zval* z) noexcept { return z->is_reference() ? &z->ref()->val : z; }

/// ZVAL_COPY_DEREF: copy of the value behind a possible reference.
inline void copy_deref(Zval& dst, const Zval& src) noexcept { copy(dst, *deref(&src)); }

/// ZVAL_MAKE_REF: turns the slot into a reference (refcount 1) holding its old
/// value; no-op if it already is one.  Returns the reference.
Reference* make_reference(Zval& z);

/// A new reference box holding a copy of v (ZVAL_NEW_REF + ZVAL_COPY).
Reference* new_reference(const Zval& v);

/// SEPARATE_ARRAY: z holds an array; afterwards it holds one with refcount 1
/// (a copy if it was shared or immutable), ready to be written.
void separate_array(Zval& z);

/// SEPARATE_ZVAL: unwraps a reference held by z (z gets a copy of the value;
/// the box is released), then separates an array.
void separate(Zval& z);

/// zend_assign_to_variable: `$var = $value`.  Writes through a reference held
/// by var; copies the value out of a reference held by value.  The old value
/// is released after the new one is in place, so `$a = $a[0]` is safe.
void assign(Zval& var, const Zval& value);

/// zend_assign_to_variable_reference: `$var = &$target`.  Makes target a
/// reference if it is not one, then binds var to the same box.
void assign_ref(Zval& var, Zval& target);

/// `unset($var)`: releases what the slot holds (a reference loses one owner,
/// its value stays with the others) and leaves the slot undef.
inline void unset(Zval& var) noexcept {
  ptr_dtor(var);
  var.set_undef();
}

/// The refcount of z's payload, or 0 if z holds no refcounted payload.  For
/// immutable payloads (the empty array, interned strings) the stored count.
std::uint32_t refcount_of(const Zval& z) noexcept;

// ---- var_dump -----------------------------------------------------------------
/// Prints z exactly as PHP 8.2's var_dump() with default ini settings
/// (serialize_precision = -1).  Iterative: any nesting depth is fine.
void dump(const Zval& z, std::FILE* out = stdout);
/// dump() into a string.
std::string dump_to_string(const Zval& z);
/// The float part of var_dump: shortest round-trip repr with PHP's exponent
/// rules ("0.1", "1.0E+25", "-0", "INF").
std::string format_double(double d);

// ---- zmem::Value: an RAII handle over one zval -------------------------------

/// An array key as PHP code writes it: an integer, or a string that becomes an
/// integer key when it looks like a canonical integer ("12" yes, "012" no).
struct Key {
  std::int64_t index = 0;
  std::string_view name;
  bool is_string = false;
  Key(std::int64_t i) noexcept : index(i) {}  // NOLINT: implicit on purpose, a[1]
  Key(int i) noexcept : index(i) {}           // NOLINT
  Key(std::string_view s) noexcept : name(s), is_string(true) {}  // NOLINT
  Key(const char* s) noexcept : name(s), is_string(true) {}       // NOLINT
  Key(const std::string& s) noexcept : name(s), is_string(true) {}  // NOLINT: views s for one call
};

class Value;

/// `$value[key]` as an lvalue or rvalue, resolved lazily: reading never
/// changes anything, writing separates every shared array on the path and
/// creates missing levels (null and undef become arrays, as in PHP).
/// Lives only as a temporary inside one expression (it points at its parent).
class Element {
 public:
  Element& operator=(const Value& v);
  Element& operator=(const Element& e);
  Element operator[](Key k) & = delete;  // an Element must not outlive its expression
  Element operator[](Key k) &&;
  /// `$value[key][] = v`.
  void push(const Value& v) &&;
  /// `unset($value[key][k])`.
  void erase(Key k) &&;
  /// `$var = &$value[key]`: binds var to the element (made a reference).
  void bind_to(Value& var) &&;
  /// A copy of the element's value (null if missing).
  Value get() const;
  operator Value() const;  // NOLINT: reading is the common case

 private:
  friend class Value;
  Element(Value* root, const Element* parent, Key k) noexcept : root_(root), parent_(parent), key_(k) {}
  Zval* slot_for_write() const;
  const Zval* slot_for_read() const;

  Value* root_;
  const Element* parent_;
  Key key_;
};

/// Owns one zval: copying adds a reference, destruction releases it
/// (ptr_dtor), moving transfers it (the source becomes undef).  C++ copy and
/// assignment replace the slot; PHP's assignment semantics (writing through a
/// reference the slot holds) are assign() and assign_ref().
/// Thread rule: a Value belongs to the thread (heap) that made its payload.
class Value {
 public:
  // The value word of null and bools is zeroed so that copying it never reads
  // uninitialized memory.
  Value() noexcept { zv_.set_long(0), zv_.set_null(); }
  Value(std::nullptr_t) noexcept { zv_.set_long(0), zv_.set_null(); }  // NOLINT
  Value(bool b) noexcept { zv_.set_long(0), zv_.set_bool(b); }          // NOLINT
  Value(int l) noexcept { zv_.set_long(l); }           // NOLINT
  Value(std::int64_t l) noexcept { zv_.set_long(l); }  // NOLINT
  Value(double d) noexcept { zv_.set_double(d); }      // NOLINT
  Value(std::string_view s);                           // NOLINT
  Value(const char* s) : Value(std::string_view(s)) {} // NOLINT
  /// A new empty array (the shared immutable one until first written).
  static Value array() noexcept;
  /// Another owner of z's payload (ZVAL_COPY).
  static Value copy_of(const Zval& z) noexcept {
    Value v;
    copy(v.zv_, z);
    return v;
  }
  /// Takes over z's reference without adding one.
  static Value adopt(const Zval& z) noexcept {
    Value v;
    v.zv_.copy_value_from(z);
    return v;
  }

  Value(const Value& o) noexcept { copy(zv_, o.zv_); }
  Value(Value&& o) noexcept {
    zv_.copy_value_from(o.zv_);
    o.zv_.set_undef();
  }
  Value& operator=(const Value& o) noexcept {
    Zval old = zv_;
    copy(zv_, o.zv_);
    ptr_dtor(old);
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      Zval old = zv_;
      zv_.copy_value_from(o.zv_);
      o.zv_.set_undef();
      ptr_dtor(old);
    }
    return *this;
  }
  ~Value() { ptr_dtor(zv_); }

  // Typed accessors look through a reference.
  std::uint8_t type() const noexcept { return deref(&zv_)->type(); }
  bool is_undef() const noexcept { return zv_.is_undef(); }
  bool is_null() const noexcept { return type() == kNull || type() == kUndef; }
  bool is_bool() const noexcept { return type() == kTrue || type() == kFalse; }
  bool is_long() const noexcept { return type() == kLong; }
  bool is_double() const noexcept { return type() == kDouble; }
  bool is_string() const noexcept { return type() == kString; }
  bool is_array() const noexcept { return type() == kArray; }
  /// Whether the slot itself holds a reference (`$a` after `$a = &$b`).
  bool is_ref() const noexcept { return zv_.is_reference(); }
  /// Precondition: is_bool(), is_long(), is_double(), is_string() respectively.
  bool as_bool() const noexcept { return type() == kTrue; }
  std::int64_t as_long() const noexcept { return deref(&zv_)->lval(); }
  double as_double() const noexcept { return deref(&zv_)->dval(); }
  std::string_view as_string() const noexcept;
  /// Elements of an array, 0 for anything else.
  std::uint32_t size() const noexcept;
  /// Refcount of the slot's payload (the reference box if it holds one).
  std::uint32_t refcount() const noexcept { return refcount_of(zv_); }

  Zval& zval() noexcept { return zv_; }
  const Zval& zval() const noexcept { return zv_; }
  /// Gives up ownership: the caller now owns the returned zval's reference.
  Zval release() noexcept {
    Zval z = zv_;
    zv_.set_undef();
    return z;
  }

  // PHP semantics.
  /// `$this = $v` (writes through a reference held by this slot).
  void assign(const Value& v) { zmem::assign(zv_, v.zv_); }
  /// `$this = &$target`.
  void assign_ref(Value& target) { zmem::assign_ref(zv_, target.zv_); }
  /// `unset($this)`.
  void unset() noexcept { zmem::unset(zv_); }

  // Arrays.  Reads never separate; writes separate a shared array first.
  Element operator[](Key k) noexcept { return Element(this, nullptr, k); }
  /// `$this[k]` as an rvalue: a copy of the element, null if missing.
  Value get(Key k) const;
  bool contains(Key k) const noexcept;
  /// `$this[k] = v`.
  void set(Key k, const Value& v);
  /// `$this[] = v`; ValueError if the next index is taken (PHP_INT_MAX used).
  void push(const Value& v);
  /// `unset($this[k])`.
  void erase(Key k);

  /// var_dump() output.
  std::string dump() const { return dump_to_string(zv_); }

 private:
  Zval zv_;
};

}  // namespace zmem
#pragma GCC visibility pop
