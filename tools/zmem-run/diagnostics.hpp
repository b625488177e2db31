// PHP's diagnostics as `php -n -d error_reporting=-1 -d display_errors=1`
// shows them on stdout:  "\nWarning: MSG in PATH on line N\n", and the
// uncaught-Error block that ends a script with exit status 255.
#pragma once

#include <string>

namespace zmem_run {

/// A PHP `Error` or `TypeError` thrown by a statement; uncaught, it ends the script.
struct PhpError {
  std::string cls;  // "Error", "TypeError"
  std::string message;
  /// Raised twice, the second chained to the first ("Next Error: ..."), as
  /// `$obj[k] .= v` does (read_dimension and write_dimension both throw).
  bool twice = false;
};

/// A construct the interpreter cannot run yet (objects before zmem has them).
struct NotSupported {
  std::string message;
};

class Diagnostics {
 public:
  void set_path(std::string path) { path_ = std::move(path); }
  const std::string& path() const { return path_; }
  void set_line(int line) { line_ = line; }
  int line() const { return line_; }

  void warning(const std::string& message) const { emit("Warning", message); }
  void deprecated(const std::string& message) const { emit("Deprecated", message); }
  /// The "Fatal error: Uncaught ..." block of an exception thrown on `line`.
  void uncaught(const PhpError& e, int line) const;

 private:
  void emit(const char* label, const std::string& message) const;
  std::string path_;
  int line_ = 0;
};

[[noreturn]] inline void throw_error(std::string message) { throw PhpError{"Error", std::move(message)}; }
[[noreturn]] inline void throw_type_error(std::string message) { throw PhpError{"TypeError", std::move(message)}; }

}  // namespace zmem_run
