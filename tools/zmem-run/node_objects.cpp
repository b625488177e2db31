// Node objects on zmem's object layer (include/zmem/object.hpp) and the cycle
// collector (include/zmem/gc.hpp).  The class is registered once per process;
// its destructor is the subset's `echo "destruct ", $this->name, "\n";`.
#include "node_objects.hpp"

#include <string>

#include <zmem/gc.hpp>
#include <zmem/object.hpp>
#include <zmem/string.hpp>

#include "conversions.hpp"

namespace zmem_run {
namespace {

thread_local Diagnostics* current_diag = nullptr;

std::string echo_string(const zmem::Zval& zv) {
  const zmem::Zval& z = *zmem::deref(&zv);
  switch (z.type()) {
    case zmem::kTrue: return "1";
    case zmem::kLong: return std::to_string(z.lval());
    case zmem::kDouble: return php_float_to_string(z.dval());
    case zmem::kString: return std::string(z.str()->view());
    case zmem::kArray:
      if (current_diag != nullptr) current_diag->warning("Array to string conversion");
      return "Array";
    default: return "";
  }
}

/// function __destruct() { echo "destruct ", $this->name, "\n"; }  (line 2)
void node_destructor(zmem::Object* o) {
  int line = current_diag != nullptr ? current_diag->line() : 0;
  if (current_diag != nullptr) current_diag->set_line(2);
  // Three ZEND_ECHO ops: "destruct " is out before the name is converted.
  std::fputs("destruct ", stdout);
  zmem::Zval* name = zmem::object_property(o, "name");
  std::string out = name != nullptr ? echo_string(*name) : std::string();
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (current_diag != nullptr) current_diag->set_line(line);
}

const zmem::ClassEntry* node_class() {
  static const zmem::ClassEntry* ce = [] {
    zmem::ClassEntry e;
    e.name = "Node";
    for (const char* p : {"name", "next", "data"}) {
      zmem::PropertyDecl d;
      d.name = p;
      d.default_value.value.lval = 0;
      d.default_value.set_null();
      d.default_value.u2 = 0;
      e.properties.push_back(d);
    }
    e.handlers.destructor = node_destructor;
    return zmem::register_class(std::move(e));
  }();
  return ce;
}

}  // namespace

bool NodeObjects::available() noexcept { return true; }

void NodeObjects::create(zmem::Zval& out, const zmem::Zval& name) {
  current_diag = &diag_;
  zmem::gc_install();
  zmem::Object* o = zmem::object_new(node_class());
  // __construct($name) { $this->name = $name; } runs with $this held by the
  // call frame; releasing it afterwards makes the object a possible root.
  ++o->gc.refcount;
  zmem::assign(*zmem::object_property_write(o, "name"), name);
  zmem::detail::release(&o->gc);
  zmem::set_object(out, o);
}

zmem::Zval* NodeObjects::read_prop(const zmem::Zval& obj, std::string_view name) {
  return zmem::object_property(obj.value.obj, name);
}

zmem::Zval* NodeObjects::write_prop(const zmem::Zval& obj, std::string_view name, bool* created) {
  return zmem::object_property_write(obj.value.obj, name, created);
}

void NodeObjects::call_remaining_destructors() {
  current_diag = &diag_;
  zmem::call_object_destructors();
}

std::int64_t NodeObjects::collect_cycles() {
  current_diag = &diag_;
  zmem::gc_install();
  return static_cast<std::int64_t>(zmem::gc_collect_cycles());
}

void NodeObjects::request_end() {
  zmem::free_object_store();
  zmem::gc_reset();
}

void NodeObjects::print_gc_status(std::FILE* out) {
  zmem::GcStatus s = zmem::gc_status();
  std::fprintf(out, "gc_status: runs %u, collected %u, threshold %u, roots %u\n", s.runs, s.collected, s.threshold,
               s.roots);
}

}  // namespace zmem_run
