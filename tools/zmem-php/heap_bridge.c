/* Routing PHP's request memory to a zmem heap (see zmem_php.h).
 *
 * Invariant: zp_request_heap is non-NULL exactly between zp_bridge_request_begin
 * and zp_bridge_request_end; only then are ZendMM's custom handlers installed
 * (and do the patched entry points of entry_points.cpp use zmem).  Blocks ZendMM
 * handed out before the switch are recognised through zmem's chunk registry
 * (zmem_free_if_owned) and go back to ZendMM.
 */
#include <php.h>
#include <php_globals.h>
#include <zend_alloc.h>
#include <zend_ini.h>

#include <zmem/zmem.h>

#include "zmem_php.h"

zmem_heap *zp_request_heap;       /* the request heap, while a request runs on zmem */
static zmem_heap *g_owned_heap;   /* made once, reused (reset) for every request */
static zend_mm_heap *g_zend_heap; /* ZendMM's heap, for blocks from before the switch */
static int g_use_zmem;
static size_t g_redirected;       /* libphp slots pointing at entry_points.cpp (0: handlers only) */

/* ---- the three handlers ------------------------------------------------ */

static void *zp_malloc(size_t size) { return zmem_alloc(zp_request_heap, size); }

void zp_free_block(void *p) {
  if (p == NULL) return;
  if (!zmem_free_if_owned(zp_request_heap, p)) _zend_mm_free(g_zend_heap, p);
}

void *zp_realloc_block(void *p, size_t size) {
  void *q = zmem_realloc_if_owned(zp_request_heap, p, size);
  if (q != NULL) return q;
  /* A ZendMM block reallocated during the request moves into zmem. */
  size_t old = _zend_mm_block_size(g_zend_heap, p);
  q = zmem_alloc(zp_request_heap, size);
  memcpy(q, p, old < size ? old : size);
  _zend_mm_free(g_zend_heap, p);
  return q;
}

size_t zp_safe_size(size_t nmemb, size_t size, size_t offset) {
  return zend_safe_address_guarded(nmemb, size, offset);
}

/* zmem's errors inside a request become PHP's.  The limit and out-of-memory
 * errors are PHP's own fatal error (same text); like ZendMM's heap->overflow,
 * the limit is lifted so the error path may allocate, and is set again from
 * memory_limit when the next request starts. */
static void zp_heap_error(zmem_heap *h, int kind, const char *message, void *ctx) {
  (void)ctx;
  if (kind == ZMEM_ERR_LIMIT || kind == ZMEM_ERR_OOM) {
    zmem_heap_set_limit(h, 0);
    zend_error_noreturn(E_ERROR, "%s", message);
  }
  fprintf(stderr, "zmem-php: %s\n", message);
  fflush(stderr);
  abort();
}

/* ---- memory_limit and ini_set('memory_limit') -------------------------- */

static ZEND_INI_MH((*g_original_memory_limit_handler));

/* memory_limit=-1 is ZendMM's largest limit (ZEND_LONG_MAX), not "no limit": a request
 * for more than that still gets PHP's "Allowed memory size" error. */
static size_t limit_bytes(zend_long value) { return value < 0 ? (size_t)ZEND_LONG_MAX : (size_t)value; }

