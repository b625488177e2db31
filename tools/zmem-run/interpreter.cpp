// Statement semantics of the subset, following the Zend VM handlers they
// compile to (ASSIGN, ASSIGN_DIM + OP_DATA, ASSIGN_REF, ASSIGN_OP,
// ASSIGN_DIM_OP, FETCH_DIM_R/W, UNSET_CV/DIM, ECHO, COUNT): the same checks in
// the same order, so warnings, deprecations and Errors come out as php's.
#include "interpreter.hpp"

#include <cstdio>
#include <cstring>

#include "conversions.hpp"

namespace zmem_run {

using zmem::Zval;

namespace {

const Zval& null_zval() {
  static Zval z = [] {
    Zval n;
    n.value.lval = 0;
    n.set_null();
    n.u2 = 0;
    return n;
  }();
  return z;
}

zmem::Value string_value(std::string_view s) {
  if (s.size() == 1) {
    Zval z;
    z.set_string(zmem::char_string(static_cast<unsigned char>(s[0])));
    return zmem::Value::adopt(z);
  }
  return zmem::Value(s);
}

}  // namespace

Interpreter::Interpreter(const Program& program, Diagnostics& diag, NodeObjects& objects)
    : program_(program), diag_(diag), objects_(objects), cvs_(program.vars.size()) {
  for (Zval& z : cvs_) {
    z.value.lval = 0;
    z.set_undef();
    z.u2 = 0;
  }
  // zend_attach_symbol_table: every CV gets an INDIRECT entry, in CV order.
  symbols_ = zmem::new_array(8);
  for (std::size_t i = 0; i < cvs_.size(); ++i) {
    Zval ind;
    ind.value.zv = &cvs_[i];
    ind.type_info = zmem::kIndirect;
    ind.u2 = 0;
    zmem::hash_str_add(symbols_, program.vars[i], &ind);
  }
}

Interpreter::~Interpreter() = default;

int Interpreter::run() {
  for (const Stmt& s : program_.stmts) {
    diag_.set_line(s.line);
    try {
      exec(s);
    } catch (const PhpError& e) {
      diag_.uncaught(e, s.line);
      return 255;
    } catch (const zmem::ValueError& e) {
      diag_.uncaught(PhpError{"Error", e.what()}, s.line);
      return 255;
    }
  }
  return 0;
}

void Interpreter::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // zend_detach_symbol_table.
  for (std::size_t i = 0; i < cvs_.size(); ++i) {
    if (cvs_[i].is_undef()) {
      zmem::hash_str_del(symbols_, program_.vars[i]);
    } else {
      Zval v = cvs_[i];
      cvs_[i].set_undef();
      zmem::hash_str_update(symbols_, program_.vars[i], &v);
    }
  }
  // shutdown_destructors: reverse passes destroying objects held only by a
  // variable, until a pass removes nothing; then the object store's pass.
  diag_.set_line(2);
  std::uint32_t before;
  do {
    before = symbols_->num_elements;
    for (std::uint32_t pos = symbols_->num_used; pos-- > 0;) {
      if (pos >= symbols_->num_used) continue;
      Zval* v = zmem::hash_value_at(symbols_, pos);
      if (v->type() == zmem::kObject && v->counted()->refcount == 1) zmem::hash_del_at(symbols_, pos);
    }
  } while (before != symbols_->num_elements);
  objects_.call_remaining_destructors();
  // Without a cycle collector, arrays that reach themselves through references
  // would outlive the request: hold every reachable array, then empty them
  // all once the table is gone (breaking the cycles), then let go.
  std::vector<zmem::HashTable*> arrays;
  if (!NodeObjects::available()) arrays = reachable_arrays();
  // zend_hash_graceful_reverse_destroy.
  for (std::uint32_t pos = symbols_->num_used; pos-- > 0;) {
    if (pos >= symbols_->num_used) continue;
    if (!zmem::hash_value_at(symbols_, pos)->is_undef()) zmem::hash_del_at(symbols_, pos);
  }
  zmem::array_destroy(symbols_);
  symbols_ = nullptr;
  for (zmem::HashTable* ht : arrays) zmem::hash_clean(ht);
  for (zmem::HashTable* ht : arrays) zmem::detail::release(&ht->gc);
  objects_.collect_cycles();
}

