// PHP's emalloc family, answered by zmem directly (see zmem_php.h).
//
// With custom handlers alone, every emalloc/efree first runs ZendMM's entry point, which
// tests for custom handlers and makes an indirect call: that detour costs about what zmem's
// fast path saves.  libphp calls its entry points through its PLT, so
// zp_entry_points_install() points those slots (and the addresses libphp stores, such as
// its string destructor) at the functions below
// (import_patch.c), and these inline zmem's fast paths: _emalloc_56 pops bin 56's list
// with the bin known at compile time, _efree pushes a small block without leaving the
// function.  The handlers stay installed: calls that still reach ZendMM's entry points
// (from other libraries, or code inside zend_alloc.c itself) take the handler path into
// the same heap.
//
// Invariant: outside a request (zp_request_heap == NULL) each function calls the original
// entry point, so startup and shutdown run on ZendMM exactly as without the patch.  The
// fast paths are mode-safe: a debug or system heap never matches them (its free lists are
// empty and it owns no chunk), so its calls reach its own slow paths.
#include <cstring>

#include "heap/native_heap.hpp"

extern "C" {
#include "import_patch.h"
#include "zmem_php.h"
}

using namespace zmem::detail;

namespace {

ZMEM_INLINE bool outside_request(zmem_heap* h) { return ZMEM_UNLIKELY(h == nullptr); }

ZMEM_INLINE void free_block(zmem_heap* h, void* p) {
  if (ZMEM_LIKELY(free_small_if_own(h, p))) return;
  zp_free_block(p);  // large, huge, ZendMM's, or an error zmem reports
}

// A block of this heap's chunks stays on zmem's inline path; huge blocks, ZendMM's blocks
// and NULL go through the bridge, which tells them apart.
ZMEM_INLINE void* realloc_block(zmem_heap* h, void* p, std::size_t size) {
  if (ZMEM_LIKELY(in_own_chunk(h, p))) return realloc_fast(h, p, size, nullptr, 0);
  return zp_realloc_block(p, size);
}

// nmemb * size + offset; on overflow, zp_safe_size raises PHP's own fatal error (same text).
ZMEM_INLINE std::size_t safe_size(std::size_t nmemb, std::size_t size, std::size_t offset) {
  std::size_t bytes;
  if (ZMEM_UNLIKELY(__builtin_mul_overflow(nmemb, size, &bytes) || __builtin_add_overflow(bytes, offset, &bytes))) {
    return zp_safe_size(nmemb, size, offset);
  }
  return bytes;
}

// _emalloc_N() / _efree_N(p): one pair per ZendMM bin size.
template <std::size_t Size>
struct SmallEntry {
  static_assert(kBinSize[size_to_bin(Size)] == Size, "PHP's fixed-size entry points are its bin sizes");
  static inline void* (*original_alloc)();
  static inline void (*original_free)(void*);

  static void* alloc() {
    zmem_heap* h = zp_request_heap;
    if (outside_request(h)) return original_alloc();
    return alloc_from_bin(h, size_to_bin(Size), Size, nullptr, 0);
  }
  static void free(void* p) {
    zmem_heap* h = zp_request_heap;
    if (outside_request(h)) return original_free(p);
    free_block(h, p);
  }
};

void* (*original_emalloc)(std::size_t);
void* (*original_emalloc_large)(std::size_t);
void* (*original_emalloc_huge)(std::size_t);
void (*original_efree)(void*);
void (*original_efree_large)(void*, std::size_t);
void (*original_efree_huge)(void*, std::size_t);
void* (*original_erealloc)(void*, std::size_t);
void* (*original_erealloc2)(void*, std::size_t, std::size_t);
void* (*original_safe_erealloc)(void*, std::size_t, std::size_t, std::size_t);
void* (*original_safe_emalloc)(std::size_t, std::size_t, std::size_t);
void* (*original_ecalloc)(std::size_t, std::size_t);
char* (*original_estrdup)(const char*);
char* (*original_estrndup)(const char*, std::size_t);

void* emalloc(std::size_t size) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_emalloc(size);
  return alloc_fast(h, size, nullptr, 0);
}

void* emalloc_large(std::size_t size) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_emalloc_large(size);
  return alloc_slow(h, size, nullptr, 0);
}

void* emalloc_huge(std::size_t size) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_emalloc_huge(size);
  return alloc_slow(h, size, nullptr, 0);
}

void efree(void* p) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_efree(p);
  free_block(h, p);
}

void efree_large(void* p, std::size_t size) {
  if (outside_request(zp_request_heap)) return original_efree_large(p, size);
  zp_free_block(p);
}

