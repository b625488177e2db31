// Stack capture (glibc backtrace) and symbolization (elfutils libdwfl: function
// names from the symbol tables, file:line from DWARF where present).  The
// symbolizer is created on first use and kept for the life of the process,
// since a leak report usually prints many stacks.
#include <elfutils/libdwfl.h>
#include <execinfo.h>
#include <unistd.h>

#include <cxxabi.h>

#include <cinttypes>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "platform/platform.hpp"

namespace zmem::platform {

namespace {

std::mutex g_dwfl_mutex;
Dwfl* g_dwfl = nullptr;

Dwfl* symbolizer() {
  if (g_dwfl != nullptr) return g_dwfl;
  static char* debuginfo_path = nullptr;
  static const Dwfl_Callbacks callbacks = {
      dwfl_linux_proc_find_elf,
      dwfl_standard_find_debuginfo,
      nullptr,
      &debuginfo_path,
  };
  Dwfl* dwfl = dwfl_begin(&callbacks);
  if (dwfl == nullptr) return nullptr;
  if (dwfl_linux_proc_report(dwfl, getpid()) != 0 || dwfl_report_end(dwfl, nullptr, nullptr) != 0) {
    dwfl_end(dwfl);
    return nullptr;
  }
  g_dwfl = dwfl;
  return g_dwfl;
}

}  // namespace

int capture_stack(void** frames, int max, int skip) noexcept {
  void* buffer[64];
  int wanted = max + skip + 1 < 64 ? max + skip + 1 : 64;
  int n = ::backtrace(buffer, wanted);
  int count = 0;
  for (int i = skip + 1; i < n && count < max; ++i) frames[count++] = buffer[i];
  return count;
}

void print_stack(void* out, void* const* frames, int count) noexcept {
  auto* file = static_cast<FILE*>(out);
  std::lock_guard<std::mutex> lock(g_dwfl_mutex);
  Dwfl* dwfl = symbolizer();
  bool in_zmem = true;  // leading frames inside zmem itself say nothing about the caller
  for (int i = 0, shown = 0; i < count; ++i) {
    // A return address points after the call: look up the call instruction itself.
    auto addr = reinterpret_cast<Dwarf_Addr>(frames[i]) - 1;
    const char* name = nullptr;
    GElf_Off offset = 0;
    const char* src = nullptr;
    int line = 0;
    if (dwfl != nullptr) {
      if (Dwfl_Module* module = dwfl_addrmodule(dwfl, addr)) {
        GElf_Sym sym;
        name = dwfl_module_addrinfo(module, addr, &offset, &sym, nullptr, nullptr, nullptr);
        if (Dwfl_Line* l = dwfl_module_getsrc(module, addr)) src = dwfl_lineinfo(l, nullptr, &line, nullptr, nullptr, nullptr);
      }
    }
    if (in_zmem && name != nullptr && (std::strncmp(name, "zmem_", 5) == 0 || std::strncmp(name, "_ZN4zmem", 8) == 0)) {
      continue;
    }
    in_zmem = false;
    int status = -1;
    char* readable = name != nullptr && name[0] == '_' && name[1] == 'Z'
                         ? abi::__cxa_demangle(name, nullptr, nullptr, &status)
                         : nullptr;
    std::fprintf(file, "    #%d %p %s+0x%" PRIx64, shown++, frames[i],
                 readable != nullptr ? readable : (name != nullptr ? name : "??"), static_cast<std::uint64_t>(offset));
    std::free(readable);
    if (src != nullptr) std::fprintf(file, " (%s:%d)", src, line);
    std::fputc('\n', file);
  }
}

}  // namespace zmem::platform
