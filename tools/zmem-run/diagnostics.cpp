#include "diagnostics.hpp"

#include <cstdio>

namespace zmem_run {

void Diagnostics::emit(const char* label, const std::string& message) const {
  std::fprintf(stdout, "\n%s: %s in %s on line %d\n", label, message.c_str(), path_.c_str(), line_);
}

void Diagnostics::uncaught(const PhpError& e, int line) const {
  std::fprintf(stdout, "\nFatal error: Uncaught %s: %s in %s:%d\n", e.cls.c_str(), e.message.c_str(), path_.c_str(), line);
  if (e.twice) {
    std::fprintf(stdout, "Stack trace:\n#0 {main}\n\nNext %s: %s in %s:%d\n", e.cls.c_str(), e.message.c_str(),
                 path_.c_str(), line);
  }
  std::fprintf(stdout, "Stack trace:\n#0 {main}\n  thrown in %s on line %d\n", path_.c_str(), line);
}

}  // namespace zmem_run
