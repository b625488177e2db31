// The syntax tree of the PHP subset (reference/php-subset.md): one Stmt per
// script line.  Variables are numbered in order of first appearance, which is
// PHP's compiled-variable (CV) order and so the symbol table's order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zmem_run {

struct ArrayElem;

/// A literal value: `null`, `true`, `1`, `1.5`, `"s"`, `[...]`, `new Node("n")`.
struct Lit {
  enum Kind { kNull, kTrue, kFalse, kInt, kFloat, kString, kArray, kNew } kind = kNull;
  std::int64_t i = 0;
  double d = 0;
  std::string s;                // kString; kNew: the constructor argument
  std::vector<ArrayElem> elems; // kArray
};

struct ArrayElem {
  bool has_key = false;
  Lit key;  // a scalar literal
  Lit value;
};

/// expr = value | var | var[key] | var->ident
struct Expr {
  enum Kind { kValue, kVar, kDim, kProp } kind = kValue;
  Lit value;         // kValue
  int var = -1;      // kVar, kDim, kProp
  Lit key;           // kDim
  std::string prop;  // kProp
};

struct Stmt {
  enum Kind {
    kAssign,         // $x = EXPR;
    kAssignRef,      // $x = &$y;
    kAssignRefDim,   // $x = &$y[KEY];
    kAssignDim,      // $x[KEY] = EXPR;
    kAppend,         // $x[] = EXPR;
    kAssignDim2,     // $x[K1][K2] = EXPR;
    kAppendDim,      // $x[K1][] = EXPR;
    kAssignDimRef,   // $x[KEY] = &$y;
    kAppendRef,      // $x[] = &$y;
    kAssignProp,     // $x->p = EXPR;
    kAssignPropRef,  // $x->p = &$y;
    kConcat,         // $x .= EXPR;
    kAddInt,         // $x += INT;
    kConcatDim,      // $x[KEY] .= EXPR;
    kUnset,          // unset($x);
    kUnsetDim,       // unset($x[KEY]);
    kVarDump,        // var_dump(EXPR);
    kEcho,           // echo EXPR, "\n";
    kEchoGc,         // echo gc_collect_cycles(), "\n";
    kEchoCount,      // echo count($x), "\n";
  } kind = kAssign;
  int line = 0;
  int var = -1;   // the variable written (or read by count/unset)
  int var2 = -1;  // the source of a by-reference assignment
  Lit key, key2;
  std::string prop;
  Expr expr;
  Lit num;  // kAddInt: an int literal (a float when it overflows)
};

struct Program {
  std::vector<std::string> vars;  // CV names without '$', in order of first appearance
  std::vector<Stmt> stmts;
};

}  // namespace zmem_run