static ZEND_INI_MH(zp_on_set_memory_limit) {
  if (zp_request_heap == NULL) return g_original_memory_limit_handler(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
  zend_long value = zend_ini_parse_quantity_warn(new_value, entry->name);
  if (zmem_heap_set_limit(zp_request_heap, limit_bytes(value)) != 0 && stage != ZEND_INI_STAGE_DEACTIVATE) {
    zend_error(E_WARNING, "Failed to set memory limit to " ZEND_LONG_FMT " bytes (Current memory usage is %zu bytes)",
               value, zmem_usage(zp_request_heap, 1));
    return FAILURE;
  }
  PG(memory_limit) = value;
  return SUCCESS;
}

/* ---- memory_get_usage() & co. ------------------------------------------ */

static zif_handler g_original_get_usage, g_original_get_peak, g_original_reset_peak;

static ZEND_FUNCTION(zp_memory_get_usage) {
  bool real = 0;
  if (zp_request_heap == NULL) {
    g_original_get_usage(INTERNAL_FUNCTION_PARAM_PASSTHRU);
    return;
  }
  ZEND_PARSE_PARAMETERS_START(0, 1)
  Z_PARAM_OPTIONAL
  Z_PARAM_BOOL(real)
  ZEND_PARSE_PARAMETERS_END();
  RETURN_LONG((zend_long)zmem_usage(zp_request_heap, real));
}

static ZEND_FUNCTION(zp_memory_get_peak_usage) {
  bool real = 0;
  if (zp_request_heap == NULL) {
    g_original_get_peak(INTERNAL_FUNCTION_PARAM_PASSTHRU);
    return;
  }
  ZEND_PARSE_PARAMETERS_START(0, 1)
  Z_PARAM_OPTIONAL
  Z_PARAM_BOOL(real)
  ZEND_PARSE_PARAMETERS_END();
  RETURN_LONG((zend_long)zmem_peak_usage(zp_request_heap, real));
}

static ZEND_FUNCTION(zp_memory_reset_peak_usage) {
  if (zp_request_heap == NULL) {
    g_original_reset_peak(INTERNAL_FUNCTION_PARAM_PASSTHRU);
    return;
  }
  ZEND_PARSE_PARAMETERS_NONE();
  zmem_reset_peak(zp_request_heap);
}

static zif_handler replace_function(const char *name, zif_handler handler) {
  zend_function *f = zend_hash_str_find_ptr(CG(function_table), name, strlen(name));
  if (f == NULL || f->type != ZEND_INTERNAL_FUNCTION) return NULL;
  zif_handler original = f->internal_function.handler;
  f->internal_function.handler = handler;
  return original;
}

/* ---- the zmem module -------------------------------------------------- */

/* Destructors have run (php_request_shutdown step 2); the globals are emptied here rather
 * than in shutdown_executor, so that cycles they held become garbage for the collector, as
 * a PHP debug build frees them before it checks for leaks. */
static PHP_RSHUTDOWN_FUNCTION(zmem) {
  if (zp_request_heap != NULL && zmem_heap_mode(zp_request_heap) >= 1 && zmem_heap_mode(zp_request_heap) <= 2) {
    zend_hash_clean(&EG(symbol_table));
    zend_gc_collect_cycles();
  }
  return SUCCESS;
}

zend_module_entry zp_module = {
    STANDARD_MODULE_HEADER, "zmem", NULL, NULL, NULL, NULL, PHP_RSHUTDOWN(zmem), NULL, "0.1.0",
    STANDARD_MODULE_PROPERTIES};

/* ---- lifecycle --------------------------------------------------------- */

void zp_bridge_startup(int use_zmem) {
  g_use_zmem = use_zmem;
  if (!use_zmem) return;
  g_zend_heap = zend_mm_get_heap();
  g_owned_heap = zmem_heap_new(NULL);
  zmem_heap_set_error_handler(g_owned_heap, zp_heap_error, NULL);
  zend_ini_entry *entry = zend_hash_str_find_ptr(EG(ini_directives), "memory_limit", sizeof("memory_limit") - 1);
  if (entry != NULL) {
    g_original_memory_limit_handler = entry->on_modify;
    entry->on_modify = zp_on_set_memory_limit;
  }
  g_original_get_usage = replace_function("memory_get_usage", zif_zp_memory_get_usage);
  g_original_get_peak = replace_function("memory_get_peak_usage", zif_zp_memory_get_peak_usage);
  g_original_reset_peak = replace_function("memory_reset_peak_usage", zif_zp_memory_reset_peak_usage);
  /* ZMEM_PHP_ENTRY=handlers keeps PHP's own entry points (custom handlers only), for A/B runs. */
  const char *entry_points = getenv("ZMEM_PHP_ENTRY");
  if (entry_points == NULL || strcmp(entry_points, "handlers") != 0) g_redirected = zp_entry_points_install();
}

void zp_bridge_request_begin(void) {
  if (!g_use_zmem) return;
  zp_request_heap = g_owned_heap;
  zmem_heap_set_limit(zp_request_heap, 0);
  zend_mm_set_custom_handlers(g_zend_heap, zp_malloc, zp_free_block, zp_realloc_block);
}

void zp_bridge_request_started(void) {
  if (!g_use_zmem) return;
  if (zmem_heap_set_limit(zp_request_heap, limit_bytes(PG(memory_limit))) != 0) {
    zend_error(E_WARNING, "Failed to set memory limit to " ZEND_LONG_FMT " bytes (Current memory usage is %zu bytes)",
               PG(memory_limit), zmem_usage(zp_request_heap, 1));
  }
}

void zp_bridge_request_end(int bailed_out, int report) {
  if (!g_use_zmem) return;
  if (report) {
    fprintf(stderr, "zmem-php: %zu of libphp's allocator references answered by zmem directly%s\n", g_redirected,
            g_redirected == 0 ? " (custom handlers only)" : "");
    zmem_heap_print_report(zp_request_heap, stderr);
  }
  /* Handlers first: from here on, emalloc is ZendMM's again. */
  zend_mm_set_custom_handlers(g_zend_heap, NULL, NULL, NULL);
  if (bailed_out) {
    zmem_heap_reset_silent(zp_request_heap);
  } else {
    zmem_heap_reset(zp_request_heap);
  }
  zp_request_heap = NULL;
}

void zp_bridge_shutdown(void) {
  if (g_owned_heap != NULL) zmem_heap_destroy(g_owned_heap);
  g_owned_heap = NULL;
}
