/* Redirecting a loaded shared library's references to symbols.
 *
 * zp_patch_imports() finds the loaded library that defines the exported symbol
 * `symbol_in_library` and, for every relocated slot naming one of
 * `patches[i].symbol` (call slots, address slots, addresses in data without
 * addend), stores `replacement` there after saving the slot's previous value in
 * `*original` (if still NULL).  Calls the library makes to those symbols, direct
 * or through stored addresses, then reach the replacements.  Returns the number
 * of slots rewritten (0 if the library is not loaded or the target is not
 * x86-64/AArch64).
 */
#ifndef ZMEM_PHP_IMPORT_PATCH_H
#define ZMEM_PHP_IMPORT_PATCH_H

#include <stddef.h>

typedef struct zp_import_patch {
  const char *symbol;
  void *replacement;
  void **original;
} zp_import_patch;

size_t zp_patch_imports(const char *symbol_in_library, zp_import_patch *patches, size_t count);

#endif
