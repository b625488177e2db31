/* C bailout frames: an inner zmem_try catches the inner bailout, the outer one
 * catches a bailout raised in the inner catch block, and a try without a catch
 * pops its frame.  Returns 0 when every step happened in order. */
#include <zmem/bailout.h>

static void fail_here(void) { zmem_bailout(); }

int zmem_test_c_bailout_nesting(void) {
  volatile int steps = 0;
  zmem_try {
    zmem_try { steps = steps * 10 + 1; }
    zmem_end_try();
    zmem_try {
      steps = steps * 10 + 2;
      fail_here();
      steps = 99;
    }
    zmem_catch {
      steps = steps * 10 + 3;
      fail_here(); /* lands in the outer catch */
    }
    zmem_end_try();
    steps = 98;
  }
  zmem_catch { steps = steps * 10 + 4; }
  zmem_end_try();
  return steps == 1234 ? 0 : steps;
}
