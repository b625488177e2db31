/* Bringing PHP up through the embed SAPI and running requests (see zmem_php.h).
 *
 * Unlike php_embed_init(), the host starts the modules and each request
 * itself, so that the zmem heap can be switched in before every
 * php_request_startup() and out after every php_request_shutdown().
 */
#include <SAPI.h>
#include <ext/standard/info.h>
#include <php.h>
#include <php_main.h>
#include <php_variables.h>
#include <sapi/embed/php_embed.h>
#include <zend_exceptions.h>
#include <zend_extensions.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmem/zmem.h>

#include "zmem_php.h"

/* What php-cli sets on top of php.ini, which the embed SAPI shares. */
static const char kHardcodedIni[] =
    "html_errors=0\n"
    "register_argc_argv=1\n"
    "implicit_flush=1\n"
    "output_buffering=0\n"
    "max_execution_time=0\n"
    "max_input_time=-1\n"
    "display_errors=1\n";

static char *build_ini_entries(const char *user_entries) {
  size_t base = sizeof(kHardcodedIni) - 1;
  size_t extra = user_entries != NULL ? strlen(user_entries) : 0;
  char *entries = malloc(base + extra + 2);
  memcpy(entries, kHardcodedIni, base);
  if (extra != 0) memcpy(entries + base, user_entries, extra);
  entries[base + extra] = '\0';
  return entries;
}

/* STDIN, STDOUT and STDERR as php-cli defines them: stream resources, per request. */
static void register_std_handles(void) {
  static const char *const names[3] = {"STDIN", "STDOUT", "STDERR"};
  static const char *const paths[3] = {"php://stdin", "php://stdout", "php://stderr"};
  static const char *const modes[3] = {"rb", "wb", "wb"};
  for (int i = 0; i < 3; ++i) {
    php_stream *stream = php_stream_open_wrapper_ex(paths[i], modes[i], 0, NULL, NULL);
    if (stream == NULL) continue;
    zend_constant constant;
    php_stream_to_zval(stream, &constant.value);
    ZEND_CONSTANT_SET_FLAGS(&constant, 0, 0);
    constant.name = zend_string_init_interned(names[i], strlen(names[i]), 0);
    zend_register_constant(&constant);
  }
}

static int compare_module_names(Bucket *a, Bucket *b) {
  zend_module_entry *ma = Z_PTR(a->val);
  zend_module_entry *mb = Z_PTR(b->val);
  return strcasecmp(ma->name, mb->name);
}

static void print_modules(void) {
  HashTable sorted;
  zend_hash_init(&sorted, 50, NULL, NULL, 0);
  zend_hash_copy(&sorted, &module_registry, NULL);
  zend_hash_sort(&sorted, compare_module_names, 0);
  php_printf("[PHP Modules]\n");
  zend_module_entry *module;
  ZEND_HASH_FOREACH_PTR(&sorted, module) { php_printf("%s\n", module->name); }
  ZEND_HASH_FOREACH_END();
  php_printf("\n[Zend Modules]\n");
  zend_llist_position position;
  for (zend_extension *ext = zend_llist_get_first_ex(&zend_extensions, &position); ext != NULL;
       ext = zend_llist_get_next_ex(&zend_extensions, &position)) {
    php_printf("%s\n", ext->name);
  }
  php_printf("\n");
  zend_hash_destroy(&sorted);
}

static void print_version(void) {
#ifdef ZTS
  const char *threading = "ZTS";
#else
  const char *threading = "NTS";
#endif
  php_printf("PHP %s (zmem-php) (built: %s %s) (%s)\nCopyright (c) The PHP Group\n%s    with zmem (request memory on zmem heaps)\n",
             PHP_VERSION, __DATE__, __TIME__, threading, get_zend_version());
}

/* One request: what php-cli does for a script, -r code, -i or -m. Returns EG(exit_status). */
static int run_request(zp_options *options) {
  SG(request_info).argc = options->script_argc;
  SG(request_info).argv = options->script_argv;
  SG(request_info).path_translated = (char *)options->script;
  SG(options) |= SAPI_OPTION_NO_CHDIR;
  zp_bridge_request_begin();
  if (php_request_startup() == FAILURE) {
    php_request_shutdown(NULL);
    zp_bridge_request_end(1, options->report);
    return 1;
  }
  SG(headers_sent) = 1;
  SG(request_info).no_headers = 1;
  zp_bridge_request_started();
  register_std_handles();

  int bailed_out = 0;
  zend_try {
    if (options->show_info) {
      php_print_info(PHP_INFO_ALL & ~PHP_INFO_CREDITS);
    } else if (options->show_modules) {
      print_modules();
    } else if (options->show_version) {
      print_version();
    } else if (options->code != NULL) {
      zend_eval_string_ex((char *)options->code, NULL, "Command line code", 1);
    } else {
      zend_file_handle handle;
      zend_stream_init_filename(&handle, options->script);
      CG(skip_shebang) = 1;
      php_execute_script(&handle);
      zend_destroy_file_handle(&handle);
    }
  }
  zend_catch { bailed_out = 1; }
  zend_end_try();
  if (CG(unclean_shutdown)) bailed_out = 1;
  int status = EG(exit_status);
  php_request_shutdown(NULL);
  zp_bridge_request_end(bailed_out, options->report);
  return status;
}

int zp_run(zp_options *options) {
  sapi_module_struct *sapi = &php_embed_module;
  zend_signal_startup();
  sapi_startup(sapi);
  sapi->php_ini_ignore = options->ignore_ini;
  sapi->php_ini_path_override = (char *)options->ini_path;
  sapi->ini_entries = build_ini_entries(options->ini_entries);
  /* As php_embed_startup, plus zmem-php's own module when the heap will be a debug heap
   * (see zp_module in heap_bridge.c); otherwise PHP's module list stays php-cli's. */
  zmem_heap_options heap_options;
  zmem_heap_options_from_env(&heap_options);
  int debug_heap = !options->use_zend_allocator && heap_options.debug > 0 && !heap_options.system;
  if (php_module_startup(sapi, debug_heap ? &zp_module : NULL) == FAILURE) {
    fprintf(stderr, "zmem-php: PHP failed to start\n");
    return 1;
  }
  zp_bridge_startup(!options->use_zend_allocator);

  int status = 0;
  for (long i = 0; i < options->repeat; ++i) status = run_request(options);

  zp_bridge_shutdown();
  php_module_shutdown();
  sapi_shutdown();
  free(sapi->ini_entries);
  sapi->ini_entries = NULL;
  return status;
}