std::vector<zmem::HashTable*> Interpreter::reachable_arrays() {
  std::vector<zmem::HashTable*> found;
  std::vector<zmem::HashTable*> stack{symbols_};
  while (!stack.empty()) {
    zmem::HashTable* ht = stack.back();
    stack.pop_back();
    zmem::hash_for_each(ht, [&](std::uint64_t, zmem::String*, Zval* v) {
      const Zval* z = zmem::deref(v);
      if (z->type() != zmem::kArray || z->arr()->gc.immutable()) return;
      zmem::HashTable* a = z->arr();
      if (a->gc.type_info & zmem::kGcProtected) return;  // seen
      a->gc.type_info |= zmem::kGcProtected;
      ++a->gc.refcount;
      found.push_back(a);
      stack.push_back(a);
    });
  }
  for (zmem::HashTable* a : found) a->gc.type_info &= ~zmem::kGcProtected;
  return found;
}

// ---- reading ------------------------------------------------------------------

const Zval& Interpreter::read_cv(int var) {
  Zval& z = cvs_[var];
  if (z.is_undef()) {
    diag_.warning("Undefined variable $" + program_.vars[var]);
    return null_zval();
  }
  return *zmem::deref(&z);
}

const Zval& Interpreter::source_value(const Source& src) {
  return src.early != nullptr ? *src.early : read_cv(src.late_var);
}

zmem::Value Interpreter::build(const Lit& l) {
  switch (l.kind) {
    case Lit::kNull: return zmem::Value(nullptr);
    case Lit::kTrue: return zmem::Value(true);
    case Lit::kFalse: return zmem::Value(false);
    case Lit::kInt: return zmem::Value(l.i);
    case Lit::kFloat: return zmem::Value(l.d);
    case Lit::kString: return string_value(l.s);
    case Lit::kNew: {
      zmem::Value name = string_value(l.s);
      Zval obj;
      objects_.create(obj, name.zval());
      return zmem::Value::adopt(obj);
    }
    case Lit::kArray: {
      if (l.elems.empty()) return zmem::Value::array();
      // A fresh table (next free key unset), not the shared empty array:
      // `[-5 => 1]` continues at -4 as php's literal does.
      Zval fresh;
      fresh.set_array(zmem::new_array(static_cast<std::uint32_t>(l.elems.size())));
      zmem::Value arr = zmem::Value::adopt(fresh);
      for (const ArrayElem& e : l.elems) {
        zmem::Value v = build(e.value);
        if (e.has_key) {
          ArrKey k = array_key(e.key);
          zmem::array_set(arr.zval(), k.key(), v.zval());
        } else {
          zmem::array_push(arr.zval(), v.zval());
        }
      }
      return arr;
    }
  }
  return zmem::Value();
}

zmem::Value Interpreter::eval(const Expr& e) {
  switch (e.kind) {
    case Expr::kValue: return build(e.value);
    case Expr::kVar: return zmem::Value::copy_of(read_cv(e.var));
    case Expr::kDim: return read_dim(read_cv(e.var), e.key);
    case Expr::kProp: return read_prop(read_cv(e.var), e.prop);
  }
  return zmem::Value();
}

Interpreter::ArrKey Interpreter::array_key(const Lit& key) {
  ArrKey k;
  switch (key.kind) {
    case Lit::kInt: k.i = key.i; break;
    case Lit::kFloat:
      k.i = double_to_long(key.d);
      if (!long_compatible(key.d, k.i)) {
        diag_.deprecated("Implicit conversion from float " + zmem::format_double(key.d) + " to int loses precision");
      }
      break;
    case Lit::kString:
      if (!zmem::numeric_key(key.s, &k.i)) {
        k.is_str = true;
        k.s = key.s;
      }
      break;
    case Lit::kTrue: k.i = 1; break;
    case Lit::kFalse: k.i = 0; break;
    case Lit::kNull: k.is_str = true; break;
    default: break;
  }
  return k;
}

