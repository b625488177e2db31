// The process's resident memory, as Linux reports it: now from /proc/self/statm (its second
// field, in pages) and the peak from getrusage (ru_maxrss, in KiB), and a range's from
// mincore.  statm is opened per call rather than kept open: a descriptor of /proc/self opened
// before a fork would describe the parent.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>

#include "platform/platform.hpp"

namespace zmem::platform {

bool resident_memory(std::size_t* now, std::size_t* peak) noexcept {
  int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char text[128];
  ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return false;
  text[n] = '\0';
  char* field = nullptr;
  std::strtoull(text, &field, 10);  // total program size
  char* end = nullptr;
  unsigned long long pages = std::strtoull(field, &end, 10);
  if (field == text || end == field) return false;
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return false;
  *now = static_cast<std::size_t>(pages) * kOsPageSize;
  *peak = static_cast<std::size_t>(usage.ru_maxrss) * 1024;
  return true;
}

bool resident_bytes(const void* p, std::size_t size, std::size_t* out) noexcept {
  constexpr std::size_t kBatch = 4096;  // pages per mincore call
  unsigned char flags[kBatch];
  auto* at = static_cast<unsigned char*>(const_cast<void*>(p));
  std::size_t pages = size / kOsPageSize, resident = 0;
  for (std::size_t done = 0; done < pages;) {
    std::size_t n = pages - done < kBatch ? pages - done : kBatch;
    if (::mincore(at + done * kOsPageSize, n * kOsPageSize, flags) != 0) return false;
    for (std::size_t i = 0; i < n; ++i) resident += flags[i] & 1;
    done += n;
  }
  *out = resident * kOsPageSize;
  return true;
}

}  // namespace zmem::platform
