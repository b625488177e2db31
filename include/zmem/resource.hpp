// Resources: host handles (files, connections) in PHP values, with destructors
// registered per type and run exactly once.  Counterpart: zend_resource,
// zend_register_list_destructors_ex, EG(regular_list), EG(persistent_list),
// zend_fetch_resource (Zend/zend_list.c).
//
// Semantics (PHP 8.2):
//  - type ids start at 1; request handles start at 1;
//  - a resource's destructor runs exactly once: when its refcount reaches 0,
//    when it is closed (it stays valid as a closed resource, type -1), or at
//    request end, in reverse order of creation, even if an earlier one failed;
//  - a typed fetch of the wrong type, or of a closed resource, returns null and
//    reports "%s(): supplied resource is not a valid %s resource";
//  - persistent resources live in a persistent list keyed by string, survive
//    requests, and are destroyed with their persistent destructor at shutdown.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "value.hpp"

namespace zmem {

struct Resource {
  GcHeader gc;
  std::int64_t handle;  // 1, 2, ... per request; -1 for persistent resources
  int type;             // a registered type id, or -1 once closed
  void* ptr;
};
static_assert(sizeof(Resource) == 32, "zend_resource is 32 bytes");

using ResourceDtor = void (*)(Resource*);

/// Registers a resource type (usable from module startup); returns its id, 1, 2, ...
int register_resource_type(std::string_view name, ResourceDtor dtor, ResourceDtor persistent_dtor = nullptr);
/// The type's name, or "Unknown".
const char* resource_type_name(int type) noexcept;

/// A new request resource (refcount 1) in this thread's request list.
Resource* register_resource(void* ptr, int type);
inline void set_resource(Zval& z, Resource* r) noexcept {
  z.value.res = r;
  z.type_info = kResourceEx;
}
/// zend_fetch_resource: r->ptr if r is of `type`; else null and the error
/// "<function>(): supplied resource is not a valid <type name> resource" on the error channel.
void* fetch_resource(const Resource* r, const char* function, int type);
/// zend_list_close: runs the destructor now; the resource stays valid, closed (type -1).
void close_resource(Resource* r);
/// Request end: closes every open resource in reverse order of creation (each destructor
/// in its own scope: a failing one does not stop the others), then empties the list.
void close_request_resources();
/// Open resources in this thread's request list.
std::size_t live_resources() noexcept;

/// Persistent resources (the pconnect pattern): malloc'd, keyed by string, survive requests.
Resource* register_persistent_resource(std::string_view key, void* ptr, int type);
Resource* find_persistent_resource(std::string_view key) noexcept;
/// Runs the persistent destructors and empties the list (engine shutdown).
void destroy_persistent_resources();
std::size_t persistent_resource_count() noexcept;

/// The request's error channel: errors that PHP would throw as TypeError or report as a
/// warning.  The default handler keeps the last message (last_error()).
void set_error_handler(std::function<void(const std::string&)> handler);
const std::string& last_error() noexcept;
void report_error(const std::string& message);

namespace detail {
/// destroy_refcounted's step for a resource whose refcount reached zero.
void resource_free(Resource* r) noexcept;
}  // namespace detail

}  // namespace zmem
