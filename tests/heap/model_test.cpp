// Randomized model test: alloc / calloc / realloc / free / free_sized / trim / reset against a
// shadow map of live blocks.  Every block is filled with a pattern derived from its own tag
// (dense up to 4 KiB, head + tail + one word per page above) and checked on free, on realloc
// (the preserved prefix) and before each reset; usage(0) is compared with the model (native:
// sum of block sizes; system: sum of requested sizes).  Seeded: ZMEM_MODEL_SEED fixes the seed,
// ZMEM_MODEL_OPS the operation count; the seed is printed with every failure.
// >= 5 million operations per run normally; scaled down (never skipped) under sanitizers.
#include <chrono>
#include <cstdlib>
#include <random>
#include <unordered_map>

#include "heap_test_support.hpp"

using namespace zmem_test;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ZMEM_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ZMEM_TEST_SANITIZED 1
#endif
#endif
#ifndef ZMEM_TEST_SANITIZED
#define ZMEM_TEST_SANITIZED 0
#endif

namespace {

constexpr std::uint64_t kDefaultOps = ZMEM_TEST_SANITIZED ? 1'500'000 : 5'000'000;
constexpr std::size_t kMaxLive = 10'000;
constexpr std::size_t kMaxLiveBytes = 128 * kMiB;
constexpr std::size_t kDense = 4096;  // blocks up to this size are patterned completely
constexpr std::size_t kEdge = 1024;   // head and tail patterned in bigger blocks

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

std::uint64_t word_at(std::uint64_t tag, std::size_t word_index) {
  return (tag + word_index) * 0x9E3779B97F4A7C15ULL ^ (tag >> 17);
}
std::uint8_t byte_at(std::uint64_t tag, std::size_t i) {
  return static_cast<std::uint8_t>(word_at(tag, i >> 3) >> ((i & 7) * 8));
}

// Calls f(offset, length) for each patterned range of a block of bs bytes.
template <class F>
void for_each_range(std::size_t bs, F&& f) {
  if (bs <= kDense) {
    f(0, bs);
    return;
  }
  f(0, kEdge);
  for (std::size_t off = kPage; off + 8 <= bs - kEdge; off += kPage) f(off, 8);
  f(bs - kEdge, kEdge);
}

void fill_range(std::uint8_t* p, std::size_t off, std::size_t len, std::uint64_t tag) {
  std::size_t i = off, end = off + len;
  for (; i < end && (i & 7); ++i) p[i] = byte_at(tag, i);
  for (; i + 8 <= end; i += 8) {
    std::uint64_t w = word_at(tag, i >> 3);
    std::memcpy(p + i, &w, 8);
  }
  for (; i < end; ++i) p[i] = byte_at(tag, i);
}

// Offset of the first wrong byte in the patterned ranges below `limit`, or SIZE_MAX.
std::size_t check_range(const std::uint8_t* p, std::size_t off, std::size_t len, std::uint64_t tag, std::size_t limit) {
  std::size_t i = off, end = std::min(off + len, limit);
  for (; i < end && (i & 7); ++i)
    if (p[i] != byte_at(tag, i)) return i;
  for (; i + 8 <= end; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != word_at(tag, i >> 3))
      for (std::size_t j = i; j < i + 8; ++j)
        if (p[j] != byte_at(tag, j)) return j;
  }
  for (; i < end; ++i)
    if (p[i] != byte_at(tag, i)) return i;
  return SIZE_MAX;
}

struct Block {
  void* p;
  std::size_t size;  // requested
  std::size_t bs;    // block_size at allocation
  std::uint64_t tag;
};

void fill_block(const Block& b) {
  for_each_range(b.bs, [&](std::size_t off, std::size_t len) {
    fill_range(static_cast<std::uint8_t*>(b.p), off, len, b.tag);
  });
}
std::size_t check_block(const Block& b, std::size_t limit) {
  std::size_t bad = SIZE_MAX;
  for_each_range(b.bs, [&](std::size_t off, std::size_t len) {
    if (bad == SIZE_MAX) bad = check_range(static_cast<const std::uint8_t*>(b.p), off, len, b.tag, limit);
  });
  return bad;
}