Zval* Interpreter::find(const Zval& arr, const ArrKey& k) {
  const Zval* a = zmem::deref(&arr);
  if (a->type() != zmem::kArray) return nullptr;
  if (k.is_str) return zmem::hash_str_find(a->arr(), k.s);
  return zmem::hash_index_find(a->arr(), static_cast<std::uint64_t>(k.i));
}

std::string Interpreter::key_text(const ArrKey& k) const {
  return k.is_str ? "\"" + k.s + "\"" : std::to_string(k.i);
}

zmem::Value Interpreter::read_dim(const Zval& container, const Lit& key) {
  const Zval& c = *zmem::deref(&container);
  switch (c.type()) {
    case zmem::kArray: {
      ArrKey k = array_key(key);
      Zval* v = find(c, k);
      if (v == nullptr) {
        diag_.warning("Undefined array key " + key_text(k));
        return zmem::Value();
      }
      return zmem::Value::copy_of(*zmem::deref(v));
    }
    case zmem::kString: return read_string_offset(c, key);
    case zmem::kObject: throw_error("Cannot use object of type Node as array");
    default:
      diag_.warning(std::string("Trying to access array offset on value of type ") + type_name(c));
      return zmem::Value();
  }
}

zmem::Value Interpreter::read_prop(const Zval& container, const std::string& prop) {
  const Zval& c = *zmem::deref(&container);
  if (c.type() != zmem::kObject) {
    diag_.warning("Attempt to read property \"" + prop + "\" on " + type_name(c));
    return zmem::Value();
  }
  Zval* slot = objects_.read_prop(c, prop);
  if (slot == nullptr) {
    diag_.warning("Undefined property: Node::$" + prop);
    return zmem::Value();
  }
  return zmem::Value::copy_of(*zmem::deref(slot));
}

std::int64_t Interpreter::string_offset(const Lit& key) {
  switch (key.kind) {
    case Lit::kInt: return key.i;
    case Lit::kString: {
      std::int64_t l = 0;
      double d = 0;
      bool trailing = false;
      if (numeric_prefix(key.s, &l, &d, &trailing) == Numeric::kLong) {
        if (trailing) diag_.warning("Illegal string offset \"" + key.s + "\"");
        return l;
      }
      throw_type_error("Cannot access offset of type string on string");
    }
    case Lit::kFloat:
      diag_.warning("String offset cast occurred");
      return double_to_long(key.d);
    case Lit::kTrue:
      diag_.warning("String offset cast occurred");
      return 1;
    default:
      diag_.warning("String offset cast occurred");
      return 0;
  }
}

zmem::Value Interpreter::read_string_offset(const Zval& str, const Lit& key) {
  std::int64_t off = string_offset(key);
  std::string_view s = str.str()->view();
  std::int64_t len = static_cast<std::int64_t>(s.size());
  if (off < -len || off >= len) {
    diag_.warning("Uninitialized string offset " + std::to_string(off));
    return zmem::Value("");
  }
  if (off < 0) off += len;
  return string_value(s.substr(static_cast<std::size_t>(off), 1));
}

// ---- conversions and operators -------------------------------------------------

std::string Interpreter::to_string(const Zval& zv) {
  const Zval& z = *zmem::deref(&zv);
  switch (z.type()) {
    case zmem::kUndef:
    case zmem::kNull:
    case zmem::kFalse: return "";
    case zmem::kTrue: return "1";
    case zmem::kLong: return std::to_string(z.lval());
    case zmem::kDouble: return php_float_to_string(z.dval());
    case zmem::kString: return std::string(z.str()->view());
    case zmem::kArray:
      diag_.warning("Array to string conversion");
      return "Array";
    case zmem::kObject: throw_error("Object of class Node could not be converted to string");
    default: return "";
  }
}

void Interpreter::concat(Zval& var, const Zval& value) {
  std::string r = to_string(var);
  r += to_string(value);
  zmem::Value result = string_value(r);
  zmem::assign(var, result.zval());
}

