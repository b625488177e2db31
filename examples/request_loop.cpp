// request_loop: a host that serves 1,000 requests on one zmem heap, the way PHP's SAPI loop
// serves requests on one ZendMM heap (php_request_startup ... php_request_shutdown).
//
// Each request allocates a few thousand small blocks, some large runs and now and then a huge
// block, frees most of them as it goes, and at its end frees the rest -- except the leaky
// requests (every 7th), which forget a third of their blocks.  The host never looks for
// leaks: heap.reset() at request end reclaims everything, as zend_mm_shutdown(heap, 0, 1) does.
// One request (the middle one) runs away: it doubles a buffer until the 16 MiB limit stops it
// with "Allowed memory size of 16777216 bytes exhausted ...".  The host catches the error,
// resets the heap and goes on serving.
//
// For every request it prints usage (live bytes at request end: the leak, if any), peak, real
// usage (bytes mapped: chunks and huge blocks, cached ones included) and peak real usage.  The
// summary shows real usage flat across requests: the last requests need no more memory than
// the first ones, leaks and the runaway request notwithstanding.  Exit status 1 if it grew.
//
// Options: --requests N (1000), --limit MiB (16), --every K (print every K-th request; 0:
// summary only).  The heap's mode comes from the environment (ZMEM_ALLOC=system, ZMEM_DEBUG=1,
// see docs/heap.md); the limit from --limit.
#include <zmem/zmem.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr std::size_t kChunk = 2 * kMiB;  // zmem's chunk: the unit of real usage

struct Figures {
  std::size_t usage, peak, real, real_peak, real_after_reset;
};

std::string mib(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f MiB", static_cast<double>(bytes) / kMiB);
  return text;
}

// One ordinary request: churn through small, large and sometimes huge blocks.
// Returns the number of blocks deliberately left for reset() to reclaim.
std::size_t serve(zmem::Heap& heap, unsigned number, bool leaky) {
  std::mt19937 random(number);
  std::vector<void*> live;
  auto free_one = [&] {
    std::size_t i = random() % live.size();
    heap.free(live[i]);
    live[i] = live.back();
    live.pop_back();
  };
  const unsigned steps = 3000 + random() % 3000;
  for (unsigned step = 0; step < steps; ++step) {
    unsigned dice = random() % 1000;
    std::size_t size;
    if (dice < 900) {
      size = 8 + random() % (dice < 600 ? 120 : 3064);  // small: mostly tiny, some up to 3 KiB
    } else if (dice < 905) {
      size = 4096 + random() % (256 * 1024);  // large: whole pages in a chunk
    } else {
      if (!live.empty()) free_one();
      continue;
    }
    void* p = heap.alloc(size);
    std::memset(p, 0xAB, std::min<std::size_t>(size, 64));
    live.push_back(p);
    if (live.size() > 2000) free_one();
  }
  if (number % 25 == 0) live.push_back(heap.alloc(3 * kMiB));  // huge: a mapping of its own
  // A string that grows the way PHP's smart_str does.
  std::size_t capacity = 64;
  char* text = static_cast<char*>(heap.alloc(capacity));
  for (std::size_t length = 0; length < 20000; length += 100) {
    if (length + 100 > capacity) text = static_cast<char*>(heap.realloc(text, capacity *= 2));
    std::memset(text + length, 'x', 100);
  }
  live.push_back(text);

  std::size_t leaked = leaky ? live.size() / 3 : 0;
  while (live.size() > leaked) free_one();
  return leaked;
}

// The runaway request: doubles a buffer until the limit stops it.
std::string run_away(zmem::Heap& heap) {
  std::size_t size = 64 * 1024;
  char* buffer = static_cast<char*>(heap.alloc(size));
  try {
    for (;;) {
      buffer = static_cast<char*>(heap.realloc(buffer, size * 2));
      size *= 2;
      std::memset(buffer + size / 2, 'y', size / 2);
    }
  } catch (const zmem::MemoryLimitError& e) {
    // The heap is consistent and `buffer` is untouched; reset() will take it.
    return std::string("limit: ") + e.what() + ", recovered";
  }
}