class Model : public HeapModeTest {
 protected:
  std::size_t random_size() {
    std::uint32_t r = rng_() % 10000;
    auto between = [&](std::size_t lo, std::size_t hi) { return lo + rng_() % (hi - lo + 1); };
    if (r < 6000) return between(1, 128);
    if (r < 8500) return between(129, kMaxSmall);
    if (r < 9700) return between(kMaxSmall + 1, 32768);
    if (r < 9989) return between(32769, 262144);
    if (r < 9998) return between(262145, kMaxLarge + 8);
    return between(kMaxLarge + 1, 6 * kMiB);
  }
  /// Native: the bin / page-rounded size.  Debug level 1: the same for the block plus its
  /// 80-byte header and 8-byte canary (docs/debug.md).  System: the requested size.
  std::size_t model_usage(const Block& b) const {
    if (GetParam().system) return b.size;
    if (GetParam().debug) return native_block_size(b.size + 80 + 8);
    return native_block_size(b.size);
  }

  void add(void* p, std::size_t size) {
    Block b{p, size, zmem_block_size(h, p), rng_()};
    index_[p] = live_.size();
    live_.push_back(b);
    live_bytes_ += b.bs;
    usage_ += model_usage(b);
    fill_block(b);
  }
  void remove_at(std::size_t i) {
    const Block& b = live_[i];
    index_.erase(b.p);
    live_bytes_ -= b.bs;
    usage_ -= model_usage(b);
    if (i + 1 != live_.size()) {
      live_[i] = live_.back();
      index_[live_[i].p] = i;
    }
    live_.pop_back();
  }

  testing::AssertionResult check_new(void* p, std::size_t size, std::uint64_t op) {
    if (p == nullptr) return testing::AssertionFailure() << "op " << op << ": null for size " << size;
    if (!aligned(p, 8)) return testing::AssertionFailure() << "op " << op << ": " << p << " not 8-aligned";
    if (index_.count(p)) return testing::AssertionFailure() << "op " << op << ": " << p << " is already live";
    std::size_t bs = zmem_block_size(h, p);
    if (bs < size) return testing::AssertionFailure() << "op " << op << ": block_size " << bs << " < " << size;
    if (is_native() && bs != native_block_size(size))
      return testing::AssertionFailure() << "op " << op << ": block_size " << bs << " for size " << size
                                         << ", expected " << native_block_size(size);
    return testing::AssertionSuccess();
  }
  testing::AssertionResult check_pattern(const Block& b, std::size_t limit, std::uint64_t op, const char* what) {
    std::size_t bad = check_block(b, limit);
    if (bad == SIZE_MAX) return testing::AssertionSuccess();
    return testing::AssertionFailure() << "op " << op << " (" << what << "): block " << b.p << " size " << b.size
                                       << " block_size " << b.bs << " damaged at offset " << bad;
  }

