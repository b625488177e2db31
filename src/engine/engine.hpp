// Umbrella header of the engine layer: Engine::State (module registry, per-thread
// slots holding each thread's request heap and module globals) and bailout.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "gc/gc.hpp"
#include "heap/heap.hpp"
#include "zmem/engine.hpp"

namespace zmem::detail {

/// What one thread owns for one engine: its request heap and its module globals.
struct ThreadSlot {
  Engine::State* engine = nullptr;
  zmem_heap* heap = nullptr;
  char* globals = nullptr;  // every module's globals, at Engine::State::offsets
  bool globals_constructed = false;
};

/// The calling thread's slot for `engine`, created on first use.
ThreadSlot& thread_slot(Engine::State& engine);
/// Runs the globals' destructors and frees the slot's heap and storage.
void destroy_slot(Engine::State& engine, ThreadSlot& slot);

/// The error handler of request heaps: limit and out-of-memory errors become fatal
/// errors of the request (PHP's text), misuse is printed and aborts.
void request_heap_error(zmem_heap* heap, int kind, const char* message, void* ctx);

/// Resets the bailout frame stack to `frame` when a C++ scope ends by any exception,
/// so no C frame of a dead stack region stays reachable.
void restore_bailout_top(zmem_bailout_frame* frame) noexcept;
zmem_bailout_frame* bailout_top() noexcept;

}  // namespace zmem::detail

namespace zmem {

struct Engine::State {
  HeapOptions heap_options;
  std::vector<Module> modules;
  std::vector<std::size_t> order;    // MINIT order (indices into modules)
  std::vector<std::size_t> offsets;  // globals offset of each module in a slot's block
  std::size_t globals_bytes = 0;
  bool started = false;
  std::mutex slots_mutex;  // guards `slots`: taken when a thread first runs a request, never on a request path
  std::vector<detail::ThreadSlot*> slots;
};

}  // namespace zmem
