// zmem strings: refcounted byte strings with a cached hash, and interning.
//
// Counterpart: zend_string (Zend/zend_string.h, Zend/zend_string.c).
//
// Layout (PHP 8.2): one block of ZEND_MM_ALIGNED_SIZE(24 + len + 1) bytes
//
//   +----------+----------+----------+--------------------------+
//   | GcHeader | h        | len      | val[0] ... val[len-1] \0 |
//   | 8        | 8        | 8        | len + 1                  |
//   +----------+----------+----------+--------------------------+
//
// Invariants:
//  - val[len] == '\0' (hosts may pass val to C APIs);
//  - h == 0 means "not computed yet"; a computed hash has its top bit set, so
//    it is never 0 (string_hash caches it on first use);
//  - an interned string (kStrInterned, i.e. GC immutable) is never modified,
//    never refcounted, and never freed by a request.  Two tables hold them:
//    the permanent table (persistent memory, filled at startup, read-only
//    afterwards, shared by all threads) and this thread's request table (the
//    current heap, emptied by interned_strings_request_reset()).  Lookups try
//    the permanent table first.  Equal interned strings are the same pointer.
#pragma once

#include <cstring>

#include "value.hpp"

// Exported from libzmem.so although the library builds with -fvisibility=hidden:
// inline code in this header calls these functions (zmem::detail ones too).
#pragma GCC visibility push(default)

namespace zmem {

struct String {
  GcHeader gc;
  std::uint64_t h;
  std::size_t len;
  char val[1];  // flexible: len + 1 bytes are allocated

  std::string_view view() const noexcept { return {val, len}; }
  bool interned() const noexcept { return (gc.type_info & kStrInterned) != 0; }
};
inline constexpr std::size_t kStringHeaderSize = offsetof(String, val);
static_assert(kStringHeaderSize == 24, "zend_string header is 24 bytes");

/// DJBX33A (hash = hash * 33 + c from 5381), PHP's zend_inline_hash_func,
/// with the top bit set so a computed hash is never 0.  Unrolled by eight as
/// PHP does: the multiplications of one round are independent.
inline std::uint64_t hash_bytes(const char* s, std::size_t n) noexcept {
  std::uint64_t h = 5381;
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  for (; n >= 8; n -= 8, p += 8) {
    h = h * 33 + p[0];
    h = h * 33 + p[1];
    h = h * 33 + p[2];
    h = h * 33 + p[3];
    h = h * 33 + p[4];
    h = h * 33 + p[5];
    h = h * 33 + p[6];
    h = h * 33 + p[7];
  }
  for (; n > 0; --n, ++p) h = h * 33 + *p;
  return h | 0x8000000000000000ull;
}

/// zend_string_hash_val: the cached hash, computed on first use.  Writing the
/// cache of an interned string is allowed: every writer stores the same value.
inline std::uint64_t string_hash(String* s) noexcept {
  if (s->h == 0) s->h = hash_bytes(s->val, s->len);
  return s->h;
}

inline bool string_equals(const String* a, const String* b) noexcept {
  return a == b || (a->len == b->len && std::memcmp(a->val, b->val, a->len) == 0);
}

/// zend_string_alloc: refcount 1, hash unset, val[len] = '\0', contents
/// undefined.  persistent: persistent memory instead of the current heap.
/// Memory errors go to the heap's error handler (as every allocation).
String* string_alloc(std::size_t len, bool persistent = false);
/// zend_string_init: a new string holding s.
String* string_init(std::string_view s, bool persistent = false);
/// zend_string_dup: a new, unshared string with the same bytes (interned
/// strings are returned as they are, as PHP does).
String* string_dup(String* s, bool persistent = false);
/// zend_string_release: frees s when its last owner lets go; no-op for interned.
/// Strings own nothing and are never cycle roots, so this skips the GC hook.
inline void string_release(String* s) noexcept {
  if (!s->interned() && --s->gc.refcount == 0) detail::destroy_refcounted(&s->gc);
}
/// zend_string_copy: one more owner (no-op for interned).
inline String* string_copy(String* s) noexcept {
  if (!s->interned()) ++s->gc.refcount;
  return s;
}
/// zend_string_separate: s itself if unshared and not interned, else a copy
/// (s loses one owner).  The result can be written in place.
String* string_separate(String* s);

// ---- interning -------------------------------------------------------------
/// The permanent empty string and one-character strings (ZSTR_EMPTY_ALLOC,
/// ZSTR_CHAR).  Available from the first call; no startup call needed.
String* empty_string() noexcept;
String* char_string(unsigned char c) noexcept;

/// Adds s to the permanent table (startup only: not safe while other threads
/// use interned strings).  Returns the interned string, persistent memory.
String* intern_permanent(std::string_view s);

/// zend_new_interned_string: the interned equivalent of s.  Consumes one
/// reference to s: if an equal string is already interned, s is released;
/// otherwise s itself becomes interned when it is unshared and on the current
/// heap, or a copy is made.
String* intern(String* s);
/// zend_string_init_interned: the interned string with these bytes.
String* intern(std::string_view s);
/// The interned string with these bytes, or null (nothing is added).
String* find_interned(std::string_view s) noexcept;

/// Frees this thread's request-local interned strings and their table.
/// Call at request end, before the heap the table lives on is reset; after
/// a reset that already freed them, pass heap_was_reset = true (the table is
/// then forgotten, not freed).
void interned_strings_request_reset(bool heap_was_reset = false) noexcept;
/// Number of request-local interned strings of this thread.
std::size_t interned_request_count() noexcept;
/// Frees the permanent table and its strings (engine shutdown, no request
/// running).  Interned strings handed out before are dangling afterwards.
void interned_strings_shutdown() noexcept;

}  // namespace zmem
#pragma GCC visibility pop
