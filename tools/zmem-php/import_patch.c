/* Redirecting a loaded shared library's imports (see import_patch.h).
 *
 * libphp8.2.so reaches its own exported allocator entry points (_emalloc_56,
 * _efree, ...) through relocated slots, like any other import: PLT call
 * slots, and addresses stored in data (its table of destructors names
 * _efree).  Rewriting those slots sends the calls straight to replacements
 * without touching PHP's code.  Most slots are read-only after relocation
 * (full RELRO); a page is made writable just long enough to store into it.
 *
 * Invariant: a slot is only ever written with a replacement whose signature
 * and behaviour match the symbol's (code comparing addresses would see the
 * replacement), and the value it held before is returned to the caller
 * first, so the original stays callable.
 */
#define _GNU_SOURCE
#include "import_patch.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The relocations that store a symbol's address: call slots (JUMP_SLOT), address slots
 * (GLOB_DAT) and addresses inside data (64-bit absolute, e.g. a table of destructors:
 * PHP's string destructor in rc_dtor_func's table is _efree). */
#if defined(__x86_64__)
#define ZP_PATCHABLE(type) ((type) == R_X86_64_JUMP_SLOT || (type) == R_X86_64_GLOB_DAT || (type) == R_X86_64_64)
#elif defined(__aarch64__)
#define ZP_PATCHABLE(type) \
  ((type) == R_AARCH64_JUMP_SLOT || (type) == R_AARCH64_GLOB_DAT || (type) == R_AARCH64_ABS64)
#endif

typedef struct loaded_library {
  const char *path; /* as the dynamic linker names it (dladdr and dl_iterate_phdr agree) */
  ElfW(Addr) base;
  const ElfW(Dyn) *dynamic;
  ElfW(Addr) relro_start, relro_end;
} loaded_library;

static int find_library(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  loaded_library *lib = data;
  if (info->dlpi_name == NULL || strcmp(info->dlpi_name, lib->path) != 0) return 0;
  lib->base = info->dlpi_addr;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_DYNAMIC) lib->dynamic = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
    if (ph->p_type == PT_GNU_RELRO) {
      lib->relro_start = info->dlpi_addr + ph->p_vaddr;
      lib->relro_end = lib->relro_start + ph->p_memsz;
    }
  }
  return 1;
}

/* glibc relocates the address-valued entries of .dynamic in place on most targets, but not
 * on all; an address below the load base is still a file offset. */
static ElfW(Addr) dynamic_address(const loaded_library *lib, ElfW(Addr) value) {
  return value < lib->base ? lib->base + value : value;
}

static int store_slot(const loaded_library *lib, void **slot, void *value) {
  long page_size = sysconf(_SC_PAGESIZE);
  void *page = (void *)((ElfW(Addr))slot & ~(ElfW(Addr))(page_size - 1));
  ElfW(Addr) at = (ElfW(Addr))slot;
  int in_relro = at >= lib->relro_start && at < lib->relro_end;
  if (in_relro && mprotect(page, (size_t)page_size, PROT_READ | PROT_WRITE) != 0) return 0;
  *slot = value;
  if (in_relro) mprotect(page, (size_t)page_size, PROT_READ);
  return 1;
}

/* The first two characters of every patched symbol, to turn away most of a library's
 * imports (thousands) without comparing them with every patch. */
typedef struct name_filter {
  unsigned char first[256], second[256];
} name_filter;

static void filter_init(name_filter *filter, const zp_import_patch *patches, size_t count) {
  memset(filter, 0, sizeof(*filter));
  for (size_t i = 0; i < count; ++i) {
    const unsigned char *symbol = (const unsigned char *)patches[i].symbol;
    filter->first[symbol[0]] = 1;
    if (symbol[0] != '\0') filter->second[symbol[1]] = 1;
  }
}

static zp_import_patch *find_patch(const name_filter *filter, zp_import_patch *patches, size_t count,
                                   const char *name) {
  const unsigned char *n = (const unsigned char *)name;
  if (!filter->first[n[0]] || n[0] == '\0' || !filter->second[n[1]]) return NULL;
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(patches[i].symbol, name) == 0) return &patches[i];
  }
  return NULL;
}

static size_t patch_table(const loaded_library *lib, const ElfW(Rela) *rela, size_t bytes, const ElfW(Sym) *symbols,
                          const char *names, zp_import_patch *patches, size_t count) {
  size_t patched = 0;
  name_filter filter;
  filter_init(&filter, patches, count);
  for (size_t i = 0; i < bytes / sizeof(ElfW(Rela)); ++i) {
#if defined(ZP_PATCHABLE)
    if (!ZP_PATCHABLE(ELF64_R_TYPE(rela[i].r_info)) || rela[i].r_addend != 0) continue;
    const char *name = names + symbols[ELF64_R_SYM(rela[i].r_info)].st_name;
    zp_import_patch *patch = find_patch(&filter, patches, count, name);
    if (patch == NULL) continue;
    void **slot = (void **)(lib->base + rela[i].r_offset);
    if (*patch->original == NULL) *patch->original = *slot;
    /* Every slot of one symbol must hold the same function (the relocation was resolved to
     * it), or the saved original would lie. */
    if (*slot != *patch->original && *slot != patch->replacement) continue;
    patched += store_slot(lib, slot, patch->replacement);
#else
    (void)lib, (void)rela, (void)symbols, (void)names, (void)patches, (void)count;
#endif
  }
  return patched;
}

size_t zp_patch_imports(const char *symbol_in_library, zp_import_patch *patches, size_t count) {
  Dl_info where;
  void *address = dlsym(RTLD_DEFAULT, symbol_in_library);
  if (address == NULL || !dladdr(address, &where) || where.dli_fname == NULL) return 0;
  loaded_library lib = {where.dli_fname, 0, NULL, 0, 0};
  if (!dl_iterate_phdr(find_library, &lib) || lib.dynamic == NULL) return 0;
  const ElfW(Sym) *symbols = NULL;
  const char *names = NULL;
  const ElfW(Rela) *plt = NULL, *data = NULL;
  size_t plt_bytes = 0, data_bytes = 0;
  for (const ElfW(Dyn) *d = lib.dynamic; d->d_tag != DT_NULL; ++d) {
    switch (d->d_tag) {
      case DT_SYMTAB: symbols = (const ElfW(Sym) *)dynamic_address(&lib, d->d_un.d_ptr); break;
      case DT_STRTAB: names = (const char *)dynamic_address(&lib, d->d_un.d_ptr); break;
      case DT_JMPREL: plt = (const ElfW(Rela) *)dynamic_address(&lib, d->d_un.d_ptr); break;
      case DT_PLTRELSZ: plt_bytes = d->d_un.d_val; break;
      case DT_RELA: data = (const ElfW(Rela) *)dynamic_address(&lib, d->d_un.d_ptr); break;
      case DT_RELASZ: data_bytes = d->d_un.d_val; break;
      default: break;
    }
  }
  if (symbols == NULL || names == NULL) return 0;
  size_t patched = 0;
  if (plt != NULL) patched += patch_table(&lib, plt, plt_bytes, symbols, names, patches, count);
  if (data != NULL) patched += patch_table(&lib, data, data_bytes, symbols, names, patches, count);
  return patched;
}
