// Engine: module registration, MINIT in dependency order, MSHUTDOWN in reverse,
// and the module list.  Counterpart: zend_register_module_ex,
// zend_startup_modules (zend_sort_modules), zend_shutdown / module_destructor.
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "engine/engine.hpp"

namespace zmem {

Engine::Engine(HeapOptions heap_options) : state_(std::make_unique<State>()) {
  state_->heap_options = heap_options;
}

Engine::~Engine() { shutdown(); }

bool Engine::started() const noexcept { return state_->started; }

ModuleId Engine::register_module(Module module) {
  if (state_->started) throw std::logic_error("zmem: module '" + module.name + "' registered after startup()");
  for (const Module& m : state_->modules) {
    if (m.name == module.name) throw std::logic_error("zmem: module '" + module.name + "' registered twice");
  }
  state_->modules.push_back(std::move(module));
  return ModuleId{state_->modules.size() - 1};
}

namespace {

/// Depth-first topological order; each module after its dependencies, ties in registration order.
std::vector<std::size_t> startup_order(const std::vector<Module>& modules) {
  enum class Mark { none, visiting, done };
  std::vector<Mark> marks(modules.size(), Mark::none);
  std::vector<std::size_t> order;
  auto index_of = [&](const std::string& name) -> std::size_t {
    for (std::size_t i = 0; i < modules.size(); ++i) {
      if (modules[i].name == name) return i;
    }
    return modules.size();
  };
  // Explicit stack of (module, next dependency to visit): no recursion on the data.
  for (std::size_t root = 0; root < modules.size(); ++root) {
    if (marks[root] != Mark::none) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
    marks[root] = Mark::visiting;
    while (!stack.empty()) {
      auto& [m, next] = stack.back();
      if (next == modules[m].dependencies.size()) {
        marks[m] = Mark::done;
        order.push_back(m);
        stack.pop_back();
        continue;
      }
      const std::string& dep = modules[m].dependencies[next++];
      std::size_t d = index_of(dep);
      if (d == modules.size()) {
        throw std::logic_error("zmem: module '" + modules[m].name + "' depends on '" + dep + "', which is not registered");
      }
      if (marks[d] == Mark::visiting) {
        throw std::logic_error("zmem: circular dependency between modules '" + modules[m].name + "' and '" + dep + "'");
      }
      if (marks[d] == Mark::none) {
        marks[d] = Mark::visiting;
        stack.push_back({d, 0});
      }
    }
  }
  return order;
}

}  // namespace

void Engine::startup() {
  State& s = *state_;
  if (s.started) return;
  s.order = startup_order(s.modules);
  s.offsets.assign(s.modules.size(), 0);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < s.modules.size(); ++i) {
    s.offsets[i] = offset;
    offset += (s.modules[i].globals_size + 15) & ~std::size_t{15};
  }
  s.globals_bytes = offset;
  s.started = true;
  for (std::size_t i : s.order) {
    if (s.modules[i].minit) s.modules[i].minit();
  }
}

void Engine::shutdown() {
  State& s = *state_;
  if (!s.started) return;
  for (auto it = s.order.rbegin(); it != s.order.rend(); ++it) {
    if (s.modules[*it].mshutdown) s.modules[*it].mshutdown();
  }
  {
    std::lock_guard<std::mutex> lock(s.slots_mutex);
    for (detail::ThreadSlot* slot : s.slots) {
      detail::destroy_slot(s, *slot);
      slot->engine = nullptr;
    }
    s.slots.clear();
  }
  destroy_persistent_resources();
  if (s.heap_options.debug > 0) zmem_persistent_report_leaks(stderr);
  s.started = false;
}

std::vector<std::string> Engine::module_names() const {
  std::vector<std::string> names;
  const State& s = *state_;
  if (s.started) {
    for (std::size_t i : s.order) names.push_back(s.modules[i].name);
  } else {
    for (const Module& m : s.modules) names.push_back(m.name);
  }
  return names;
}

void Engine::print_modules(std::FILE* out) const {
  std::vector<std::string> names = module_names();
  std::sort(names.begin(), names.end());
  std::fputs("[zmem Modules]\n", out);
  for (const std::string& name : names) std::fprintf(out, "%s\n", name.c_str());
}

}  // namespace zmem
