// Tokens of one line of the PHP subset.  Spaces are tokens (kSpace, one per
// space character) because the subset fixes the spacing exactly; the parser
// asks for them where the grammar has them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zmem_run {

struct Token {
  enum Kind {
    kEnd,     // end of line
    kSpace,   // one ' '
    kVar,     // $name   (text: name without '$')
    kIdent,   // names and keywords (keywords are lower case only)
    kInt,     // digits, no sign (text: the digits)
    kFloat,   // digits.digits (text as written)
    kString,  // text: the decoded bytes
    kPunct,   // = & [ ] ( ) ; , -> => .= += -
  } kind = kEnd;
  std::string text;
  int column = 0;  // 1-based
  char quote = 0;  // kString: the quote character
};

/// Splits one line into tokens.  On a lexical error returns false with
/// `error` naming what was expected and `column` where.
bool lex_line(std::string_view line, std::vector<Token>& out, std::string& error, int& column);

/// How a token reads in a message: `"="`, `variable "$x"`, `end of line`.
std::string describe(const Token& t);

}  // namespace zmem_run
