// The per-thread stack of bailout frames, and the ways out of a request:
// bailout() and fatal().  Counterpart: EG(bailout), _zend_bailout,
// zend_error_noreturn(E_ERROR, ...).
// Invariant: t_top is the innermost live frame; every frame below it belongs to
// a scope that is still running on this thread.
#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "engine/engine.hpp"

namespace {
thread_local zmem_bailout_frame* t_top = nullptr;

void vprint_fatal(const char* format, va_list args) {
  std::fputs("PHP Fatal error:  ", stderr);
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}
}  // namespace

namespace zmem::detail {
void restore_bailout_top(zmem_bailout_frame* frame) noexcept { t_top = frame; }
zmem_bailout_frame* bailout_top() noexcept { return t_top; }
}  // namespace zmem::detail

extern "C" {

void zmem_bailout_push(zmem_bailout_frame* frame) {
  frame->previous = t_top;
  t_top = frame;
}

void zmem_bailout_pop(zmem_bailout_frame* frame) {
  if (t_top == frame) t_top = frame->previous;
}

void zmem_bailout(void) {
  zmem_bailout_frame* frame = t_top;
  if (frame == nullptr) {
    std::fputs("zmem: bailed out without a bailout frame (no zmem_try or Request on this thread)\n", stderr);
    std::exit(255);
  }
  if (frame->is_cxx) throw zmem::Bailout{};
  siglongjmp(frame->jump, 1);
}

void zmem_fatal(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vprint_fatal(format, args);
  va_end(args);
  zmem_bailout();
}

}  // extern "C"

namespace zmem {

void bailout() { zmem_bailout(); }

void fatal(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vprint_fatal(format, args);
  va_end(args);
  zmem_bailout();
}

bool BailoutScope::run(const std::function<void()>& body) {
  zmem_bailout_frame frame;
  frame.is_cxx = 1;
  zmem_bailout_push(&frame);
  bool completed = true;
  try {
    body();
    // A destructor that bailed out inside a release could not unwind there: it lands here.
    if (std::exception_ptr pending = take_pending_exception()) std::rethrow_exception(pending);
  } catch (const Bailout&) {
    completed = false;
  } catch (...) {
    detail::restore_bailout_top(frame.previous);
    throw;
  }
  detail::restore_bailout_top(frame.previous);
  return completed;
}

}  // namespace zmem