void Interpreter::add_int(Zval& var, const Lit& num) {
  const Zval& z = *zmem::deref(&var);
  const char* rhs_type = num.kind == Lit::kInt ? "int" : "float";
  bool is_long = false;
  std::int64_t l = 0;
  double d = 0;
  switch (z.type()) {
    case zmem::kUndef:
    case zmem::kNull:
    case zmem::kFalse: is_long = true; break;
    case zmem::kTrue: is_long = true, l = 1; break;
    case zmem::kLong: is_long = true, l = z.lval(); break;
    case zmem::kDouble: d = z.dval(); break;
    case zmem::kString: {
      bool trailing = false;
      Numeric n = numeric_prefix(z.str()->view(), &l, &d, &trailing);
      if (n == Numeric::kNone) throw_type_error(std::string("Unsupported operand types: string + ") + rhs_type);
      if (trailing) diag_.warning("A non-numeric value encountered");
      is_long = n == Numeric::kLong;
      break;
    }
    default:
      throw_type_error(std::string("Unsupported operand types: ") + type_name(z) + " + " + rhs_type);
  }
  zmem::Value result;
  if (num.kind == Lit::kInt && is_long) {
    std::int64_t r;
    if (__builtin_add_overflow(l, num.i, &r)) {
      result = zmem::Value(static_cast<double>(l) + static_cast<double>(num.i));
    } else {
      result = zmem::Value(r);
    }
  } else {
    double a = is_long ? static_cast<double>(l) : d;
    double b = num.kind == Lit::kInt ? static_cast<double>(num.i) : num.d;
    result = zmem::Value(a + b);
  }
  zmem::assign(var, result.zval());
}

// ---- writing -------------------------------------------------------------------

bool Interpreter::check_dim_container(Zval& slot, DimUse use, const Lit* key) {
  Zval& c = *zmem::deref(&slot);
  switch (c.type()) {
    case zmem::kUndef:
    case zmem::kNull:
    case zmem::kArray: return false;
    case zmem::kFalse:
      // FETCH_DIM_W (references and nested writes) converts a false held by
      // a reference silently; everything else warns.
      if ((use == DimUse::kRef || use == DimUse::kNested) && slot.is_reference()) return false;
      diag_.deprecated("Automatic conversion of false to array is deprecated");
      return false;
    case zmem::kString:
      if (key == nullptr) throw_error("[] operator not supported for strings");
      if (use == DimUse::kAssign) return true;
      string_offset(*key);
      switch (use) {
        case DimUse::kAssignOp: throw_error("Cannot use assign-op operators with string offsets");
        case DimUse::kRef: throw_error("Cannot create references to/from string offsets");
        default: throw_error("Cannot use string offset as an array");
      }
    case zmem::kObject: throw_error("Cannot use object of type Node as array");
    default: throw_error("Cannot use a scalar value as an array");
  }
}

void Interpreter::write_string_offset(Zval& str, const Lit& key, const Source& src) {
  // zend_assign_to_string_offset: the offset first, then the value (an
  // undefined variable is reported only now).
  std::int64_t off = string_offset(key);
  std::int64_t len = static_cast<std::int64_t>(str.str()->len);
  if (off < -len) {
    diag_.warning("Illegal string offset " + std::to_string(off));
    return;
  }
  if (off < 0) off += len;
  std::string v = to_string(source_value(src));
  if (v.empty()) throw_error("Cannot assign an empty string to a string offset");
  if (v.size() > 1) diag_.warning("Only the first byte will be assigned to the string offset");
  std::string s(str.str()->view());
  if (off >= len) s.resize(static_cast<std::size_t>(off) + 1, ' ');
  s[static_cast<std::size_t>(off)] = v[0];
  zmem::Value result = string_value(s);
  zmem::assign(str, result.zval());
}

