// SharedTable: persistent, encoded copies of values behind a shared_mutex
// (see include/zmem/shared_table.hpp for the model and the encoding).
// Counterpart: APCu's apc_cache (persistent copies, request copies on fetch);
// the persistent-memory rule of ZTS extensions (no emalloc'd data in globals
// shared between threads).
// Invariants: every Entry that is not a pointer owns one persistent block of
// `size` bytes holding exactly one encoded value; bytes_ == sum of those sizes.
// Locks: encoding and decoding touch only the calling thread's heap and the
// immutable encoded block; the map is changed under the exclusive lock only, and
// a replaced block is freed after the lock is released.
#include <cinttypes>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "engine/engine.hpp"
#include "zmem/array.hpp"
#include "zmem/shared_table.hpp"

namespace zmem {

namespace {

constexpr char kTagNull = 'n';
constexpr char kTagFalse = 'f';
constexpr char kTagTrue = 't';
constexpr char kTagLong = 'l';
constexpr char kTagDouble = 'd';
constexpr char kTagString = 's';
constexpr char kTagArray = 'a';
constexpr char kKeyIndex = 'i';
constexpr char kKeyString = 's';

const char* type_name(std::uint8_t type) {
  switch (type) {
    case kObject: return "an object";
    case kResource: return "a resource";
    default: return "an internal zval";
  }
}

template <class T>
void put_raw(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_bytes(std::string& out, std::string_view s) {
  put_raw<std::uint64_t>(out, s.size());
  out.append(s);
}

/// Appends one value's tag and scalar payload; returns the array to descend into (its
/// count is written), or null.  Throws std::invalid_argument for what cannot be copied.
const HashTable* encode_one(std::string& out, const Zval* z, const std::string& table, std::string_view key) {
  z = deref(z);
  switch (z->type()) {
    case kUndef:
    case kNull: out.push_back(kTagNull); return nullptr;
    case kFalse: out.push_back(kTagFalse); return nullptr;
    case kTrue: out.push_back(kTagTrue); return nullptr;
    case kLong: out.push_back(kTagLong); put_raw<std::int64_t>(out, z->lval()); return nullptr;
    case kDouble: out.push_back(kTagDouble); put_raw<double>(out, z->dval()); return nullptr;
    case kString: out.push_back(kTagString); put_bytes(out, z->str()->view()); return nullptr;
    case kArray: {
      const HashTable* ht = z->arr();
      out.push_back(kTagArray);
      put_raw<std::uint32_t>(out, ht->num_elements);
      return ht->num_elements != 0 ? ht : nullptr;
    }
    default:
      throw std::invalid_argument("zmem: SharedTable '" + table + "': cannot store " + type_name(z->type()) +
                                  " under \"" + std::string(key) + "\" (only null, bool, int, float, string and arrays of those)");
  }
}

/// The whole value, iteratively: one frame per array being walked.
std::string encode(const Zval& root, const std::string& table, std::string_view key) {
  struct Frame {
    const HashTable* ht;
    HashPosition pos;
  };
  std::string out;
  std::vector<Frame> stack;
  if (const HashTable* ht = encode_one(out, &root, table, key)) stack.push_back({ht, hash_next_live(ht, 0)});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.pos >= frame.ht->num_used) {
      stack.pop_back();
      continue;
    }
    std::uint64_t h;
    String* name;
    hash_key_at(frame.ht, frame.pos, &h, &name);
    if (name == nullptr) {
      out.push_back(kKeyIndex);
      put_raw<std::int64_t>(out, static_cast<std::int64_t>(h));
    } else {
      out.push_back(kKeyString);
      put_bytes(out, name->view());
    }
    const Zval* v = hash_value_at(frame.ht, frame.pos);
    frame.pos = hash_next_live(frame.ht, frame.pos + 1);  // before push_back moves `frame`
    if (const HashTable* child = encode_one(out, v, table, key)) {
      if (stack.size() >= SharedTable::kMaxDepth) {
        throw std::invalid_argument("zmem: SharedTable '" + table + "': value under \"" + std::string(key) +
                                    "\" is nested deeper than " + std::to_string(SharedTable::kMaxDepth) +
                                    " levels (a recursive array?)");
      }
      stack.push_back({child, hash_next_live(child, 0)});
    }
  }
  return out;
}

/// Reads the encoding back; a block is only ever produced by encode(), so it is trusted.
class Decoder {
 public:
  explicit Decoder(const char* p) : p_(p) {}

  template <class T>
  T raw() {
    T v;
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string_view bytes() {
    auto n = raw<std::uint64_t>();
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  char tag() { return *p_++; }

  /// Writes one value into `slot` (which holds null, so a memory error leaves it valid);
  /// returns the new array and its element count when elements must follow.
  HashTable* value(Zval& slot, std::uint32_t* count) {
    switch (tag()) {
      case kTagFalse: slot.set_bool(false); return nullptr;
      case kTagTrue: slot.set_bool(true); return nullptr;
      case kTagLong: slot.set_long(raw<std::int64_t>()); return nullptr;
      case kTagDouble: slot.set_double(raw<double>()); return nullptr;
      case kTagString: {
        std::string_view s = bytes();
        slot.set_string(s.empty() ? empty_string() : string_init(s));
        return nullptr;
      }
      case kTagArray: {
        *count = raw<std::uint32_t>();
        if (*count == 0) {
          set_empty_array(slot);
          return nullptr;
        }
        HashTable* ht = new_array(*count);
        slot.set_array(ht);
        return ht;
      }
      default: return nullptr;  // kTagNull: the slot already holds null
    }
  }

 private:
  const char* p_;
};

Value decode(const void* block) {
  struct Frame {
    HashTable* ht;
    std::uint32_t remaining;
  };
  Decoder in(static_cast<const char*>(block));
  Value root;  // every array is linked into root as soon as it exists: a bailout frees it all
  Zval null_value;
  null_value.value.lval = 0;
  null_value.set_null();
  std::vector<Frame> stack;
  std::uint32_t count = 0;
  if (HashTable* ht = in.value(root.zval(), &count)) stack.push_back({ht, count});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.remaining == 0) {
      stack.pop_back();
      continue;
    }
    --frame.remaining;
    HashTable* ht = frame.ht;
    Zval* slot;
    if (in.tag() == kKeyIndex) {
      slot = hash_index_update(ht, static_cast<std::uint64_t>(in.raw<std::int64_t>()), &null_value);
    } else {
      slot = hash_str_update(ht, in.bytes(), &null_value);
    }
    if (HashTable* child = in.value(*slot, &count)) stack.push_back({child, count});
  }
  return root;
}

}  // namespace

