// The engine: modules with their lifecycle hooks, requests, per-thread module
// globals, and bailout to the request boundary.  Counterpart: Zend's module
// registry (zend_startup_module_ex), php_request_startup/php_request_shutdown,
// TSRM's per-thread globals, zend_bailout and zend_error(E_ERROR).
//
// The model:
//   Engine engine;                       // one per process
//   engine.register_module({...});       // before startup()
//   engine.startup();                    // MINIT, in dependency order
//   { Request request(engine);           // on any thread: heap made current, RINIT
//     request.run([&] { ... });          // a bailout anywhere lands here
//   }                                    // RSHUTDOWN ..., heap reset: nothing leaks
//   engine.shutdown();                   // MSHUTDOWN in reverse
//
// Threads: each thread that runs requests has its own request heap and its own
// instance of every module's globals; nothing on a request path takes a lock.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bailout.h"
#include "heap.hpp"

namespace zmem {

/// Thrown by bailout() when the innermost bailout frame is C++.  Deliberately not a
/// std::exception: `catch (const std::exception&)` in host code must not swallow it.
struct Bailout {};

/// Unwinds to the request boundary (or the innermost zmem_try / BailoutScope).
[[noreturn]] void bailout();
/// Prints "PHP Fatal error:  <message>" on stderr and bails out.
[[noreturn]] void fatal(const char* format, ...) __attribute__((format(printf, 1, 2)));

/// Handle of a registered module, used to reach its per-thread globals.
struct ModuleId {
  std::size_t index = static_cast<std::size_t>(-1);
};

/// What a module registers.  Every hook is optional.
struct Module {
  std::string name;
  std::string version = "1.0";
  std::vector<std::string> dependencies;  ///< names of modules whose MINIT must run first
  std::function<void()> minit, mshutdown, rinit, rshutdown, post_deactivate;
  std::function<void(std::FILE*)> info;  ///< what `php -i` would show
  std::size_t globals_size = 0;          ///< per-thread storage, zero-filled, then ctor
  void (*globals_ctor)(void* globals) = nullptr;
  void (*globals_dtor)(void* globals) = nullptr;
};

struct RequestOptions {
  std::size_t limit = 0;  ///< memory limit for this request (0: the engine's default)
};

class Engine {
 public:
  /// `heap_options` are used for every thread's request heap (limit = default request limit).
  explicit Engine(HeapOptions heap_options = HeapOptions::from_env());
  ~Engine();
  Engine(const Engine&) = delete;  // module globals and hooks refer to this engine
  Engine& operator=(const Engine&) = delete;

  /// Before startup() only.  Throws std::logic_error on a duplicate name.
  ModuleId register_module(Module module);
  /// MINIT of every module, dependencies first.  Throws std::logic_error on a missing or
  /// circular dependency (nothing started then).
  void startup();
  /// MSHUTDOWN in reverse order of MINIT; then destroys this thread's module globals and
  /// (debug heaps) reports persistent leaks.  Idempotent.
  void shutdown();
  bool started() const noexcept;

  /// Module names in MINIT order (what `php -m` lists).
  std::vector<std::string> module_names() const;
  void print_modules(std::FILE* out) const;

  /// This thread's instance of a module's globals: one thread-local load and an offset.
  void* globals(ModuleId id);
  template <class T>
  T& globals(ModuleId id) {
    return *static_cast<T*>(globals(id));
  }

  struct State;
  State& state() noexcept { return *state_; }

 private:
  std::unique_ptr<State> state_;
};

/// One request on the calling thread, as an RAII scope: the thread's request heap is made
/// current and RINIT runs in module order; the destructor runs PHP's shutdown order
/// (RSHUTDOWN in reverse, post-deactivate, leak report in debug mode, heap reset), each
/// step even if an earlier one bailed out.
class Request {
 public:
  explicit Request(Engine& engine, RequestOptions options = {});
  ~Request();
  Request(const Request&) = delete;  // one request per scope and thread
  Request& operator=(const Request&) = delete;

  /// Runs `body`; a bailout inside lands here.  Returns false if it bailed out.
  bool run(const std::function<void()>& body);
  bool bailed_out() const noexcept { return bailed_out_; }
  zmem_heap* heap() const noexcept { return heap_; }
  Engine& engine() const noexcept { return engine_; }
  /// The request running on this thread, or nullptr.
  static Request* current() noexcept;

 private:
  Engine& engine_;
  zmem_heap* heap_;
  zmem_heap* previous_heap_;
  bool bailed_out_ = false;
};

/// A C++ bailout frame outside a Request: run(body) returns false if body bailed out.
class BailoutScope {
 public:
  static bool run(const std::function<void()>& body);
};

}  // namespace zmem
