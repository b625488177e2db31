/* Uses an installed zmem from C: the C API, an error handler that longjmps, the Zend macros. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <zmem/zend_alloc.h>
#include <zmem/zmem.h>

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond);      \
      return 1;                                                               \
    }                                                                         \
  } while (0)

static jmp_buf bailout;
static int error_kind;

static void on_error(zmem_heap *h, int kind, const char *message, void *ctx) {
  (void)h;
  (void)ctx;
  error_kind = kind;
  printf("consumer_c: handler got: %s\n", message);
  longjmp(bailout, 1);
}

int main(void) {
  zmem_heap_options options = {8u << 20, 0, 0, 0};
  zmem_heap *heap = zmem_heap_new(&options);
  zmem_heap_set_error_handler(heap, on_error, NULL);

  char *text = zmem_alloc(heap, 100);
  strcpy(text, "installed zmem");
  CHECK(zmem_owns(heap, text));
  CHECK(zmem_usage(heap, 0) >= 100);
  text = zmem_realloc(heap, text, 5000);
  CHECK(strcmp(text, "installed zmem") == 0);

  if (setjmp(bailout) == 0) {
    zmem_alloc(heap, 16u << 20);
    fprintf(stderr, "consumer_c: the limit was not enforced\n");
    return 1;
  }
  CHECK(error_kind == ZMEM_ERR_LIMIT);
  CHECK(strcmp(text, "installed zmem") == 0);

  zmem_heap_reset(heap);
  CHECK(zmem_usage(heap, 0) == 0);

  zmem_set_current_heap(heap);
  char *copy = estrdup("through emalloc");
  CHECK(zmem_owns(heap, copy));
  efree(copy);
  zmem_set_current_heap(NULL);

  printf("consumer_c: ok (heap #%u, real usage %zu bytes)\n", zmem_heap_id(heap), zmem_usage(heap, 1));
  zmem_heap_destroy(heap);
  return 0;
}
