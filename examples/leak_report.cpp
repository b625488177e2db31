// A host with a leak, run on a debug heap: what ZMEM_DEBUG=1 and ZMEM_DEBUG=2
// print at request end.  docs/debug.md shows this program's output.
//
//   build/release/bin/leak_report        (debug level 2: sites and stacks)
//   ZMEM_DEBUG=1 build/release/bin/leak_report
#include <zmem/zend_alloc.h>
#include <zmem/zmem.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// An "extension function" that forgets to free its scratch buffer on one path.
__attribute__((noinline)) char* format_name(const char* first, const char* last) {
  char* scratch = static_cast<char*>(emalloc(64));
  std::snprintf(scratch, 64, "%s %s", first, last);
  char* result = estrdup(scratch);
  if (std::strlen(first) > 3) efree(scratch);  // the bug: short names leak `scratch`
  return result;
}

// A cache that is grown with erealloc and never released: the report names both sites.
__attribute__((noinline)) void remember(void** cache, std::size_t count) { *cache = erealloc(*cache, count * 16); }

}  // namespace

int main() {
  zmem_heap_options options;
  zmem_heap_options_from_env(&options);
  if (std::getenv("ZMEM_DEBUG") == nullptr) options.debug = 2;
  zmem_heap* heap = zmem_heap_new(&options);
  zmem_set_current_heap(heap);

  void* cache = nullptr;
  const char* names[][2] = {{"Ada", "Lovelace"}, {"Grace", "Hopper"}, {"Bob", "Smith"}, {"Al", "Kay"}};
  for (auto& name : names) {
    char* full = format_name(name[0], name[1]);
    std::printf("hello, %s\n", full);
    efree(full);
  }
  remember(&cache, 1);
  remember(&cache, 100);

  zmem_heap_reset(heap);  // request end: the debug heap reports what is still live
  zmem_set_current_heap(nullptr);
  zmem_heap_destroy(heap);
  return 0;
}
