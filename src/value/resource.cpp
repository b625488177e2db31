// Resources: the process-wide type registry, this thread's request list, the
// persistent list, typed fetch, and the error channel.
// Counterpart: Zend/zend_list.c.
// Invariants: a request resource is in t_list until it is freed or the list
// is closed; its destructor runs only while its type is >= 0, and the type is
// set to -1 before the destructor starts, so it can never run twice.
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <deque>
#include <exception>
#include <map>
#include <mutex>

#include "value/memory.hpp"
#include "value/value.hpp"
#include "zmem/resource.hpp"

namespace zmem {

namespace {

struct ResourceType {
  std::string name;
  ResourceDtor dtor;
  ResourceDtor persistent_dtor;
};

// Types are registered at startup and never removed: a fixed table read without a lock
// (a destructor looks its type up on every request), published by an atomic count.
constexpr int kMaxResourceTypes = 1024;
std::mutex g_types_mutex;  // serialises registrations only
ResourceType g_types[kMaxResourceTypes];
std::atomic<int> g_type_count{0};

struct RequestList {
  std::vector<Resource*> open;  // in creation order; null once freed
  std::int64_t next_handle = 1;
};
thread_local RequestList t_list;

std::mutex g_persistent_mutex;
std::map<std::string, Resource*, std::less<>>& persistent_list() {
  static std::map<std::string, Resource*, std::less<>> list;
  return list;
}

thread_local std::string t_last_error;
thread_local std::function<void(const std::string&)> t_error_handler;

const ResourceType* type_of(int type) {
  if (type < 1 || type > g_type_count.load(std::memory_order_acquire)) return nullptr;
  return &g_types[type - 1];
}

/// zend_resource_dtor: type -1 first, then the destructor, so it runs once.
void run_dtor(Resource* r) {
  const ResourceType* t = type_of(r->type);
  r->type = -1;
  if (t != nullptr && t->dtor != nullptr) t->dtor(r);
  r->ptr = nullptr;
}

/// Handles are sequential per request: handle - 1 is the resource's index in the list.
void forget(Resource* r) {
  auto index = static_cast<std::size_t>(r->handle - 1);
  if (r->handle >= 1 && index < t_list.open.size() && t_list.open[index] == r) t_list.open[index] = nullptr;
}

}  // namespace

int register_resource_type(std::string_view name, ResourceDtor dtor, ResourceDtor persistent_dtor) {
  std::lock_guard<std::mutex> lock(g_types_mutex);
  int count = g_type_count.load(std::memory_order_relaxed);
  if (count == kMaxResourceTypes) throw std::length_error("zmem: too many resource types");
  g_types[count] = ResourceType{std::string(name), dtor, persistent_dtor};
  g_type_count.store(count + 1, std::memory_order_release);
  return count + 1;
}

const char* resource_type_name(int type) noexcept {
  const ResourceType* t = type_of(type);
  return t != nullptr ? t->name.c_str() : "Unknown";
}

Resource* register_resource(void* ptr, int type) {
  auto* r = static_cast<Resource*>(detail::value_alloc(sizeof(Resource), false));
  r->gc.refcount = 1;
  r->gc.type_info = kGcResource;
  r->handle = t_list.next_handle++;
  r->type = type;
  r->ptr = ptr;
  t_list.open.push_back(r);
  return r;
}

void* fetch_resource(const Resource* r, const char* function, int type) {
  if (r != nullptr && r->type == type && type >= 0) return r->ptr;
  report_error(std::string(function) + "(): supplied resource is not a valid " + resource_type_name(type) +
               " resource");
  return nullptr;
}

void close_resource(Resource* r) {
  if (r->type >= 0) run_dtor(r);
}

void close_request_resources() {
  // Reverse order of creation; a destructor that throws or bails out does not stop the
  // others, and the first such exception is raised again once all have run.
  std::exception_ptr first;
  std::vector<Resource*>& open = t_list.open;
  for (std::size_t i = open.size(); i-- > 0;) {
    Resource* r = open[i];
    if (r == nullptr || r->type < 0) continue;
    try {
      run_dtor(r);
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  // The Resource structs themselves go with the request heap's reset.
  open.clear();
  t_list.next_handle = 1;
  if (first) std::rethrow_exception(first);
}

std::size_t live_resources() noexcept {
  std::size_t n = 0;
  for (Resource* r : t_list.open) n += r != nullptr && r->type >= 0;
  return n;
}

Resource* register_persistent_resource(std::string_view key, void* ptr, int type) {
  auto* r = static_cast<Resource*>(zmem_persistent_alloc(sizeof(Resource), __FILE__, __LINE__));
  r->gc.refcount = 1;
  r->gc.type_info = kGcResource | kGcPersistent;
  r->handle = -1;
  r->type = type;
  r->ptr = ptr;
  std::lock_guard<std::mutex> lock(g_persistent_mutex);
  auto [it, inserted] = persistent_list().emplace(std::string(key), r);
  if (!inserted) {
    zmem_persistent_free(r);
    return it->second;
  }
  return r;
}

Resource* find_persistent_resource(std::string_view key) noexcept {
  std::lock_guard<std::mutex> lock(g_persistent_mutex);
  auto it = persistent_list().find(key);
  return it != persistent_list().end() ? it->second : nullptr;
}

void destroy_persistent_resources() {
  std::map<std::string, Resource*, std::less<>> list;
  {
    std::lock_guard<std::mutex> lock(g_persistent_mutex);
    list.swap(persistent_list());
  }
  for (auto& [key, r] : list) {
    const ResourceType* t = type_of(r->type);
    if (t != nullptr && t->persistent_dtor != nullptr) t->persistent_dtor(r);
    zmem_persistent_free(r);
  }
}

std::size_t persistent_resource_count() noexcept {
  std::lock_guard<std::mutex> lock(g_persistent_mutex);
  return persistent_list().size();
}

void set_error_handler(std::function<void(const std::string&)> handler) { t_error_handler = std::move(handler); }
const std::string& last_error() noexcept { return t_last_error; }
void report_error(const std::string& message) {
  t_last_error = message;
  if (t_error_handler) t_error_handler(message);
}

namespace detail {

void resource_free(Resource* r) noexcept {
  if (r->type >= 0) {
    try {
      run_dtor(r);
    } catch (...) {
      // A destructor that fails still frees its resource; the error goes to the channel.
      report_error("resource destructor failed");
    }
  }
  if (r->gc.type_info & kGcPersistent) {
    zmem_persistent_free(r);
    return;
  }
  forget(r);
  value_free(r, false);
}

}  // namespace detail

}  // namespace zmem
