// PHP array keys (symtables): canonical integer strings are integer keys;
// plus the case-insensitive lookup used for function and class tables.
// Counterpart: ZEND_HANDLE_NUMERIC_STR, _zend_handle_numeric_str_ex,
// zend_symtable_* (Zend/zend_hash.h), zend_hash_str_find_ptr_lc.
// Invariant: numeric_key(s) is true exactly for "0" and for an optional '-'
// followed by a non-zero digit and more digits, within int64 range ("-0",
// "012", "+1", " 1", "1.0", "9223372036854775808" stay strings).
#include "value/hash_internal.hpp"

namespace zmem {

bool numeric_key(std::string_view s, std::int64_t* out) noexcept {
  if (numeric_key_fast_reject(s)) return false;
  std::size_t i = 0;
  bool negative = s[0] == '-';
  if (negative) ++i;
  std::size_t digits = s.size() - i;
  if (digits == 0 || digits > 19) return false;
  if (s[i] == '0' && (digits > 1 || negative)) return false;
  std::uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');  // 19 digits cannot wrap a uint64
  }
  if (negative) {
    if (v > static_cast<std::uint64_t>(kLongMax) + 1) return false;
    *out = static_cast<std::int64_t>(0 - v);
  } else {
    if (v > static_cast<std::uint64_t>(kLongMax)) return false;
    *out = static_cast<std::int64_t>(v);
  }
  return true;
}

Zval* symtable_find(const HashTable* ht, std::string_view key) noexcept {
  std::int64_t idx;
  if (numeric_key(key, &idx)) return hash_index_find(ht, static_cast<std::uint64_t>(idx));
  return hash_str_find(ht, key);
}

Zval* symtable_update(HashTable* ht, std::string_view key, const Zval* v) {
  std::int64_t idx;
  if (numeric_key(key, &idx)) return hash_index_update(ht, static_cast<std::uint64_t>(idx), v);
  return hash_str_update(ht, key, v);
}

bool symtable_del(HashTable* ht, std::string_view key) {
  std::int64_t idx;
  if (numeric_key(key, &idx)) return hash_index_del(ht, static_cast<std::uint64_t>(idx));
  return hash_str_del(ht, key);
}

Zval* hash_str_lookup(HashTable* ht, std::string_view key) {
  if (Zval* z = hash_str_find(ht, key)) return z;
  Zval null;
  null.set_null();
  return hash_str_add(ht, key, &null);
}

Zval* symtable_lookup(HashTable* ht, std::string_view key) {
  std::int64_t idx;
  if (numeric_key(key, &idx)) return hash_index_lookup(ht, static_cast<std::uint64_t>(idx));
  return hash_str_lookup(ht, key);
}

Zval* hash_find_lc(const HashTable* ht, std::string_view name) {
  // PHP builds the copy with do_alloca (stack up to a limit, else emalloc);
  // zmem always uses the request heap so that the cost is the same found or not.
  zmem_heap* heap = zmem_current_heap();
  auto* lc = static_cast<char*>(zmem_alloc(heap, name.size() + 1));
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    lc[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;  // ASCII only, as zend_tolower_ascii
  }
  lc[name.size()] = '\0';
  Zval* found = hash_str_find(ht, std::string_view(lc, name.size()));
  zmem_free(heap, lc);
  return found;
}

}  // namespace zmem
