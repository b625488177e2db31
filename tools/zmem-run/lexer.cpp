// The subset's lexer: variables, names, decimal numbers, the two string forms
// and the handful of operators the statements use.  Anything else is an error
// naming its column; nothing is skipped silently.
#include "lexer.hpp"

namespace zmem_run {
namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool lex_line(std::string_view line, std::vector<Token>& out, std::string& error, int& column) {
  std::size_t i = 0, n = line.size();
  auto fail = [&](std::size_t at, std::string what) {
    error = std::move(what);
    column = static_cast<int>(at) + 1;
    return false;
  };
  while (i < n) {
    Token t;
    t.column = static_cast<int>(i) + 1;
    char c = line[i];
    if (c == ' ') {
      t.kind = Token::kSpace;
      ++i;
    } else if (c == '$') {
      std::size_t j = i + 1;
      if (j >= n || !is_name_start(line[j])) return fail(j, "a variable name after '$'");
      while (j < n && is_name_char(line[j])) ++j;
      t.kind = Token::kVar;
      t.text = std::string(line.substr(i + 1, j - i - 1));
      i = j;
    } else if (is_name_start(c)) {
      std::size_t j = i;
      while (j < n && is_name_char(line[j])) ++j;
      t.kind = Token::kIdent;
      t.text = std::string(line.substr(i, j - i));
      i = j;
    } else if (is_digit(c)) {
      std::size_t j = i;
      while (j < n && is_digit(line[j])) ++j;
      t.kind = Token::kInt;
      if (j < n && line[j] == '.') {
        std::size_t k = j + 1;
        if (k >= n || !is_digit(line[k])) return fail(k, "digits after the decimal point");
        while (k < n && is_digit(line[k])) ++k;
        t.kind = Token::kFloat;
        j = k;
      } else if (j - i > 1 && c == '0') {
        return fail(i, "a decimal integer without leading zeros");
      }
      if (j < n && (is_name_char(line[j]) || line[j] == '.')) return fail(j, "the end of the number");
      t.text = std::string(line.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      std::string s;
      for (;;) {
        if (j >= n) return fail(i, std::string("a closing ") + c);
        char d = line[j];
        if (d == c) break;
        if (d == '\\') {
          if (j + 1 < n && line[j + 1] == 'n') {
            if (c == '"') {
              s += '\n';
            } else {
              s += "\\n";
            }
            j += 2;
            continue;
          }
          return fail(j, "only the escape \\n in a string");
        }
        if (d == '$' && c == '"') return fail(j, "no '$' in a double-quoted string");
        if (d == '\t') return fail(j, "no tabs");
        s += d;
        ++j;
      }
      t.kind = Token::kString;
      t.quote = c;
      t.text = std::move(s);
      i = j + 1;
    } else {
      static const char* const kTwo[] = {"->", "=>", ".=", "+="};
      bool two = false;
      if (i + 1 < n) {
        for (const char* p : kTwo) {
          if (line[i] == p[0] && line[i + 1] == p[1]) {
            t.kind = Token::kPunct;
            t.text = p;
            i += 2;
            two = true;
            break;
          }
        }
      }
      if (!two) {
        if (std::string_view("=&[]();,-").find(c) == std::string_view::npos) {
          if (c == '\t') return fail(i, "spaces, not tabs");
          return fail(i, "a statement of the subset (unexpected character '" + std::string(1, c) + "')");
        }
        t.kind = Token::kPunct;
        t.text = std::string(1, c);
        ++i;
      }
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.column = static_cast<int>(n) + 1;
  out.push_back(end);
  return true;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Token::kEnd: return "end of line";
    case Token::kSpace: return "a space";
    case Token::kVar: return "variable \"$" + t.text + "\"";
    case Token::kIdent: return "\"" + t.text + "\"";
    case Token::kInt:
    case Token::kFloat: return "number \"" + t.text + "\"";
    case Token::kString: return "a string literal";
    case Token::kPunct: return "\"" + t.text + "\"";
  }
  return "?";
}

}  // namespace zmem_run