std::size_t window_max(const std::vector<Figures>& all, std::size_t from, std::size_t to,
                       std::size_t Figures::*field) {
  std::size_t top = 0;
  for (std::size_t i = from; i < to && i < all.size(); ++i) top = std::max(top, all[i].*field);
  return top;
}

int usage_error(const char* program) {
  std::fprintf(stderr, "usage: %s [--requests N] [--limit MiB] [--every K]\n", program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned requests = 1000, every = 1;
  std::size_t limit_mib = 16;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      usage_error(argv[0]);
      return 0;
    }
    if (i + 1 >= argc) return usage_error(argv[0]);
    unsigned long value = std::strtoul(argv[++i], nullptr, 10);
    if (arg == "--requests" && value >= 1) requests = static_cast<unsigned>(value);
    else if (arg == "--limit" && value >= 4) limit_mib = value;
    else if (arg == "--every") every = static_cast<unsigned>(value);
    else return usage_error(argv[0]);
  }

  zmem::HeapOptions options = zmem::HeapOptions::from_env();
  options.limit = limit_mib * kMiB;
  zmem::Heap heap(options);
  const unsigned runaway = requests / 2 + 1;

  std::printf("request_loop: %u requests on heap #%u, limit %s\n", requests, heap.id(),
              mib(heap.limit()).c_str());
  std::printf("%7s  %12s  %12s  %12s  %12s  %s\n", "request", "usage", "peak", "real", "real peak",
              "(usage and real at request end, before the reset)");

  std::vector<Figures> all;
  std::size_t leaky_requests = 0, leaked_blocks = 0, leaked_bytes = 0;
  for (unsigned number = 1; number <= requests; ++number) {
    std::string note;
    if (number == runaway) {
      note = run_away(heap);
    } else {
      bool leaky = number % 7 == 0;
      std::size_t leaked = serve(heap, number, leaky);
      if (leaky) {
        ++leaky_requests;
        leaked_blocks += leaked;
        leaked_bytes += heap.usage();
        note = "leaked " + std::to_string(leaked) + " blocks on purpose";
      }
    }
    Figures f{heap.usage(), heap.peak_usage(), heap.usage(true), heap.peak_usage(true), 0};
    heap.reset();  // request end: everything the request allocated is gone
    f.real_after_reset = heap.usage(true);
    all.push_back(f);
    if (every != 0 && (number % every == 0 || number == runaway)) {
      std::printf("%7u  %12s  %12s  %12s  %12s  %s\n", number, mib(f.usage).c_str(), mib(f.peak).c_str(),
                  mib(f.real).c_str(), mib(f.real_peak).c_str(), note.c_str());
    }
  }

  // Flat: the last tenth of the requests needs no more real memory than the first tenth
  // (one chunk of slack for the random workload), whatever leaked or ran away in between.
  const std::size_t tenth = std::max<std::size_t>(1, requests / 10);
  const std::size_t first = window_max(all, 0, tenth, &Figures::real);
  const std::size_t last = window_max(all, requests - tenth, requests, &Figures::real);
  const std::size_t first_kept = window_max(all, 0, tenth, &Figures::real_after_reset);
  const std::size_t last_kept = window_max(all, requests - tenth, requests, &Figures::real_after_reset);
  const bool flat = last <= first + kChunk && last_kept <= first_kept + kChunk;

  std::printf("\nsummary\n");
  std::printf("  leaks: %zu requests left %zu blocks (%s) behind; every reset reclaimed them\n", leaky_requests,
              leaked_blocks, mib(leaked_bytes).c_str());
  std::printf("  real usage at request end: requests 1-%zu at most %s, requests %zu-%u at most %s\n", tenth,
              mib(first).c_str(), requests - tenth + 1, requests, mib(last).c_str());
  std::printf("  real usage kept between requests (chunk cache): first %zu at most %s, last %zu at most %s\n",
              tenth, mib(first_kept).c_str(), tenth, mib(last_kept).c_str());
  const std::size_t given_back = heap.trim();
  std::printf("  trim() at the end gave back %s; real usage now %s\n", mib(given_back).c_str(),
              mib(heap.usage(true)).c_str());
  std::printf("  real usage %s across %u requests\n", flat ? "stayed flat" : "GREW", requests);
  return flat ? 0 : 1;
}
