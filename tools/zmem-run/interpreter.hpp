// Executes a parsed subset program on zmem values inside the current request.
//
// Variables live in compiled-variable slots (cvs_) and the symbol table (a
// zmem HashTable) holds an INDIRECT zval per variable, as PHP attaches a
// script's CVs to EG(symbol_table).  At script end the table is detached
// (values moved in, undefined names removed) and PHP's shutdown order runs:
// reverse passes over the table destroying objects held once, then the
// object store's destructor pass, then the table is destroyed in reverse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <zmem/array.hpp>

#include "ast.hpp"
#include "diagnostics.hpp"
#include "node_objects.hpp"

namespace zmem_run {

class Interpreter {
 public:
  Interpreter(const Program& program, Diagnostics& diag, NodeObjects& objects);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;  // owns CV slots the symbol table points at
  Interpreter& operator=(const Interpreter&) = delete;

  /// Runs every statement; returns php's exit status (0, or 255 after an
  /// uncaught Error).  Throws NotSupported for constructs zmem cannot run yet.
  int run();
  /// Script end (PHP's shutdown_destructors and symbol table destruction).
  /// Must run inside the request, also after run() threw.
  void shutdown();

 private:
  /// An array key after PHP's normalisation (ZEND_HANDLE_NUMERIC_STR, floats to int).
  struct ArrKey {
    bool is_str = false;
    std::int64_t i = 0;
    std::string s;
    zmem::Key key() const { return is_str ? zmem::Key(std::string_view(s)) : zmem::Key(i); }
  };
  /// Where the right-hand side of a write comes from: evaluated before the
  /// write (literals, element and property reads, `$a[0] = $a`), or a
  /// variable read after the target slot was fetched (PHP's OP_DATA CV).
  struct Source {
    const zmem::Zval* early = nullptr;
    int late_var = -1;
  };
  enum class DimUse { kAssign, kAssignOp, kRef, kNested };

  void exec(const Stmt& s);
  std::vector<zmem::HashTable*> reachable_arrays();
  zmem::Value eval(const Expr& e);
  zmem::Value build(const Lit& l);
  const zmem::Zval& read_cv(int var);
  const zmem::Zval& source_value(const Source& src);
  zmem::Value read_dim(const zmem::Zval& container, const Lit& key);
  zmem::Value read_prop(const zmem::Zval& container, const std::string& prop);
  zmem::Value read_string_offset(const zmem::Zval& str, const Lit& key);

  ArrKey array_key(const Lit& key);
  zmem::Zval* find(const zmem::Zval& arr, const ArrKey& k);
  std::string key_text(const ArrKey& k) const;
  std::int64_t string_offset(const Lit& key);
  /// Checks what `$c[...]` may do with the container c (deref'd) for a write:
  /// throws PHP's Error for scalars, objects and string offsets; emits the
  /// false-to-array deprecation.  Returns true if c is a string and use is
  /// kAssign (a string offset write follows).
  bool check_dim_container(zmem::Zval& slot, DimUse use, const Lit* key);
  /// `$container[key] = src` (key null: `[] =`) on a variable or element slot.
  void assign_dim(zmem::Zval& container, const Lit* key, const Source& src);
  void write_string_offset(zmem::Zval& str, const Lit& key, const Source& src);

  std::string to_string(const zmem::Zval& z);
  void add_int(zmem::Zval& var, const Lit& num);
  void concat(zmem::Zval& var, const zmem::Zval& value);

  const Program& program_;
  Diagnostics& diag_;
  NodeObjects& objects_;
  std::vector<zmem::Zval> cvs_;
  zmem::HashTable* symbols_ = nullptr;
  bool shut_down_ = false;
};

}  // namespace zmem_run
