/* C11 check of the public C headers: zmem/zmem.h and zmem/zend_alloc.h compiled as C (not C++)
 * with -std=c11 -Wpedantic -Werror, and the Zend-named macros exercised on the current heap,
 * with an error handler that longjmps (a handler must not return).  Each zmem_ctest_* returns
 * NULL on success or a description of the first failed check; c_api_test_main.cpp runs them. */
#include <zmem/zmem.h>
#include <zmem/zend_alloc.h>

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB ((size_t)1024 * 1024)
#define CHECK(cond)                                      \
  do {                                                   \
    if (!(cond)) return "check failed: " #cond;         \
  } while (0)

typedef struct catcher {
  jmp_buf env;
  zmem_heap *heap;
  int kind;
  int calls;
  char message[512];
} catcher;

static void longjmp_handler(zmem_heap *h, int kind, const char *message, void *ctx) {
  catcher *c = (catcher *)ctx;
  c->heap = h;
  c->kind = kind;
  c->calls++;
  snprintf(c->message, sizeof c->message, "%s", message);
  longjmp(c->env, 1);
}

static int all_zero(const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  size_t i;
  for (i = 0; i < n; ++i)
    if (b[i] != 0) return 0;
  return 1;
}

/* The e* macros allocate from the current heap and count in its usage. */
const char *zmem_ctest_emalloc_family(void) {
  zmem_heap_options o = {0, 0, 0, 0};
  zmem_heap *h = zmem_heap_new(&o);
  char *s, *t;
  void *p, *z;
  int *arr;
  size_t i;
  zmem_set_current_heap(h);
  CHECK(zmem_current_heap() == h);

  p = emalloc(100);
  CHECK(p != NULL);
  CHECK(zmem_block_size(h, p) >= 100);
  CHECK(zmem_usage(h, 0) > 0);
  memset(p, 0xAB, 100);
  p = erealloc(p, 5000);
  CHECK(((unsigned char *)p)[99] == 0xAB);
  efree(p);

  z = ecalloc(25, 4);
  CHECK(all_zero(z, 100));
  efree_size(z, 100);

  s = estrdup("hello, zmem");
  CHECK(strcmp(s, "hello, zmem") == 0);
  t = estrndup("hello world", 5);
  CHECK(strcmp(t, "hello") == 0);
  efree(s);
  efree(t);

  arr = (int *)safe_emalloc(10, sizeof(int), 8);
  CHECK(zmem_block_size(h, arr) >= 10 * sizeof(int) + 8);
  for (i = 0; i < 10; ++i) arr[i] = (int)i;
  arr = (int *)safe_erealloc(arr, 1000, sizeof(int), 0);
  CHECK(arr[9] == 9);
  efree(arr);

  p = pemalloc(64, 0); /* non-persistent: the heap */
  CHECK(zmem_owns(h, p));
  pefree(p, 0);

  CHECK(zmem_usage(h, 0) == 0);
  zmem_set_current_heap(NULL);
  CHECK(zmem_current_heap() != h);
  zmem_heap_destroy(h);
  return NULL;
}

/* pemalloc(size, 1) and friends use the persistent allocator: no heap usage, survives reset. */
const char *zmem_ctest_persistent(void) {
  zmem_heap_options o = {0, 0, 0, 0};
  zmem_heap *h = zmem_heap_new(&o);
  size_t blocks, bytes;
  char *p, *s;
  void *z, *q;
  zmem_set_current_heap(h);
  blocks = zmem_persistent_blocks();
  bytes = zmem_persistent_usage();

  p = (char *)pemalloc(100, 1);
  CHECK(p != NULL);
  CHECK(!zmem_owns(h, p));
  CHECK(zmem_usage(h, 0) == 0);
  CHECK(zmem_persistent_blocks() == blocks + 1);
  CHECK(zmem_persistent_usage() >= bytes + 100);
  memcpy(p, "persistent", 11);
  zmem_heap_reset(h);
  CHECK(strcmp(p, "persistent") == 0);
  p = (char *)perealloc(p, 10000, 1);
  CHECK(strcmp(p, "persistent") == 0);

  z = pecalloc(10, 10, 1);
  CHECK(all_zero(z, 100));
  s = pestrdup("abc", 1);
  CHECK(strcmp(s, "abc") == 0);
  q = safe_pemalloc(4, 25, 0, 1);
  CHECK(q != NULL);
  CHECK(zmem_persistent_blocks() == blocks + 4);
  pefree(p, 1);
  pefree(z, 1);
  pefree(s, 1);
  pefree(q, 1);
  CHECK(zmem_persistent_blocks() == blocks);
  CHECK(zmem_persistent_usage() == bytes);
  CHECK(zmem_usage(h, 0) == 0);

  zmem_set_current_heap(NULL);
  zmem_heap_destroy(h);
  return NULL;
}

