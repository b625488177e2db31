// The seam between the interpreter and zmem's objects: the Node class of the
// subset (properties name, next, data; a constructor storing the name; a
// destructor echoing "destruct NAME"), the object store's script-end
// destructor pass and the cycle collector.  The interpreter only calls this
// interface, so objects plug in here when zmem has them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string_view>

#include <zmem/value.hpp>

#include "diagnostics.hpp"

namespace zmem_run {

class NodeObjects {
 public:
  explicit NodeObjects(Diagnostics& diag) : diag_(diag) {}
  /// Whether zmem provides objects (false: every object operation is NotSupported).
  static bool available() noexcept;

  /// `new Node(name)`: out receives the new object (refcount 1) after the
  /// constructor ran (its $this released: a possible GC root, as in PHP).
  void create(zmem::Zval& out, const zmem::Zval& name);
  /// `$obj->name` for reading: the property slot, or null if it does not exist.
  zmem::Zval* read_prop(const zmem::Zval& obj, std::string_view name);
  /// `$obj->name` for writing: the slot, created (null) if missing; *created
  /// tells the caller to emit the dynamic-property deprecation.
  zmem::Zval* write_prop(const zmem::Zval& obj, std::string_view name, bool* created);
  /// Calls the destructor of every object still alive, in handle order
  /// (zend_objects_store_call_destructors).
  void call_remaining_destructors();
  /// gc_collect_cycles(): the number of freed values.
  std::int64_t collect_cycles();
  /// After the script's shutdown: frees what is left of the object store and
  /// forgets the collector's buffer (no destructor runs).
  void request_end();
  /// --stats: the collector's figures (gc_status()).
  void print_gc_status(std::FILE* out);

 private:
  Diagnostics& diag_;
};

}  // namespace zmem_run
