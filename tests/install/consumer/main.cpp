// Uses an installed zmem from C++: a heap, a reset, the limit as an exception, the STL adaptors.
#include <zmem/zmem.hpp>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#define CHECK(cond)                                                 \
  do {                                                              \
    if (!(cond)) {                                                  \
      std::fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      return 1;                                                     \
    }                                                               \
  } while (0)

int main() {
  zmem::Heap heap({.limit = 8u << 20});
  char* text = static_cast<char*>(heap.alloc(100));
  std::strcpy(text, "installed zmem");
  CHECK(heap.owns(text));
  CHECK(heap.block_size(text) >= 100);
  CHECK(heap.usage() >= 100);
  CHECK(heap.usage(true) >= heap.usage());

  {
    std::vector<int, zmem::HeapAllocator<int>> numbers{zmem::HeapAllocator<int>(heap)};
    for (int i = 0; i < 1000; ++i) numbers.push_back(i);
    CHECK(numbers[999] == 999);
  }

  bool limited = false;
  try {
    heap.alloc(16u << 20);
  } catch (const zmem::MemoryLimitError& e) {
    limited = std::string_view(e.what()).starts_with("Allowed memory size of 8388608 bytes exhausted");
  }
  CHECK(limited);
  CHECK(std::strcmp(text, "installed zmem") == 0);  // the failed call changed nothing

  heap.reset();
  CHECK(heap.usage() == 0);
  std::printf("consumer_cpp: ok (heap #%u, real usage %zu bytes)\n", heap.id(), heap.usage(true));
  return 0;
}
