/* The Zend-named allocation macros, with PHP's arities, on the calling
 * thread's current heap (zmem_current_heap()).  Each passes __FILE__ and
 * __LINE__ so a debug heap can name the allocation site.
 * pemalloc(size, 1) and friends use zmem's persistent allocator, which
 * outlives every heap and counts in no heap's limit (as in PHP).
 * Counterpart: Zend/zend_alloc.h. */
#ifndef ZMEM_ZEND_ALLOC_H
#define ZMEM_ZEND_ALLOC_H

#include "zmem.h"

#define emalloc(size) zmem_alloc_at(zmem_current_heap(), (size), __FILE__, __LINE__)
#define ecalloc(nmemb, size) zmem_calloc_at(zmem_current_heap(), (nmemb), (size), __FILE__, __LINE__)
#define erealloc(ptr, size) zmem_realloc_at(zmem_current_heap(), (ptr), (size), __FILE__, __LINE__)
#define efree(ptr) zmem_free_at(zmem_current_heap(), (ptr), __FILE__, __LINE__)
#define efree_size(ptr, size) zmem_free_at(zmem_current_heap(), (ptr), __FILE__, __LINE__)
#define estrdup(s) zmem_strdup_at(zmem_current_heap(), (s), __FILE__, __LINE__)
#define estrndup(s, length) zmem_strndup_at(zmem_current_heap(), (s), (length), __FILE__, __LINE__)
#define safe_emalloc(nmemb, size, offset) \
  zmem_safe_alloc_at(zmem_current_heap(), (nmemb), (size), (offset), __FILE__, __LINE__)
#define safe_erealloc(ptr, nmemb, size, offset) \
  zmem_safe_realloc_at(zmem_current_heap(), (ptr), (nmemb), (size), (offset), __FILE__, __LINE__)

#define pemalloc(size, persistent) \
  ((persistent) ? zmem_persistent_alloc((size), __FILE__, __LINE__) : emalloc(size))
#define pecalloc(nmemb, size, persistent) \
  ((persistent) ? zmem_persistent_calloc((nmemb), (size), __FILE__, __LINE__) : ecalloc((nmemb), (size)))
#define perealloc(ptr, size, persistent) \
  ((persistent) ? zmem_persistent_realloc((ptr), (size), __FILE__, __LINE__) : erealloc((ptr), (size)))
#define pefree(ptr, persistent) ((persistent) ? zmem_persistent_free(ptr) : efree(ptr))
#define pestrdup(s, persistent) ((persistent) ? zmem_persistent_strdup((s), __FILE__, __LINE__) : estrdup(s))
#define safe_pemalloc(nmemb, size, offset, persistent)                                                   \
  ((persistent) ? zmem_persistent_alloc(zmem_safe_size((nmemb), (size), (offset)), __FILE__, __LINE__) \
                : safe_emalloc((nmemb), (size), (offset)))

#ifdef __cplusplus
extern "C" {
#endif
/** n * size + offset, or the current heap's overflow error (which does not return). */
size_t zmem_safe_size(size_t n, size_t size, size_t offset);
#ifdef __cplusplus
}
#endif

#endif /* ZMEM_ZEND_ALLOC_H */
