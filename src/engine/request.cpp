// Request: one request on the calling thread.  Startup makes the thread's
// request heap current and runs RINIT in module order; the end follows PHP's
// php_request_shutdown order, each step in its own bailout scope so one that
// bails out does not stop the others, and the heap reset reclaims everything
// the request allocated, including what a bailout abandoned.
// Counterpart: php_request_startup / php_request_shutdown.
#include <stdexcept>

#include "engine/engine.hpp"

namespace zmem {

namespace {
thread_local Request* t_request = nullptr;
}  // namespace

Request* Request::current() noexcept { return t_request; }

Request::Request(Engine& engine, RequestOptions options) : engine_(engine) {
  Engine::State& state = engine.state();
  if (!state.started) throw std::logic_error("zmem: Request before Engine::startup()");
  if (t_request != nullptr) throw std::logic_error("zmem: a request is already running on this thread");
  detail::ThreadSlot& slot = detail::thread_slot(state);
  heap_ = slot.heap;
  std::size_t limit = options.limit != 0 ? options.limit : state.heap_options.limit;
  if (zmem_heap_set_limit(heap_, limit) != 0) zmem_heap_set_limit(heap_, 0);
  previous_heap_ = detail::current_heap_if_set();
  zmem_set_current_heap(heap_);
  gc_install();
  t_request = this;
  for (std::size_t i : state.order) {
    const Module& module = state.modules[i];
    if (module.rinit && !BailoutScope::run(module.rinit)) bailed_out_ = true;
  }
}

bool Request::run(const std::function<void()>& body) {
  if (!BailoutScope::run(body)) bailed_out_ = true;
  return !bailed_out_;
}

Request::~Request() {
  Engine::State& state = engine_.state();
  // 1. Destructors of live objects, in store order (each once; one that bails out does not
  //    stop the others).
  if (!BailoutScope::run([] { call_object_destructors(); })) bailed_out_ = true;
  // 2. RSHUTDOWN in reverse order.
  for (auto it = state.order.rbegin(); it != state.order.rend(); ++it) {
    const Module& module = state.modules[*it];
    if (module.rshutdown && !BailoutScope::run(module.rshutdown)) bailed_out_ = true;
  }
  // 3. Resources closed in reverse order of creation, every one even if another fails.
  if (!BailoutScope::run([] { close_request_resources(); })) bailed_out_ = true;
  // 4. post-deactivate.
  for (auto it = state.order.rbegin(); it != state.order.rend(); ++it) {
    const Module& module = state.modules[*it];
    if (module.post_deactivate && !BailoutScope::run(module.post_deactivate)) bailed_out_ = true;
  }
  // 5. What is left dies with the heap: objects' free handlers run, the root buffer and
  //    request-interned strings are forgotten; then the leak report (debug heaps; silent
  //    after a bailout, as PHP) and the reset.
  BailoutScope::run([] { free_object_store(); });
  gc_reset();
  interned_strings_request_reset(false);
  if (bailed_out_) {
    zmem_heap_reset_silent(heap_);
  } else {
    zmem_heap_reset(heap_);
  }
  zmem_set_current_heap(previous_heap_);
  t_request = nullptr;
}

}  // namespace zmem