void Interpreter::assign_dim(Zval& container, const Lit* key, const Source& src) {
  if (zmem::deref(&container)->type() == zmem::kObject) {
    source_value(src);  // zend_assign_to_object_dim reads the value, then write_dimension throws
    throw_error("Cannot use object of type Node as array");
  }
  if (check_dim_container(container, DimUse::kAssign, key)) {
    write_string_offset(*zmem::deref(&container), *key, src);
    return;
  }
  Zval* slot;
  if (key == nullptr) {
    slot = zmem::array_fetch_append(container);
  } else {
    ArrKey k = array_key(*key);
    slot = zmem::array_fetch_write(container, k.key());
  }
  zmem::assign(*slot, source_value(src));
}

// ---- statements ----------------------------------------------------------------

void Interpreter::exec(const Stmt& s) {
  // The right-hand side: variables other than the target are read late, as
  // OP_DATA; everything else (and `$a[..] = $a`) is evaluated first.
  auto source = [&](zmem::Value& holder) {
    Source src;
    if (s.expr.kind == Expr::kVar && s.expr.var != s.var) {
      src.late_var = s.expr.var;
    } else {
      holder = eval(s.expr);
      src.early = &holder.zval();
    }
    return src;
  };
  Zval scratch;  // statements without a target variable (var_dump, echo) never touch it
  scratch.value.lval = 0;
  scratch.set_undef();
  Zval& var = s.var >= 0 ? cvs_[static_cast<std::size_t>(s.var)] : scratch;
  switch (s.kind) {
    case Stmt::kAssign: {
      zmem::Value v = eval(s.expr);
      zmem::assign(var, v.zval());
      break;
    }
    case Stmt::kAssignRef: zmem::assign_ref(var, cvs_[s.var2]); break;
    case Stmt::kAssignRefDim: {
      Zval& arr = cvs_[s.var2];
      check_dim_container(arr, DimUse::kRef, &s.key);
      ArrKey k = array_key(s.key);
      Zval tmp;
      tmp.value.lval = 0;
      tmp.set_undef();
      zmem::array_bind_ref(arr, k.key(), tmp);
      zmem::assign_ref(var, tmp);
      zmem::ptr_dtor(tmp);
      break;
    }
    case Stmt::kAssignDim:
    case Stmt::kAppend: {
      zmem::Value holder;
      Source src = source(holder);
      assign_dim(var, s.kind == Stmt::kAssignDim ? &s.key : nullptr, src);
      break;
    }
    case Stmt::kAssignDim2:
    case Stmt::kAppendDim: {
      zmem::Value holder;
      Source src = source(holder);
      check_dim_container(var, DimUse::kNested, &s.key);
      ArrKey k = array_key(s.key);
      Zval* inner = zmem::array_fetch_write(var, k.key());
      assign_dim(*inner, s.kind == Stmt::kAssignDim2 ? &s.key2 : nullptr, src);
      break;
    }
    case Stmt::kAssignDimRef:
    case Stmt::kAppendRef: {
      const Lit* key = s.kind == Stmt::kAssignDimRef ? &s.key : nullptr;
      check_dim_container(var, DimUse::kRef, key);
      Zval* slot;
      if (key == nullptr) {
        slot = zmem::array_fetch_append(var);
      } else {
        ArrKey k = array_key(*key);
        slot = zmem::array_fetch_write(var, k.key());
      }
      zmem::assign_ref(*slot, cvs_[s.var2]);
      break;
    }
    case Stmt::kAssignProp:
    case Stmt::kAssignPropRef: {
      zmem::Value holder;
      Source src;
      if (s.kind == Stmt::kAssignProp) src = source(holder);
      Zval& c = *zmem::deref(&var);
      if (c.type() != zmem::kObject) {
        if (s.kind == Stmt::kAssignProp) source_value(src);  // ASSIGN_OBJ reads OP_DATA first
        throw_error("Attempt to " + std::string(s.kind == Stmt::kAssignProp ? "assign" : "modify") + " property \"" +
                    s.prop + "\" on " + type_name(c));
      }
      // ASSIGN_OBJ reads its operand (and warns about it) before it writes the property.
      zmem::Value value;
      if (s.kind == Stmt::kAssignProp) value = zmem::Value::copy_of(source_value(src));
      bool created = false;
      Zval* slot = objects_.write_prop(c, s.prop, &created);
      if (created) diag_.deprecated("Creation of dynamic property Node::$" + s.prop + " is deprecated");
      if (s.kind == Stmt::kAssignProp) {
        zmem::assign(*slot, value.zval());
      } else {
        zmem::assign_ref(*slot, cvs_[s.var2]);
      }
      break;
    }
    case Stmt::kConcat: {
      // `$x .= $x` on a plain variable: concat_function sees one zval twice
      // and converts it once (one "Array to string" warning).
      bool self = s.expr.kind == Expr::kVar && s.expr.var == s.var && !var.is_undef() && !var.is_reference();
      zmem::Value v = eval(s.expr);
      if (var.is_undef()) diag_.warning("Undefined variable $" + program_.vars[s.var]);
      if (self) {
        std::string once = to_string(var);
        zmem::Value result = string_value(once + once);
        zmem::assign(var, result.zval());
      } else {
        concat(var, v.zval());
      }
      break;
    }
    case Stmt::kAddInt:
      if (var.is_undef()) diag_.warning("Undefined variable $" + program_.vars[s.var]);
      add_int(var, s.num);
      break;
    case Stmt::kConcatDim: {
      zmem::Value holder;
      Source src = source(holder);
      if (var.is_undef()) diag_.warning("Undefined variable $" + program_.vars[s.var]);
      if (zmem::deref(&var)->type() == zmem::kObject) {
        // ASSIGN_DIM_OP on an object reads its operand first (its warnings come first).
        (void)source_value(src);
        throw PhpError{"Error", "Cannot use object of type Node as array", true};
      }
      check_dim_container(var, DimUse::kAssignOp, &s.key);
      ArrKey k = array_key(s.key);
      if (find(var, k) == nullptr) diag_.warning("Undefined array key " + key_text(k));
      Zval* slot = zmem::array_fetch_write(var, k.key());
      const Zval& value = source_value(src);
      zmem::Value keep = zmem::Value::copy_of(value);  // the slot may move while converting
      concat(*slot, keep.zval());
      break;
    }
    case Stmt::kUnset: zmem::unset(var); break;
    case Stmt::kUnsetDim: {
      Zval& c = *zmem::deref(&var);
      switch (c.type()) {
        case zmem::kUndef: diag_.warning("Undefined variable $" + program_.vars[s.var]); break;
        case zmem::kNull: break;
        case zmem::kFalse: diag_.deprecated("Automatic conversion of false to array is deprecated"); break;
        case zmem::kArray: {
          ArrKey k = array_key(s.key);
          zmem::array_unset(var, k.key());
          break;
        }
        case zmem::kString: throw_error("Cannot unset string offsets");
        case zmem::kObject: throw_error("Cannot use object of type Node as array");
        default: throw_error("Cannot unset offset in a non-array variable");
      }
      break;
    }
    case Stmt::kVarDump: {
      zmem::Value v = eval(s.expr);
      zmem::dump(v.zval(), stdout);
      break;
    }
    case Stmt::kEcho: {
      // `echo EXPR, "\n";` echoes each argument in turn: the first one's temporary is
      // released (destructors run) before the newline is written, as in PHP.
      {
        zmem::Value v = eval(s.expr);
        std::string out = to_string(v.zval());
        std::fwrite(out.data(), 1, out.size(), stdout);
      }
      std::fputc('\n', stdout);
      break;
    }
    case Stmt::kEchoGc: std::fprintf(stdout, "%lld\n", static_cast<long long>(objects_.collect_cycles())); break;
    case Stmt::kEchoCount: {
      const Zval& c = read_cv(s.var);
      if (c.type() != zmem::kArray) {
        throw_type_error(std::string("count(): Argument #1 ($value) must be of type Countable|array, ") + type_name(c) +
                         " given");
      }
      std::fprintf(stdout, "%u\n", c.arr()->num_elements);
      break;
    }
  }
}

}  // namespace zmem_run
