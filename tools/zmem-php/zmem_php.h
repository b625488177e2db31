/* zmem-php: the pieces of the host and how they meet.
 *
 * main.c        parses php-cli's flags into zp_options and runs the host.
 * php_host.c    brings PHP up through the embed SAPI and runs N requests.
 * heap_bridge.c routes each request's emalloc/efree/erealloc to a zmem heap
 *               (zend_mm_set_custom_handlers), hands blocks that ZendMM gave
 *               out before the switch back to ZendMM, turns zmem's limit error
 *               into PHP's fatal error, keeps memory_limit and ini_set in step
 *               with the zmem heap, and answers memory_get_usage() & co.
 * entry_points.cpp points libphp's calls of _emalloc, _efree & co. straight at
 *               the request heap (import_patch.c rewrites libphp's PLT slots),
 *               skipping ZendMM's custom-handler detour.
 */
#ifndef ZMEM_PHP_H
#define ZMEM_PHP_H

#include <stddef.h>

typedef struct zp_options {
  int ignore_ini;          /* -n */
  const char *ini_path;    /* -c FILE */
  char *ini_entries;       /* -d key=value lines, "\n"-separated, malloc'd */
  const char *script;      /* -f FILE or the first argument */
  const char *code;        /* -r CODE */
  int script_argc;         /* $argc: script (or "Standard input code") + arguments */
  char **script_argv;
  int show_version;        /* -v */
  int show_modules;        /* -m */
  int show_info;           /* -i */
  int use_zend_allocator;  /* --allocator=zend */
  int report;              /* --zmem-report or ZMEM_REPORT=1 */
  long repeat;             /* --repeat=N */
} zp_options;

/* Runs the host; returns the process exit status (php's: 255 after a fatal error). */
int zp_run(zp_options *options);

/* heap_bridge.c */
struct _zend_module_entry;
/* A module, registered only on debug heaps, whose RSHUTDOWN (after the request's
 * destructors) empties the globals and runs the cycle collector, as PHP's debug builds do at
 * shutdown, so objects left in cycles are freed rather than reported as leaks. */
extern struct _zend_module_entry zp_module;
void zp_bridge_startup(int use_zmem);     /* after module startup: hooks the INI entry and functions */
void zp_bridge_request_begin(void);       /* before php_request_startup() */
void zp_bridge_request_started(void);     /* after php_request_startup(): applies memory_limit */
void zp_bridge_request_end(int bailed_out, int report); /* after php_request_shutdown() */
void zp_bridge_shutdown(void);

/* The request heap (NULL outside a request) and the handlers' bodies, shared with
 * entry_points.cpp: free and realloc accept blocks of zmem or of ZendMM. */
struct zmem_heap;
extern struct zmem_heap *zp_request_heap;
void zp_free_block(void *p);
void *zp_realloc_block(void *p, size_t size);
/* nmemb * size + offset, or PHP's "Possible integer overflow in memory allocation" fatal error. */
size_t zp_safe_size(size_t nmemb, size_t size, size_t offset);

/* entry_points.cpp: returns the number of libphp call slots redirected (0: handlers only). */
size_t zp_entry_points_install(void);

#endif