void efree_huge(void* p, std::size_t size) {
  if (outside_request(zp_request_heap)) return original_efree_huge(p, size);
  zp_free_block(p);
}

void* erealloc(void* p, std::size_t size) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_erealloc(p, size);
  return realloc_block(h, p, size);
}

// Copying more than copy_size is allowed: the bytes past it are unspecified.
void* erealloc2(void* p, std::size_t size, std::size_t copy_size) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_erealloc2(p, size, copy_size);
  return realloc_block(h, p, size);
}

void* safe_erealloc(void* p, std::size_t nmemb, std::size_t size, std::size_t offset) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_safe_erealloc(p, nmemb, size, offset);
  return realloc_block(h, p, safe_size(nmemb, size, offset));
}

void* safe_emalloc(std::size_t nmemb, std::size_t size, std::size_t offset) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_safe_emalloc(nmemb, size, offset);
  return alloc_fast(h, safe_size(nmemb, size, offset), nullptr, 0);
}

void* ecalloc(std::size_t nmemb, std::size_t size) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_ecalloc(nmemb, size);
  std::size_t bytes = safe_size(nmemb, size, 0);
  return std::memset(alloc_fast(h, bytes, nullptr, 0), 0, bytes);
}

char* copy_string(zmem_heap* h, const char* s, std::size_t length) {
  auto* p = static_cast<char*>(alloc_fast(h, safe_size(1, length, 1), nullptr, 0));
  std::memcpy(p, s, length);
  p[length] = '\0';
  return p;
}

char* estrdup(const char* s) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_estrdup(s);
  return copy_string(h, s, std::strlen(s));
}

char* estrndup(const char* s, std::size_t length) {
  zmem_heap* h = zp_request_heap;
  if (outside_request(h)) return original_estrndup(s, length);
  return copy_string(h, s, length);
}

template <typename F>
zp_import_patch patch(const char* symbol, F replacement, F* original) {
  return {symbol, reinterpret_cast<void*>(replacement), reinterpret_cast<void**>(original)};
}

template <std::size_t Size>
void add_small(zp_import_patch*& out, const char* alloc_symbol, const char* free_symbol) {
  *out++ = patch(alloc_symbol, &SmallEntry<Size>::alloc, &SmallEntry<Size>::original_alloc);
  *out++ = patch(free_symbol, &SmallEntry<Size>::free, &SmallEntry<Size>::original_free);
}

}  // namespace

extern "C" std::size_t zp_entry_points_install(void) {
  static zp_import_patch patches[2 * kBinCount + 13];
  zp_import_patch* out = patches;
#define ZP_SMALL(size) add_small<size>(out, "_emalloc_" #size, "_efree_" #size);
  ZP_SMALL(8) ZP_SMALL(16) ZP_SMALL(24) ZP_SMALL(32) ZP_SMALL(40) ZP_SMALL(48) ZP_SMALL(56) ZP_SMALL(64)
  ZP_SMALL(80) ZP_SMALL(96) ZP_SMALL(112) ZP_SMALL(128) ZP_SMALL(160) ZP_SMALL(192) ZP_SMALL(224)
  ZP_SMALL(256) ZP_SMALL(320) ZP_SMALL(384) ZP_SMALL(448) ZP_SMALL(512) ZP_SMALL(640) ZP_SMALL(768)
  ZP_SMALL(896) ZP_SMALL(1024) ZP_SMALL(1280) ZP_SMALL(1536) ZP_SMALL(1792) ZP_SMALL(2048) ZP_SMALL(2560)
  ZP_SMALL(3072)
#undef ZP_SMALL
  *out++ = patch("_emalloc", emalloc, &original_emalloc);
  *out++ = patch("_emalloc_large", emalloc_large, &original_emalloc_large);
  *out++ = patch("_emalloc_huge", emalloc_huge, &original_emalloc_huge);
  *out++ = patch("_efree", efree, &original_efree);
  *out++ = patch("_efree_large", efree_large, &original_efree_large);
  *out++ = patch("_efree_huge", efree_huge, &original_efree_huge);
  *out++ = patch("_erealloc", erealloc, &original_erealloc);
  *out++ = patch("_erealloc2", erealloc2, &original_erealloc2);
  *out++ = patch("_safe_erealloc", safe_erealloc, &original_safe_erealloc);
  *out++ = patch("_safe_emalloc", safe_emalloc, &original_safe_emalloc);
  *out++ = patch("_ecalloc", ecalloc, &original_ecalloc);
  *out++ = patch("_estrdup", estrdup, &original_estrdup);
  *out++ = patch("_estrndup", estrndup, &original_estrndup);
  return zp_patch_imports("_emalloc", patches, static_cast<std::size_t>(out - patches));
}
