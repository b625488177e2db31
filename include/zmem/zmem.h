/* zmem C API: request heaps in the manner of the Zend Engine's ZendMM.
 *
 * A heap serves one thread at a time.  Everything allocated from it since
 * creation or the last zmem_heap_reset() dies at the next reset.  Errors
 * (limit, out of memory, overflow, misuse) go to the heap's error handler,
 * which must not return; with no handler the message is printed as
 * "Fatal error: <message>" on stderr and the process aborts.  When a handler
 * runs, the heap is consistent and the failed call changed nothing.
 *
 * Counterpart: Zend/zend_alloc.h (_zend_mm_alloc, zend_mm_shutdown, ...).
 * The Zend-named macros (emalloc, efree, pemalloc, ...) are in zmem/zend_alloc.h.
 */
#ifndef ZMEM_ZMEM_H
#define ZMEM_ZMEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zmem_heap zmem_heap;

typedef struct zmem_heap_options {
  size_t limit; /* bytes of real usage allowed; 0 = unlimited */
  int debug;    /* 0 off, 1 sites + canaries + double-free checks, 2 also backtraces */
  int system;   /* 1: every block from malloc, tracked (valgrind/ASan mode) */
  int small_pages; /* 1: never ask the OS for transparent huge pages on huge blocks (ZMEM_HUGE_PAGES=0) */
} zmem_heap_options;

enum zmem_error_kind {
  ZMEM_ERR_LIMIT = 1,    /* memory limit reached */
  ZMEM_ERR_OOM,          /* the OS refused memory */
  ZMEM_ERR_OVERFLOW,     /* safe_* size computation overflowed */
  ZMEM_ERR_DOUBLE_FREE,
  ZMEM_ERR_FOREIGN,      /* pointer not owned by this heap (another heap's, malloc's, interior) */
  ZMEM_ERR_WRONG_THREAD, /* heap used by a second thread while another uses it */
  ZMEM_ERR_CORRUPTION    /* damaged free-list link, canary or chunk header */
};

/** Sets every field: defaults, then ZMEM_LIMIT, ZMEM_DEBUG, ZMEM_ALLOC / USE_ZEND_ALLOC. */
void zmem_heap_options_from_env(zmem_heap_options *o);
/** A new heap; NULL options: from the environment. Never returns NULL (aborts if the OS refuses). */
zmem_heap *zmem_heap_new(const zmem_heap_options *o);
/** Unmaps everything the heap holds. The heap must not be any thread's current heap. */
void zmem_heap_destroy(zmem_heap *h);

void *zmem_alloc(zmem_heap *h, size_t size);
void *zmem_calloc(zmem_heap *h, size_t count, size_t size);
/** On error the old block is untouched. realloc(NULL, n) allocates; the result is never NULL. */
void *zmem_realloc(zmem_heap *h, void *p, size_t size);
/** free(NULL) does nothing. */
void zmem_free(zmem_heap *h, void *p);
void zmem_free_sized(zmem_heap *h, void *p, size_t size);
/** For hosts that share pointers with another allocator: frees p and returns 1 if this heap
 *  owns it, returns 0 (and does nothing) otherwise. */
int zmem_free_if_owned(zmem_heap *h, void *p);
/** The realloc counterpart: zmem_realloc(h, p, size) if this heap owns p (or p is NULL),
 *  NULL (and nothing done) otherwise. */
void *zmem_realloc_if_owned(zmem_heap *h, void *p, size_t size);
/** Usable bytes: the caller may write up to it. */
size_t zmem_block_size(zmem_heap *h, const void *p);
/** 1 if p is the start of a live-or-free block region this heap owns (chunk or huge block), in O(1). */
int zmem_owns(const zmem_heap *h, const void *p);
/** Request end: everything allocated since creation or the last reset is gone; peaks restart. */
void zmem_heap_reset(zmem_heap *h);
/** As zmem_heap_reset, without a debug heap's leak report: for a request that bailed out,
 *  whose blocks were abandoned on purpose (PHP is silent then too). */