  void run(std::uint64_t ops, std::uint32_t reset_every, std::uint64_t seed) {
    rng_.seed(seed);
    for (std::uint64_t op = 0; op < ops; ++op) {
      std::uint32_t r = rng_() % 1000;
      bool full = live_.size() >= kMaxLive || live_bytes_ >= kMaxLiveBytes;
      if (rng_() % reset_every == 0) {
        for (const Block& b : live_) ASSERT_TRUE(check_pattern(b, b.bs, op, "before reset"));
        zmem_heap_reset(h);
        live_.clear();
        index_.clear();
        live_bytes_ = usage_ = 0;
        ASSERT_EQ(zmem_usage(h, 0), 0u) << "op " << op;
        ASSERT_EQ(zmem_peak_usage(h, 0), 0u) << "op " << op;
        ++resets_;
      } else if (r < 400 && !full) {  // alloc
        std::size_t size = random_size();
        void* p = zmem_alloc(h, size);
        ASSERT_TRUE(check_new(p, size, op));
        add(p, size);
      } else if (r < 450 && !full) {  // calloc
        std::size_t size = random_size();
        std::size_t count = 1 + rng_() % 4;
        size = std::max<std::size_t>(size / count, 1);
        void* p = zmem_calloc(h, count, size);
        ASSERT_TRUE(check_new(p, count * size, op));
        ASSERT_TRUE(all_zero(p, count * size)) << "op " << op << ": calloc(" << count << ", " << size << ") not zeroed";
        add(p, count * size);
      } else if (r < 650 && !live_.empty()) {  // realloc
        std::size_t i = rng_() % live_.size();
        Block old = live_[i];
        std::size_t size = (rng_() % 4 == 0) ? std::max<std::size_t>(old.size / 2, 1)
                           : (rng_() % 2 == 0) ? old.size + rng_() % (old.size + 64) : random_size();
        size = std::min<std::size_t>(size, 8 * kMiB);
        remove_at(i);
        void* q = zmem_realloc(h, old.p, size);
        ASSERT_TRUE(check_new(q, size, op));
        Block moved = old;
        moved.p = q;
        ASSERT_TRUE(check_pattern(moved, std::min(old.size, size), op, "realloc prefix"));
        add(q, size);
      } else if (!live_.empty()) {  // free
        std::size_t i = rng_() % live_.size();
        Block b = live_[i];
        ASSERT_TRUE(check_pattern(b, b.bs, op, "free"));
        if (rng_() % 8 == 0) {
          ASSERT_TRUE(zmem_owns(h, b.p)) << "op " << op << ": live block " << b.p << " not owned";
        }
        remove_at(i);
        if (rng_() % 2)
          zmem_free_sized(h, b.p, b.size);
        else
          zmem_free(h, b.p);
      }
      if (rng_() % 200'000 == 0) {
        zmem_heap_trim(h);
        ++trims_;
      }
      if ((op & 1023) == 0) {
        ASSERT_EQ(zmem_usage(h, 0), usage_) << "op " << op << ": usage differs from the model";
        ASSERT_GE(zmem_peak_usage(h, 0), usage_) << "op " << op;
        if (is_native()) {
          ASSERT_GE(zmem_usage(h, 1), usage_) << "op " << op;
        }
      }
    }
    for (const Block& b : live_) ASSERT_TRUE(check_pattern(b, b.bs, ops, "final sweep"));
    ASSERT_EQ(zmem_usage(h, 0), usage_);
    while (!live_.empty()) {
      Block b = live_.back();
      remove_at(live_.size() - 1);
      zmem_free(h, b.p);
    }
    EXPECT_EQ(zmem_usage(h, 0), 0u);
  }

  std::uint64_t seed() {
    std::uint64_t s = env_u64("ZMEM_MODEL_SEED", 0);
    if (s == 0) s = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    return s;
  }

  std::mt19937_64 rng_;
  std::vector<Block> live_;
  std::unordered_map<void*, std::size_t> index_;
  std::size_t live_bytes_ = 0, usage_ = 0;
  std::uint64_t resets_ = 0, trims_ = 0;
};
ZMEM_INSTANTIATE_HEAP_MODES(Model);

// The main model run: >= 5 M mixed operations (scaled under sanitizers) with occasional resets.
TEST_P(Model, RandomOperationsMatchShadow) {
  const std::uint64_t s = seed();
  const std::uint64_t ops = env_u64("ZMEM_MODEL_OPS", kDefaultOps);
  SCOPED_TRACE(testing::Message() << "seed " << s << " (rerun with ZMEM_MODEL_SEED=" << s << ")");
  RecordProperty("seed", std::to_string(s));
  auto t0 = std::chrono::steady_clock::now();
  run(ops, static_cast<std::uint32_t>(std::max<std::uint64_t>(ops / 20, 1)), s);  // ~20 resets per run
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::printf("model: %llu ops, %llu resets, %llu trims, seed %llu, %lld ms\n", (unsigned long long)ops,
              (unsigned long long)resets_, (unsigned long long)trims_, (unsigned long long)s, (long long)ms);
  if (!ZMEM_TEST_SANITIZED && env_u64("ZMEM_MODEL_OPS", 0) == 0) {
    EXPECT_GE(ops, 5'000'000u);
  }
}

// Short requests: a reset every ~2,000 operations exercises the reset and chunk-cache paths.
TEST_P(Model, FrequentResetsMatchShadow) {
  const std::uint64_t s = seed();
  SCOPED_TRACE(testing::Message() << "seed " << s << " (rerun with ZMEM_MODEL_SEED=" << s << ")");
  RecordProperty("seed", std::to_string(s));
  run(kDefaultOps / 10, 2'000, s);
  EXPECT_GT(resets_, 10u);
}

}  // namespace
