// Linux implementations of the platform primitives (mmap, munmap, madvise,
// mremap, getrandom).  Alignment is obtained the way ZendMM does it: map
// once; if misaligned, map size + alignment and trim both ends.
#include "platform/platform.hpp"

#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>

namespace zmem::platform {

namespace {
void* raw_map(std::size_t size) noexcept {
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}
}  // namespace

void* map_aligned(std::size_t size, std::size_t alignment) noexcept {
  void* p = raw_map(size);
  if (p == nullptr) return nullptr;
  auto addr = reinterpret_cast<std::uintptr_t>(p);
  if ((addr & (alignment - 1)) == 0) return p;
  ::munmap(p, size);
  // Over-map and cut: the kernel gives page alignment only.
  std::size_t padded = size + alignment - kOsPageSize;
  p = raw_map(padded);
  if (p == nullptr) return nullptr;
  addr = reinterpret_cast<std::uintptr_t>(p);
  std::uintptr_t aligned = (addr + alignment - 1) & ~(alignment - 1);
  std::size_t head = aligned - addr;
  if (head != 0) ::munmap(p, head);
  std::size_t tail = padded - head - size;
  if (tail != 0) ::munmap(reinterpret_cast<void*>(aligned + size), tail);
  return reinterpret_cast<void*>(aligned);
}

void unmap(void* p, std::size_t size) noexcept { ::munmap(p, size); }

void discard(void* p, std::size_t size) noexcept { ::madvise(p, size, MADV_DONTNEED); }

void advise_huge_pages(void* p, std::size_t size) noexcept { ::madvise(p, size, MADV_HUGEPAGE); }

void advise_small_pages(void* p, std::size_t size) noexcept { ::madvise(p, size, MADV_NOHUGEPAGE); }

bool remap_in_place(void* p, std::size_t old_size, std::size_t new_size) noexcept {
  // Without MREMAP_MAYMOVE the mapping keeps its (2 MiB-aligned) address or fails.
  return ::mremap(p, old_size, new_size, 0) != MAP_FAILED;
}

bool map_at(void* p, std::size_t size) noexcept {
  void* q = ::mmap(p, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (q == MAP_FAILED) return false;
  if (q == p) return true;
  ::munmap(q, size);  // a kernel older than 4.17 took the address as a hint only
  return false;
}

bool is_mapped(void* p, std::size_t size) noexcept {
  // MADV_NORMAL changes nothing a heap sets (read-ahead hints only) and fails on a hole.
  return ::madvise(p, size, MADV_NORMAL) == 0;
}

bool move_pages(void* from, std::size_t from_size, void* to, std::size_t to_size) noexcept {
  return ::mremap(from, from_size, to_size, MREMAP_MAYMOVE | MREMAP_FIXED, to) == to;
}

void* reserve_zeroed(std::size_t size) noexcept {
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

std::uint64_t random_u64() noexcept {
  std::uint64_t value = 0;
  if (::getrandom(&value, sizeof value, GRND_NONBLOCK) == sizeof value) return value;
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  value = static_cast<std::uint64_t>(ts.tv_nsec) * 0x9E3779B97F4A7C15ull ^ reinterpret_cast<std::uintptr_t>(&value);
  return value | 1;
}

}  // namespace zmem::platform
