/* Bailout for C code: leave a request from anywhere, landing at the innermost
 * zmem_try, as PHP's zend_try / zend_catch / zend_end_try.
 *
 *   zmem_try {
 *     ... code that may call zmem_bailout() or zmem_fatal() ...
 *   } zmem_catch {
 *     ... it bailed out ...
 *   } zmem_end_try();
 *
 * Frames nest.  C++ code (zmem::Request::run, zmem::BailoutScope) pushes frames
 * of its own on the same per-thread stack: a bailout whose innermost frame is
 * C++ throws zmem::Bailout; one whose innermost frame is C longjmps.  Like any
 * longjmp, jumping over C++ frames skips their destructors: keep C++ code with
 * destructors between a zmem_try and the bailout inside its own C++ scope.
 */
#ifndef ZMEM_BAILOUT_H
#define ZMEM_BAILOUT_H

#include <setjmp.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zmem_bailout_frame {
  sigjmp_buf jump;
  struct zmem_bailout_frame *previous;
  int is_cxx; /* 1: a C++ frame, unwound by exception */
} zmem_bailout_frame;

void zmem_bailout_push(zmem_bailout_frame *frame);
/** Idempotent: pops `frame` if it is the innermost one. */
void zmem_bailout_pop(zmem_bailout_frame *frame);
/** Unwinds to the innermost frame.  With no frame at all: prints a message and exits(255). */
void zmem_bailout(void) __attribute__((noreturn));
/** Prints "PHP Fatal error:  <message>" on stderr, then bails out. */
void zmem_fatal(const char *format, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define zmem_try                     \
  {                                  \
    zmem_bailout_frame zmem_frame_;  \
    zmem_frame_.is_cxx = 0;          \
    zmem_bailout_push(&zmem_frame_); \
    if (sigsetjmp(zmem_frame_.jump, 0) == 0) {
#define zmem_catch \
  }                \
  else {           \
    zmem_bailout_pop(&zmem_frame_);
#define zmem_end_try()              \
  }                                 \
  zmem_bailout_pop(&zmem_frame_);   \
  }

#ifdef __cplusplus
}
#endif
#endif /* ZMEM_BAILOUT_H */
