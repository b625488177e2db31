// zmem-run [--stats] FILE: runs a script of the PHP subset
// (reference/php-subset.md) on zmem's values inside one Request, printing
// what `php -n -d error_reporting=-1 -d display_errors=1 FILE` prints.
// Exit status: 0, 255 after an uncaught Error or a parse error (as php),
// 1 if the file cannot be read, 3 for constructs zmem cannot run yet.
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <zmem/engine.hpp>
#include <zmem/string.hpp>
#include <zmem/zmem.h>

#include "interpreter.hpp"
#include "parser.hpp"

namespace {

void print_stats(zmem_heap* heap, zmem_run::NodeObjects& objects) {
  std::fprintf(stdout, "--- zmem-run --stats\n");
  std::fprintf(stdout, "heap usage: %zu\n", zmem_usage(heap, 0));
  std::fprintf(stdout, "heap peak usage: %zu\n", zmem_peak_usage(heap, 0));
  std::fprintf(stdout, "heap real usage: %zu\n", zmem_usage(heap, 1));
  std::fprintf(stdout, "heap peak real usage: %zu\n", zmem_peak_usage(heap, 1));
  objects.print_gc_status(stdout);
}

int usage() {
  std::fprintf(stderr, "usage: zmem-run [--stats] FILE\n");
  return 64;
}

}  // namespace

int main(int argc, char** argv) {
  bool stats = false;
  const char* file = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--stats") == 0) {
      stats = true;
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return usage();
    } else if (file == nullptr) {
      file = argv[i];
    } else {
      return usage();
    }
  }
  if (file == nullptr) return usage();

  static char out_buffer[1 << 16];
  std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);

  char resolved[PATH_MAX];
  std::ifstream in(file, std::ios::binary);
  if (!in || realpath(file, resolved) == nullptr) {
    std::fprintf(stdout, "Could not open input file: %s\n", file);
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string source = text.str();

  zmem_run::Diagnostics diag;
  diag.set_path(resolved);
  zmem_run::Program program;
  zmem_run::ParseError perr;
  if (!zmem_run::parse_program(source, program, perr)) {
    std::fprintf(stdout, "\nParse error: zmem-run subset: %s in %s on line %d\n", perr.message.c_str(), resolved,
                 perr.line);
    std::fflush(stdout);
    return 255;
  }

  int status = 0;
  zmem::Engine engine;
  engine.startup();
  {
    zmem::Request request(engine);
    request.run([&] {
      zmem_run::NodeObjects objects(diag);
      zmem_run::Interpreter interp(program, diag, objects);
      try {
        status = interp.run();
      } catch (const zmem_run::NotSupported& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "zmem-run: %s on line %d: %s\n", resolved, diag.line(), e.message.c_str());
        status = 3;
      }
      interp.shutdown();
      if (stats) print_stats(request.heap(), objects);
      objects.request_end();
      std::fflush(stdout);
    });
  }
  // The permanent interned strings (one-character strings of string offsets)
  // are persistent memory: free them before the engine's persistent leak check.
  zmem::interned_strings_shutdown();
  engine.shutdown();
  std::fflush(stdout);
  return status;
}
