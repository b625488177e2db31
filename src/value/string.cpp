// Refcounted strings: allocation, duplication, separation.
// Counterpart: zend_string_alloc / _init / dup / separate (Zend/zend_string.h).
// Invariant: a string's block is align8(24 + len + 1) bytes, val[len] == '\0',
// and it comes from persistent memory exactly when kStrPersistent is set.
#include <cstring>

#include "value/value.hpp"

namespace zmem {

String* string_alloc(std::size_t len, bool persistent) {
  // The size check keeps 24 + len + 1 from wrapping; PHP reports the same
  // condition as an overflow through the allocator.
  std::size_t size = (kStringHeaderSize + len + 1 + 7) & ~std::size_t{7};
  if (size < len) throw std::length_error("zmem: string length overflows size_t");
  auto* s = static_cast<String*>(detail::value_alloc(size, persistent));
  s->gc.refcount = 1;
  s->gc.type_info = kGcString | (persistent ? kStrPersistent : 0);
  s->h = 0;
  s->len = len;
  s->val[len] = '\0';
  return s;
}

String* string_init(std::string_view v, bool persistent) {
  String* s = string_alloc(v.size(), persistent);
  if (!v.empty()) std::memcpy(s->val, v.data(), v.size());
  return s;
}

String* string_dup(String* s, bool persistent) {
  if (s->interned()) return s;
  String* d = string_init(s->view(), persistent);
  d->h = s->h;
  return d;
}

String* string_separate(String* s) {
  if (!s->interned() && s->gc.refcount == 1) {
    s->h = 0;  // the caller is about to change the bytes
    return s;
  }
  String* d = string_init(s->view(), false);
  if (!s->interned()) detail::release(&s->gc);
  return d;
}

}  // namespace zmem
