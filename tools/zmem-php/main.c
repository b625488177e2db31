/* zmem-php's command line: php-cli's common flags (-n -c -d -f -r -v -m -i,
 * script arguments), plus --zmem-report, --allocator=zend|zmem, --repeat=N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zmem_php.h"

static void usage(void) {
  fprintf(stderr,
          "Usage: zmem-php [options] [-f] <file> [--] [args...]\n"
          "       zmem-php [options] -r <code> [--] [args...]\n"
          "  -n            No configuration (ini) files will be used\n"
          "  -c <file>     Look for php.ini in this file or directory\n"
          "  -d key[=val]  Define INI entry key with value val\n"
          "  -f <file>     Parse and execute <file>\n"
          "  -r <code>     Run PHP <code> without using script tags <?..?>\n"
          "  -v            Version number\n"
          "  -m            Show compiled in modules\n"
          "  -i            PHP information\n"
          "  --zmem-report      Print zmem's heap figures after each request (also ZMEM_REPORT=1)\n"
          "  --allocator=zend   Run on ZendMM instead of zmem (for A/B comparisons)\n"
          "  --repeat=N         Run the script N times, as N requests in one process\n"
          "Environment: ZMEM_DEBUG=1|2 (debug heap, leak reports; 2 adds stacks), ZMEM_ALLOC=system,\n"
          "  ZMEM_REPORT=1, ZMEM_PHP_ENTRY=handlers (reach zmem through ZendMM's custom handlers\n"
          "  only, instead of libphp's allocator entry points pointing at zmem directly),\n"
          "  ZMEM_HUGE_PAGES=0 (no transparent huge pages for huge blocks: less RSS, more page faults)\n");
}

static void add_ini_entry(zp_options *o, const char *setting) {
  /* "-d key" means key=1, as php-cli. */
  const char *eq = strchr(setting, '=');
  size_t old = o->ini_entries != NULL ? strlen(o->ini_entries) : 0;
  size_t len = strlen(setting) + (eq == NULL ? 2 : 0) + 2;
  o->ini_entries = realloc(o->ini_entries, old + len + 1);
  snprintf(o->ini_entries + old, len + 1, eq == NULL ? "%s=1\n" : "%s\n", setting);
}

int main(int argc, char **argv) {
  zp_options options = {0};
  options.repeat = 1;
  const char *report = getenv("ZMEM_REPORT");
  options.report = report != NULL && atoi(report) != 0;
  int i = 1;
  for (; i < argc; ++i) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      ++i;
      break;
    } else if (strcmp(arg, "-n") == 0) {
      options.ignore_ini = 1;
    } else if (strcmp(arg, "-c") == 0 && i + 1 < argc) {
      options.ini_path = argv[++i];
    } else if (strcmp(arg, "-d") == 0 && i + 1 < argc) {
      add_ini_entry(&options, argv[++i]);
    } else if (strncmp(arg, "-d", 2) == 0 && arg[2] != '\0') {
      add_ini_entry(&options, arg + 2);
    } else if (strcmp(arg, "-f") == 0 && i + 1 < argc) {
      options.script = argv[++i];
      ++i;
      if (i < argc && strcmp(argv[i], "--") == 0) ++i; /* php-cli drops it after -f FILE */
      break;
    } else if (strcmp(arg, "-r") == 0 && i + 1 < argc) {
      options.code = argv[++i];
      ++i;
      if (i < argc && strcmp(argv[i], "--") == 0) ++i;
      break;
    } else if (strcmp(arg, "-v") == 0) {
      options.show_version = 1;
    } else if (strcmp(arg, "-m") == 0) {
      options.show_modules = 1;
    } else if (strcmp(arg, "-i") == 0) {
      options.show_info = 1;
    } else if (strcmp(arg, "--zmem-report") == 0) {
      options.report = 1;
    } else if (strcmp(arg, "--allocator=zend") == 0) {
      options.use_zend_allocator = 1;
    } else if (strcmp(arg, "--allocator=zmem") == 0) {
      options.use_zend_allocator = 0;
    } else if (strncmp(arg, "--repeat=", 9) == 0) {
      options.repeat = strtol(arg + 9, NULL, 10);
      if (options.repeat < 1) options.repeat = 1;
    } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      usage();
      return 0;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      fprintf(stderr, "zmem-php: unknown option %s\n", arg);
      usage();
      return 1;
    } else {
      options.script = arg;
      ++i;
      break;
    }
  }
  if (options.script == NULL && options.code == NULL && !options.show_version && !options.show_modules &&
      !options.show_info) {
    usage();
    return 1;
  }
  /* $argv: the script name (php-cli: "Standard input code" for -r) followed by the arguments. */
  options.script_argc = 1 + (argc - i);
  options.script_argv = calloc((size_t)options.script_argc + 1, sizeof(char *));
  options.script_argv[0] = options.script != NULL ? (char *)options.script : (char *)"Standard input code";
  for (int k = 1; k < options.script_argc; ++k) options.script_argv[k] = argv[i + k - 1];
  int status = zp_run(&options);
  free(options.script_argv);
  free(options.ini_entries);
  return status;
}
