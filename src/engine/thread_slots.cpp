// Per-thread state of an engine (what TSRM gives ZTS PHP): each thread that
// runs requests gets a request heap and its own instance of every module's
// globals, made on first use and destroyed at thread exit or engine shutdown.
// Access is one thread-local load plus an offset; the mutex is taken only when
// a thread first touches the engine or goes away.
#include <cstdlib>
#include <cstring>

#include "engine/engine.hpp"

namespace zmem::detail {

namespace {

/// The calling thread's slot, with the thread-exit cleanup attached.
struct ThreadSlotOwner {
  ThreadSlot slot;
  ~ThreadSlotOwner() {
    Engine::State* engine = slot.engine;
    if (engine == nullptr) return;
    std::lock_guard<std::mutex> lock(engine->slots_mutex);
    if (slot.engine == nullptr) return;  // engine shut down meanwhile
    destroy_slot(*engine, slot);
    auto& slots = engine->slots;
    for (auto it = slots.begin(); it != slots.end(); ++it) {
      if (*it == &slot) {
        slots.erase(it);
        break;
      }
    }
  }
};

thread_local ThreadSlotOwner t_owner;

}  // namespace

ThreadSlot& thread_slot(Engine::State& engine) {
  ThreadSlot& slot = t_owner.slot;
  if (slot.engine == &engine) return slot;
  if (slot.engine != nullptr) {
    // This thread served another engine before: its state goes with the old owner.
    std::lock_guard<std::mutex> lock(slot.engine->slots_mutex);
    destroy_slot(*slot.engine, slot);
  }
  const HeapOptions& wanted = engine.heap_options;
  zmem_heap_options options{wanted.limit, wanted.debug, wanted.system ? 1 : 0, wanted.small_pages ? 1 : 0};
  slot.heap = zmem_heap_new(&options);
  zmem_heap_set_error_handler(slot.heap, request_heap_error, nullptr);
  slot.globals = static_cast<char*>(std::calloc(1, engine.globals_bytes == 0 ? 1 : engine.globals_bytes));
  for (std::size_t i = 0; i < engine.modules.size(); ++i) {
    if (engine.modules[i].globals_ctor) engine.modules[i].globals_ctor(slot.globals + engine.offsets[i]);
  }
  slot.globals_constructed = true;
  slot.engine = &engine;
  std::lock_guard<std::mutex> lock(engine.slots_mutex);
  engine.slots.push_back(&slot);
  return slot;
}

void destroy_slot(Engine::State& engine, ThreadSlot& slot) {
  if (slot.globals_constructed) {
    for (std::size_t i = engine.modules.size(); i-- > 0;) {
      if (engine.modules[i].globals_dtor) engine.modules[i].globals_dtor(slot.globals + engine.offsets[i]);
    }
  }
  std::free(slot.globals);
  slot.globals = nullptr;
  slot.globals_constructed = false;
  if (slot.heap != nullptr) {
    if (current_heap_if_set() == slot.heap) zmem_set_current_heap(nullptr);
    zmem_heap_destroy(slot.heap);
  }
  slot.heap = nullptr;
  slot.engine = nullptr;
}

void request_heap_error(zmem_heap* heap, int kind, const char* message, void*) {
  if ((kind == ZMEM_ERR_LIMIT || kind == ZMEM_ERR_OOM) && bailout_top() != nullptr) {
    // As ZendMM's heap->overflow: let the error path allocate; the next request sets the limit again.
    zmem_heap_set_limit(heap, 0);
    zmem::fatal("%s", message);
  }
  std::fprintf(stderr, "Fatal error: %s\n", message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace zmem::detail

namespace zmem {

void* Engine::globals(ModuleId id) {
  detail::ThreadSlot& slot = detail::thread_slot(*state_);
  return slot.globals + state_->offsets[id.index];
}

}  // namespace zmem
