// Recursive-descent parser of the PHP subset: the file layout ("<?php", the
// class line, one statement per line) and the statement grammar of
// reference/php-subset.md, spacing included.  Anything else is rejected with
// the line and what was expected.
#pragma once

#include <string>
#include <string_view>

#include "ast.hpp"

namespace zmem_run {

/// The exact second line of every script.
extern const char* const kClassLine;

struct ParseError {
  int line = 0;
  std::string message;  // "expected X, found Y (column C)"
};

/// Parses a whole file.  Returns false and fills `error` if it is not in the subset.
bool parse_program(std::string_view source, Program& program, ParseError& error);

}  // namespace zmem_run
