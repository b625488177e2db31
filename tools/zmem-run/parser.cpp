// Parser of the subset.  Each line is lexed, then parsed by a small recursive
// descent over its tokens; the spacing rules are part of the grammar (space
// tokens are expected explicitly), so "$a=1;" or "$a  = 1;" are errors.
#include "parser.hpp"

#include <cerrno>
#include <cstdlib>
#include <unordered_map>

#include "lexer.hpp"

namespace zmem_run {

const char* const kClassLine =
    "class Node { public $name; public $next = null; public $data = null; function __construct($name) { "
    "$this->name = $name; } function __destruct() { echo \"destruct \", $this->name, \"\\n\"; } }";

namespace {

struct Failure {
  std::string message;
};

class LineParser {
 public:
  LineParser(std::vector<Token> tokens, Program& program, std::unordered_map<std::string, int>& names)
      : toks_(std::move(tokens)), program_(program), names_(names) {}

  Stmt statement() {
    Stmt s;
    const Token& t = peek();
    if (t.kind == Token::kVar) {
      s.var = variable();
      var_statement(s);
    } else if (is_ident("unset")) {
      next();
      punct("(");
      s.var = variable();
      s.kind = Stmt::kUnset;
      if (is_punct("[")) {
        next();
        s.key = key();
        punct("]");
        s.kind = Stmt::kUnsetDim;
      }
      punct(")");
    } else if (is_ident("var_dump")) {
      next();
      punct("(");
      s.kind = Stmt::kVarDump;
      s.expr = expr();
      punct(")");
    } else if (is_ident("echo")) {
      next();
      space();
      if (is_ident("gc_collect_cycles")) {
        next();
        punct("(");
        punct(")");
        s.kind = Stmt::kEchoGc;
      } else if (is_ident("count")) {
        next();
        punct("(");
        s.var = variable();
        punct(")");
        s.kind = Stmt::kEchoCount;
      } else {
        s.kind = Stmt::kEcho;
        s.expr = expr();
      }
      punct(",");
      space();
      const Token& nl = peek();
      if (nl.kind != Token::kString || nl.quote != '"' || nl.text != "\n") fail("\"\\n\" (a double-quoted newline)");
      next();
    } else {
      fail("a statement (a variable, unset, var_dump or echo)");
    }
    punct(";");
    if (peek().kind != Token::kEnd) fail("end of line after ';'");
    return s;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    std::size_t i = pos_ + ahead;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  void next() {
    if (pos_ + 1 < toks_.size()) ++pos_;
  }
  [[noreturn]] void fail(const std::string& expected) const {
    const Token& t = peek();
    throw Failure{"expected " + expected + ", found " + describe(t) + " (column " + std::to_string(t.column) + ")"};
  }
  bool is_punct(const char* p, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Token::kPunct && t.text == p;
  }
  bool is_ident(const char* p) const { return peek().kind == Token::kIdent && peek().text == p; }
  bool is_space(std::size_t ahead = 0) const { return peek(ahead).kind == Token::kSpace; }
  void punct(const char* p) {
    if (!is_punct(p)) fail(std::string("\"") + p + "\"");
    next();
  }
  void space() {
    if (!is_space()) fail("a single space");
    next();
  }
  /// " = " etc.: exactly one space on each side of an operator.
  void spaced(const char* op) {
    space();
    punct(op);
    space();
  }

  int variable() {
    const Token& t = peek();
    if (t.kind != Token::kVar) fail("a variable");
    if (t.text == "this") fail("a variable other than $this");
    auto [it, added] = names_.emplace(t.text, static_cast<int>(program_.vars.size()));
    if (added) program_.vars.push_back(t.text);
    next();
    return it->second;
  }

  void var_statement(Stmt& s) {
    if (is_space()) {
      next();
      if (is_punct("=")) {
        next();
        space();
        if (is_punct("&")) {
          next();
          s.var2 = variable();
          s.kind = Stmt::kAssignRef;
          if (is_punct("[")) {
            next();
            s.key = key();
            punct("]");
            s.kind = Stmt::kAssignRefDim;
          }
        } else {
          s.kind = Stmt::kAssign;
          s.expr = expr();
        }
      } else if (is_punct(".=")) {
        next();
        space();
        s.kind = Stmt::kConcat;
        s.expr = expr();
      } else if (is_punct("+=")) {
        next();
        space();
        s.kind = Stmt::kAddInt;
        s.num = number();
        if (s.num.kind != Lit::kInt && s.num.kind != Lit::kFloat) fail("an integer");
      } else {
        fail("\"=\", \".=\" or \"+=\"");
      }
      return;
    }
    if (is_punct("->")) {
      next();
      s.prop = ident();
      spaced("=");
      if (is_punct("&")) {
        next();
        s.var2 = variable();
        s.kind = Stmt::kAssignPropRef;
      } else {
        s.kind = Stmt::kAssignProp;
        s.expr = expr();
      }
      return;
    }
    if (!is_punct("[")) fail("\" = \", \"[\" or \"->\" after the variable");
    next();
    if (is_punct("]")) {  // $x[] = ...
      next();
      spaced("=");
      if (is_punct("&")) {
        next();
        s.var2 = variable();
        s.kind = Stmt::kAppendRef;
      } else {
        s.kind = Stmt::kAppend;
        s.expr = expr();
      }
      return;
    }
    s.key = key();
    punct("]");
    if (is_punct("[")) {  // $x[K1][K2] = / $x[K1][] =
      next();
      if (is_punct("]")) {
        s.kind = Stmt::kAppendDim;
      } else {
        s.key2 = key();
        s.kind = Stmt::kAssignDim2;
      }
      punct("]");
      spaced("=");
      s.expr = expr();
      return;
    }
    space();
    if (is_punct(".=")) {
      next();
      space();
      s.kind = Stmt::kConcatDim;
      s.expr = expr();
      return;
    }
    punct("=");
    space();
    if (is_punct("&")) {
      next();
      s.var2 = variable();
      s.kind = Stmt::kAssignDimRef;
    } else {
      s.kind = Stmt::kAssignDim;
      s.expr = expr();
    }
  }

  std::string ident() {
    if (peek().kind != Token::kIdent) fail("a property name");
    std::string n = peek().text;
    next();
    return n;
  }

  Expr expr() {
    Expr e;
    if (peek().kind == Token::kVar) {
      e.var = variable();
      e.kind = Expr::kVar;
      if (is_punct("[")) {
        next();
        e.key = key();
        punct("]");
        e.kind = Expr::kDim;
      } else if (is_punct("->")) {
        next();
        e.prop = ident();
        e.kind = Expr::kProp;
      }
      return e;
    }
    e.kind = Expr::kValue;
    e.value = value();
    return e;
  }

  /// int | float, with an optional '-' glued to it.
  Lit number() {
    bool neg = false;
    if (is_punct("-")) {
      neg = true;
      next();
    }
    const Token& t = peek();
    Lit l;
    if (t.kind == Token::kInt) {
      errno = 0;
      unsigned long long u = std::strtoull(t.text.c_str(), nullptr, 10);
      if (errno == 0 && u <= static_cast<unsigned long long>(INT64_MAX)) {
        l.kind = Lit::kInt;
        l.i = neg ? -static_cast<std::int64_t>(u) : static_cast<std::int64_t>(u);
      } else {  // beyond PHP_INT_MAX: a float, then negated (-9223372036854775808 is a float)
        l.kind = Lit::kFloat;
        l.d = std::strtod(t.text.c_str(), nullptr);
        if (neg) l.d = -l.d;
      }
    } else if (t.kind == Token::kFloat) {
      l.kind = Lit::kFloat;
      l.d = std::strtod(t.text.c_str(), nullptr);
      if (neg) l.d = -l.d;
    } else {
      fail(neg ? "a number after '-'" : "a number");
    }
    next();
    return l;
  }

  /// A scalar literal usable as a key: int, float, string, true, false, null.
  Lit key() {
    const Token& t = peek();
    Lit l;
    if (t.kind == Token::kString) {
      l.kind = Lit::kString;
      l.s = t.text;
      next();
    } else if (t.kind == Token::kInt || t.kind == Token::kFloat || is_punct("-")) {
      l = number();
    } else if (is_ident("true")) {
      l.kind = Lit::kTrue;
      next();
    } else if (is_ident("false")) {
      l.kind = Lit::kFalse;
      next();
    } else if (is_ident("null")) {
      l.kind = Lit::kNull;
      next();
    } else {
      fail("a key (int, float, string, true, false or null)");
    }
    return l;
  }

  Lit value() {
    if (is_ident("new")) {
      next();
      space();
      if (!is_ident("Node")) fail("\"Node\" (the only class)");
      next();
      punct("(");
      if (peek().kind != Token::kString) fail("a string argument");
      Lit l;
      l.kind = Lit::kNew;
      l.s = peek().text;
      next();
      punct(")");
      return l;
    }
    if (is_punct("[")) {
      next();
      Lit l;
      l.kind = Lit::kArray;
      if (is_punct("]")) {
        next();
        return l;
      }
      for (;;) {
        ArrayElem e;
        e.value = value();
        if (is_space() && is_punct("=>", 1)) {
          if (e.value.kind == Lit::kArray || e.value.kind == Lit::kNew) fail("a scalar key before \"=>\"");
          e.has_key = true;
          e.key = std::move(e.value);
          spaced("=>");
          e.value = value();
        }
        l.elems.push_back(std::move(e));
        if (is_punct("]")) {
          next();
          return l;
        }
        punct(",");
        space();
      }
    }
    if (peek().kind == Token::kVar) fail("a literal value (variables are not allowed here)");
    return key();
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  Program& program_;
  std::unordered_map<std::string, int>& names_;
};

}  // namespace

bool parse_program(std::string_view src, Program& program, ParseError& error) {
  std::unordered_map<std::string, int> names;
  int lineno = 0;
  std::size_t pos = 0;
  if (src.empty()) {
    error = {1, "expected \"<?php\", found an empty file"};
    return false;
  }
  while (pos < src.size()) {
    ++lineno;
    std::size_t nl = src.find('\n', pos);
    if (nl == std::string_view::npos) {
      error = {lineno, "expected a newline at the end of the file"};
      return false;
    }
    std::string_view line = src.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') {
      error = {lineno, "expected LF line endings, found CR LF"};
      return false;
    }
    if (lineno == 1) {
      if (line != "<?php") {
        error = {lineno, "expected \"<?php\" alone on the first line"};
        return false;
      }
      continue;
    }
    if (lineno == 2) {
      if (line != kClassLine) {
        error = {lineno, "expected the subset's exact class Node line"};
        return false;
      }
      continue;
    }
    std::vector<Token> toks;
    std::string lex_error;
    int column = 0;
    if (!lex_line(line, toks, lex_error, column)) {
      error = {lineno, "expected " + lex_error + " (column " + std::to_string(column) + ")"};
      return false;
    }
    try {
      LineParser p(std::move(toks), program, names);
      Stmt s = p.statement();
      s.line = lineno;
      program.stmts.push_back(std::move(s));
    } catch (const Failure& f) {
      error = {lineno, f.message};
      return false;
    }
  }
  if (lineno < 2) {
    error = {lineno + 1, "expected the class Node line"};
    return false;
  }
  return true;
}

}  // namespace zmem_run