/* Persistent memory counts in no heap's limit (as PHP). */
const char *zmem_ctest_persistent_ignores_limit(void) {
  zmem_heap_options o = {0, 0, 0, 0};
  zmem_heap *h;
  void *p;
  o.limit = 2 * MIB;
  h = zmem_heap_new(&o);
  zmem_set_current_heap(h);
  p = pemalloc(8 * MIB, 1);
  CHECK(p != NULL);
  memset(p, 1, 8 * MIB);
  CHECK(zmem_usage(h, 1) == 2 * MIB);
  pefree(p, 1);
  zmem_set_current_heap(NULL);
  zmem_heap_destroy(h);
  return NULL;
}

/* A handler that longjmps receives heap, kind, message and ctx; the heap stays usable. */
const char *zmem_ctest_longjmp_handler(void) {
  static catcher c; /* static: survives the longjmp without volatile qualifiers */
  static zmem_heap *h;
  static void *keep;
  zmem_heap_options o = {0, 0, 0, 0};
  o.limit = 4 * MIB;
  memset(&c, 0, sizeof c);
  h = zmem_heap_new(&o);
  zmem_heap_set_error_handler(h, longjmp_handler, &c);
  zmem_set_current_heap(h);
  keep = emalloc(1000);
  memset(keep, 0x3C, 1000);

  if (setjmp(c.env) == 0) {
    (void)emalloc(8 * MIB);
    zmem_set_current_heap(NULL);
    return "limit error did not reach the handler";
  }
  CHECK(c.calls == 1);
  CHECK(c.heap == h);
  CHECK(c.kind == ZMEM_ERR_LIMIT);
  CHECK(strcmp(c.message, "Allowed memory size of 4194304 bytes exhausted (tried to allocate 8388608 bytes)") == 0);
  CHECK(((unsigned char *)keep)[999] == 0x3C);

  if (setjmp(c.env) == 0) {
    (void)safe_emalloc(SIZE_MAX, 2, 0);
    zmem_set_current_heap(NULL);
    return "overflow did not reach the handler";
  }
  CHECK(c.calls == 2);
  CHECK(c.kind == ZMEM_ERR_OVERFLOW);
  CHECK(strcmp(c.message, "Possible integer overflow in memory allocation (18446744073709551615 * 2 + 0)") == 0);

  if (setjmp(c.env) == 0) {
    void *p = emalloc(64);
    efree(p);
    efree(p);
    zmem_set_current_heap(NULL);
    return "double free did not reach the handler";
  }
  CHECK(c.calls == 3);
  CHECK(c.kind == ZMEM_ERR_DOUBLE_FREE);

  /* still usable */
  {
    void *p = emalloc(3000);
    void *q = emalloc(100000);
    memset(p, 1, 3000);
    memset(q, 2, 100000);
    efree(q);
    efree(p);
  }
  efree(keep);
  CHECK(zmem_usage(h, 0) == 0);
  zmem_set_current_heap(NULL);
  zmem_heap_destroy(h);
  return NULL;
}

/* Stats and the printed report are available from C. */
const char *zmem_ctest_stats_and_report(void) {
  zmem_heap_options o = {0, 0, 0, 0};
  zmem_heap *h = zmem_heap_new(&o);
  zmem_heap_stats s;
  FILE *f;
  long len;
  void *p = zmem_alloc(h, 24);
  zmem_heap_get_stats(h, &s);
  CHECK(s.usage == 24);
  CHECK(s.real_usage == 2 * MIB);
  CHECK(s.bin_size[2] == 24);
  CHECK(s.bin_in_use[2] == 1);
  CHECK(ZMEM_BIN_COUNT == 30);
  CHECK(zmem_heap_mode(h) == 0);
  f = tmpfile();
  CHECK(f != NULL);
  zmem_heap_print_report(h, f);
  len = ftell(f);
  fclose(f);
  CHECK(len > 0);
  zmem_free(h, p);
  zmem_heap_destroy(h);
  return NULL;
}

/* The persistent leak report prints one "Freeing 0x..." line per live block. */
const char *zmem_ctest_persistent_leak_report(void) {
  FILE *f = tmpfile();
  char buf[4096];
  size_t n, count;
  void *p = pemalloc(123, 1);
  CHECK(f != NULL);
  count = zmem_persistent_report_leaks(f);
  CHECK(count >= 1);
  rewind(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  CHECK(strstr(buf, "Freeing 0x") != NULL);
  CHECK(strstr(buf, "(123 bytes)") != NULL);
  pefree(p, 1);
  return NULL;
}