SharedTable::SharedTable(std::string name) : name_(std::move(name)) {}

SharedTable::~SharedTable() { clear(); }

void SharedTable::free_entry(const Entry& entry) noexcept {
  if (!entry.is_pointer && entry.data != nullptr) zmem_persistent_free(const_cast<void*>(entry.data));
}

bool SharedTable::store(std::string_view key, Entry entry, bool replace) {
  Entry garbage;  // freed after the lock is released
  bool stored = true;
  {
    std::unique_lock lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) {
      map_.emplace(std::string(key), entry);
    } else if (replace) {
      garbage = it->second;
      it->second = entry;
    } else {
      garbage = entry;
      stored = false;
    }
    if (stored && !entry.is_pointer) bytes_ += entry.size;
    if (stored && !garbage.is_pointer) bytes_ -= garbage.size;
  }
  free_entry(garbage);
  return stored;
}

void SharedTable::put(std::string_view key, const Zval& v) {
  std::string encoded = encode(v, name_, key);
  void* block = zmem_persistent_alloc(encoded.size(), __FILE__, __LINE__);
  std::memcpy(block, encoded.data(), encoded.size());
  store(key, Entry{block, encoded.size(), false}, true);
}

void SharedTable::put(std::string_view key, const Value& v) { put(key, v.zval()); }

bool SharedTable::add(std::string_view key, const Value& v) {
  if (contains(key)) return false;  // cheap refusal without encoding
  std::string encoded = encode(v.zval(), name_, key);
  void* block = zmem_persistent_alloc(encoded.size(), __FILE__, __LINE__);
  std::memcpy(block, encoded.data(), encoded.size());
  return store(key, Entry{block, encoded.size(), false}, false);
}

std::optional<Value> SharedTable::get(std::string_view key) const {
  std::shared_lock lock(mutex_);
  auto it = map_.find(key);
  if (it == map_.end() || it->second.is_pointer) return std::nullopt;
  return decode(it->second.data);
}

bool SharedTable::contains(std::string_view key) const {
  std::shared_lock lock(mutex_);
  return map_.find(key) != map_.end();
}

bool SharedTable::erase(std::string_view key) {
  Entry old;
  {
    std::unique_lock lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    old = it->second;
    if (!old.is_pointer) bytes_ -= old.size;
    map_.erase(it);
  }
  free_entry(old);
  return true;
}

void SharedTable::clear() {
  Map old;
  {
    std::unique_lock lock(mutex_);
    old.swap(map_);
    bytes_ = 0;
  }
  for (const auto& [key, entry] : old) free_entry(entry);
}

std::size_t SharedTable::size() const {
  std::shared_lock lock(mutex_);
  return map_.size();
}

std::size_t SharedTable::bytes() const {
  std::shared_lock lock(mutex_);
  return bytes_;
}

void SharedTable::put_pointer(std::string_view key, const void* p, std::size_t size) {
  zmem_heap* current = zmem_current_heap();
  int mode = zmem_heap_mode(current);
  if (p != nullptr && (mode == 1 || mode == 2)) {
    // Any native or debug heap: the chunk registry names the owner of every chunk and huge
    // block (one load).  A system heap tracks its blocks itself: the current one is asked.
    std::uintptr_t owner = detail::registry_lookup(reinterpret_cast<std::uintptr_t>(p));
    if (owner != 0 || zmem_owns(current, p)) {
      char where[64];
      if (owner != 0 && (owner & detail::kHugeTag) == 0) {
        std::snprintf(where, sizeof where, "heap #%u", zmem_heap_id(reinterpret_cast<const zmem_heap*>(owner)));
      } else if (owner == 0) {
        std::snprintf(where, sizeof where, "heap #%u", zmem_heap_id(current));
      } else {
        std::snprintf(where, sizeof where, "a request heap (huge block)");
      }
      char message[512];
      std::snprintf(message, sizeof message,
                    "SharedTable '%s': put_pointer(\"%.*s\") refused: %p is request memory of %s; a persistent "
                    "table must not hold a request pointer across reset (copy it into persistent memory)",
                    name_.c_str(), static_cast<int>(key.size()), key.data(), p, where);
      throw HeapError(ZMEM_ERR_FOREIGN, message);
    }
  }
  store(key, Entry{p, size, true}, true);
}

const void* SharedTable::get_pointer(std::string_view key, std::size_t* size) const {
  std::shared_lock lock(mutex_);
  auto it = map_.find(key);
  if (it == map_.end() || !it->second.is_pointer) return nullptr;
  if (size != nullptr) *size = it->second.size;
  return it->second.data;
}

}  // namespace zmem
