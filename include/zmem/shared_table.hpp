// zmem::SharedTable: a persistent, thread-safe table of string key -> value for
// state shared between threads (caches, configuration): readers in parallel,
// writers exclusive.  Counterpart: what APCu's shared cache or a ZTS
// extension's mutex-guarded persistent HashTable give PHP.
//
// What it holds: persistent deep copies, never request memory.  put() encodes a
// value (null, bool, int, float, string, array of those, nested to any depth)
// into one compact block of persistent memory (zmem_persistent_alloc); get()
// decodes it into a new value on the calling thread's current heap.  A reader
// therefore never shares a refcounted payload with another thread, and nothing
// a request allocated is reachable from the table once the request resets.
//
//   entry := tag payload                 (tags: n f t l d s a)
//     l: int64          d: double        s: u64 length, bytes
//     a: u32 count, then count x (key, entry)
//        key: 'i' int64  |  's' u64 length, bytes
//
// Objects, resources and internal zvals (kPtr, kIndirect) cannot be copied and
// are refused (std::invalid_argument); references are stored as the value they
// hold.  Encoding and decoding use explicit stacks: the depth of the data never
// grows the C stack; arrays nested deeper than kMaxDepth (a recursive array
// built through references) are refused.
//
// Raw pointers: put_pointer() stores a host pointer as it is (the table does not
// own it).  It must be persistent memory (pemalloc(..., 1), malloc, static); a
// pointer into request memory would dangle after the request's reset.  When the
// current heap is a debug heap (zmem_heap_mode 1 or 2), put_pointer() refuses a
// pointer any request heap owns with a HeapError (ZMEM_ERR_FOREIGN) naming it.
//
// Thread rule: every member function may be called from any thread at once.
// get() allocates on the calling thread's current heap (a running Request's heap),
// so a memory-limit error there arrives as that heap's error (a bailout inside a
// Request), with the lock released by unwinding.  Destroy the table (MSHUTDOWN)
// before the engine shuts down, or its blocks are reported as persistent leaks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "value.hpp"

#pragma GCC visibility push(default)

namespace zmem {

class SharedTable {
 public:
  /// Arrays nested deeper than this are refused by put().
  static constexpr std::size_t kMaxDepth = 4096;

  /// `name` appears in error messages.
  explicit SharedTable(std::string name = "shared table");
  /// Frees every persistent copy.  No other thread may use the table any more.
  ~SharedTable();
  // Copying is not supported: two tables would both free the same persistent blocks.
  SharedTable(const SharedTable&) = delete;
  SharedTable& operator=(const SharedTable&) = delete;

  /// Stores a persistent deep copy of v under key, replacing what was there.  v is read
  /// on the calling thread (it must be this thread's value); the copy is made before the
  /// write lock is taken.  std::invalid_argument for objects, resources, internal zvals
  /// and nesting deeper than kMaxDepth (the table is unchanged then).
  void put(std::string_view key, const Value& v);
  void put(std::string_view key, const Zval& v);
  /// As put(), only if key is absent.  Returns false (table unchanged) if it was present.
  bool add(std::string_view key, const Value& v);

  /// A copy of the value under key on the calling thread's current heap (refcount 1,
  /// owned by the caller), or nullopt if key is absent or holds a raw pointer.
  std::optional<Value> get(std::string_view key) const;
  bool contains(std::string_view key) const;
  /// Removes key; false if it was absent.
  bool erase(std::string_view key);
  void clear();
  std::size_t size() const;
  /// Persistent bytes held by the encoded values.
  std::size_t bytes() const;

  /// Stores the pointer p (and a size the caller may use) under key.  The table neither
  /// copies nor frees *p: it must stay valid as long as the entry, so it must not be
  /// request memory.  Debug heaps (current heap mode 1 or 2): a pointer owned by any
  /// request heap is refused with HeapError(ZMEM_ERR_FOREIGN); the table is unchanged.
  void put_pointer(std::string_view key, const void* p, std::size_t size = 0);
  /// The pointer stored by put_pointer (and its size), or nullptr if key is absent or
  /// holds a value.
  const void* get_pointer(std::string_view key, std::size_t* size = nullptr) const;

  const std::string& name() const noexcept { return name_; }

 private:
  struct Entry {
    const void* data = nullptr;  // encoded value (persistent block) or the host pointer
    std::size_t size = 0;
    bool is_pointer = false;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>>;

  /// Puts `entry` under key (replacing, or only when absent if !replace); frees what goes.
  /// Returns false if nothing was stored (key present, !replace).
  bool store(std::string_view key, Entry entry, bool replace);
  static void free_entry(const Entry& entry) noexcept;

  std::string name_;
  mutable std::shared_mutex mutex_;
  Map map_;
  std::size_t bytes_ = 0;
};

}  // namespace zmem
#pragma GCC visibility pop