void zmem_heap_reset_silent(zmem_heap *h);
/** Gives free pages and cached chunks back to the OS; returns the bytes given back. */
size_t zmem_heap_trim(zmem_heap *h);
/** 0 ok; -1 if below real usage even after trimming (limit unchanged), as PHP. 0 = unlimited. */
int zmem_heap_set_limit(zmem_heap *h, size_t limit);
size_t zmem_heap_limit(const zmem_heap *h);
/** real = 0: bytes in live blocks (as memory_get_usage()); real = 1: bytes mapped (memory_get_usage(true)). */
size_t zmem_usage(const zmem_heap *h, int real);
/** Since creation or the last reset (or zmem_reset_peak). */
size_t zmem_peak_usage(const zmem_heap *h, int real);
/** memory_reset_peak_usage(): peaks restart from the current figures. */
void zmem_reset_peak(zmem_heap *h);
/** 1, 2, ... in creation order; named in messages. */
unsigned zmem_heap_id(const zmem_heap *h);
/** 0 native, 1 or 2 debug, 3 system. */
int zmem_heap_mode(const zmem_heap *h);

typedef void (*zmem_error_fn)(zmem_heap *h, int kind, const char *message, void *ctx); /* must not return */
void zmem_heap_set_error_handler(zmem_heap *h, zmem_error_fn fn, void *ctx);

/** This thread's current heap; created from the environment on first use. */
zmem_heap *zmem_current_heap(void);
/** NULL: back to this thread's default heap. */
void zmem_set_current_heap(zmem_heap *h);

/* Per-bin and structural figures (zend_mm stats): filled on demand, no cost on the fast path. */
#define ZMEM_BIN_COUNT 30
typedef struct zmem_heap_stats {
  size_t usage, peak, real_usage, real_peak, limit;
  size_t chunks, cached_chunks, huge_blocks, cached_huge_blocks, cached_huge_bytes;
  size_t large_bytes, huge_bytes;
  size_t cached_resident; /* bytes of cached chunks and huge blocks whose pages are kept resident */
  size_t bin_size[ZMEM_BIN_COUNT];
  size_t bin_runs[ZMEM_BIN_COUNT];   /* small runs of this bin */
  size_t bin_in_use[ZMEM_BIN_COUNT]; /* live blocks of this bin */
} zmem_heap_stats;
void zmem_heap_get_stats(zmem_heap *h, zmem_heap_stats *out);
/** Prints the heap's figures (usage, peak, real, peak real, chunks, huge blocks, cached pages kept
 * resident) to a FILE*. */
void zmem_heap_print_report(zmem_heap *h, void *file);

/* Site-carrying variants: debug heaps record FILE:LINE, other heaps ignore them.
 * The zend_alloc.h macros use these. */
void *zmem_alloc_at(zmem_heap *h, size_t size, const char *file, unsigned line);
void *zmem_calloc_at(zmem_heap *h, size_t count, size_t size, const char *file, unsigned line);
void *zmem_realloc_at(zmem_heap *h, void *p, size_t size, const char *file, unsigned line);
void zmem_free_at(zmem_heap *h, void *p, const char *file, unsigned line);
/** n * size + offset, checked: "Possible integer overflow in memory allocation (%zu * %zu + %zu)". */
void *zmem_safe_alloc_at(zmem_heap *h, size_t n, size_t size, size_t offset, const char *file, unsigned line);
void *zmem_safe_realloc_at(zmem_heap *h, void *p, size_t n, size_t size, size_t offset, const char *file,
                           unsigned line);
char *zmem_strdup_at(zmem_heap *h, const char *s, const char *file, unsigned line);
char *zmem_strndup_at(zmem_heap *h, const char *s, size_t length, const char *file, unsigned line);

/* Persistent memory (pemalloc(size, 1)): outlives every heap and every reset, counts in no heap's
 * usage or limit (as PHP), tracked so leaks can be reported at engine shutdown.  Thread-safe.
 * Errors go to the current heap's handler. */
void *zmem_persistent_alloc(size_t size, const char *file, unsigned line);
void *zmem_persistent_calloc(size_t count, size_t size, const char *file, unsigned line);
void *zmem_persistent_realloc(void *p, size_t size, const char *file, unsigned line);
void zmem_persistent_free(void *p);
char *zmem_persistent_strdup(const char *s, const char *file, unsigned line);
size_t zmem_persistent_usage(void);  /* live persistent bytes requested */
size_t zmem_persistent_blocks(void); /* live persistent blocks */
/** Prints one line per live persistent block ("FILE(LINE) :  Freeing 0x... (N bytes)") and a total; returns the count. */
size_t zmem_persistent_report_leaks(void *file);

#ifdef __cplusplus
}
#endif
#endif /* ZMEM_ZMEM_H */
