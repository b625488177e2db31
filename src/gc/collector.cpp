// The cycle collector (see include/zmem/gc.hpp): root buffer, trial deletion,
// the destructor pass and freeing garbage.  Counterpart: Zend/zend_gc.c.
//
// Root buffer: buf[0] is unused (index 0 means "not buffered" in GcHeader);
// a free slot is null and listed in free_slots.  Indices below 512 Ki are
// stored as they are, larger ones as (index % 512 Ki) | 512 Ki and found by
// scanning in 512 Ki steps (PHP's compression), so the 20-bit field suffices.
// Colours during a run: grey = internal references subtracted, white =
// garbage candidate, black = live (refcounts restored).  Every traversal uses
// an explicit stack.
//
// A run empties the whole buffer while it collects (each entry is visited
// once: a garbage root goes with its cycle, a live one is dropped), so no
// entry is searched for or listed as free; garbage leaves collect_white
// marked kGcGarbage (grey, buffer address 0) and pinned (refcount + 1), so
// that releasing the contents of one garbage node neither frees nor re-roots
// another.  Roots added later in the run (destructors, freeing) start again
// at index 1.  When no node turned white has a destructor or free handler
// (nothing can then stop or observe the freeing), collect_white also frees
// what each object holds in the same visit (the fused path); otherwise the
// destructors run first and freeing is a separate pass, as in PHP.
#include <algorithm>
#include <exception>
#include <vector>

#include "gc/gc.hpp"

namespace zmem {

namespace {

constexpr std::uint32_t kThresholdDefault = 10001;
constexpr std::uint32_t kThresholdStep = 10000;
constexpr std::uint32_t kThresholdMax = 1000000000;
constexpr std::uint32_t kThresholdTrigger = 100;
constexpr std::uint32_t kMaxUncompressed = 512 * 1024;
// After collect_white: a node found to be garbage.  No node is grey then (scan turned every
// grey node white or black), and address 0 says it is no longer in the buffer.
constexpr std::uint32_t kGcGarbage = kGcGrey;

struct GcState {
  std::vector<GcHeader*> buf{nullptr};
  std::vector<std::uint32_t> free_slots;
  std::uint32_t num_roots = 0;
  std::uint32_t threshold = kThresholdDefault;
  bool enabled = true;
  bool active = false;
  bool freeing = false;  // garbage is being destroyed: no root may be added meanwhile
  std::uint32_t runs = 0;
  std::uint32_t collected = 0;
  // Scratch space of the traversals, kept between runs (request end drops it: gc_reset).
  std::vector<GcHeader*> stack, black_stack, garbage, deferred;
};
thread_local GcState t_gc;

std::uint32_t color(const GcHeader* p) { return p->gc_color(); }
void set_color(GcHeader* p, std::uint32_t c) { p->set_gc_info((p->info() & ~kGcColorMask) | c); }

std::uint32_t compress(std::uint32_t index) {
  return index < kMaxUncompressed ? index : (index % kMaxUncompressed) | kMaxUncompressed;
}

std::uint32_t slot_of(const GcHeader* p) {
  std::uint32_t address = p->gc_address();
  if (address < kMaxUncompressed) return address;
  const GcState& g = t_gc;
  for (std::size_t index = address & ~kMaxUncompressed; index < g.buf.size(); index += kMaxUncompressed) {
    if (g.buf[index] == p) return static_cast<std::uint32_t>(index);
  }
  return 0;
}

void add_root(GcHeader* p) {
  GcState& g = t_gc;
  std::uint32_t index;
  if (!g.free_slots.empty()) {
    index = g.free_slots.back();
    g.free_slots.pop_back();
  } else {
    index = static_cast<std::uint32_t>(g.buf.size());
    g.buf.push_back(nullptr);
  }
  g.buf[index] = p;
  g.num_roots++;
  p->set_gc_info(compress(index) | kGcPurple);
}

void remove_root(GcHeader* p) {
  GcState& g = t_gc;
  std::uint32_t index = slot_of(p);
  if (index != 0) {
    g.buf[index] = nullptr;
    g.free_slots.push_back(index);
    g.num_roots--;
  }
  p->set_gc_info(0);
}

/// Calls f(child) for every array, object or reference held by the table's values.
template <class F>
void visit_table(HashTable* ht, F&& f) {
  auto visit = [&](const Zval& z) {
    std::uint8_t t = z.type();
    if (z.is_refcounted() && (t == kArray || t == kObject || t == kReference)) f(z.counted());
  };
  if (ht->is_uninitialized()) return;
  if (ht->is_packed()) {
    for (std::uint32_t i = 0; i < ht->num_used; ++i) visit(ht->packed[i]);
  } else {
    for (std::uint32_t i = 0; i < ht->num_used; ++i) visit(ht->data[i].val);
  }
}

/// Calls f(child) for every array, object or reference that `p` points at.
template <class F>
void for_each_child(GcHeader* p, F&& f) {
  auto visit = [&](const Zval& z) {
    std::uint8_t t = z.type();
    if (z.is_refcounted() && (t == kArray || t == kObject || t == kReference)) f(z.counted());
  };
  switch (p->type()) {
    case kArray: visit_table(reinterpret_cast<HashTable*>(p), f); break;
    case kObject: {
      auto* o = reinterpret_cast<Object*>(p);
      const Zval* slots = o->slots();
      const std::uint32_t n = o->num_slots();
      for (std::uint32_t i = 0; i < n; ++i) visit(slots[i]);
      if (o->dynamic != nullptr) visit_table(o->dynamic, f);
      break;
    }
    case kReference: visit(reinterpret_cast<Reference*>(p)->val); break;
    default: break;
  }
}

/// A depth-first stack whose top lives in a local: on a chain (a ring: one child per node)
/// the next node is pushed and popped without touching memory.  Pops in the same order as a
/// plain vector stack; `spill` is empty again when the walk is.
class Walk {
 public:
  Walk(std::vector<GcHeader*>& spill, GcHeader* first) : spill_(spill), top_(first) {}
  void push(GcHeader* p) {
    if (top_ != nullptr) spill_.push_back(top_);
    top_ = p;
  }
  /// The next node, or null when the walk is over.
  GcHeader* pop() {
    GcHeader* p = top_;
    if (spill_.empty()) {
      top_ = nullptr;
    } else {
      top_ = spill_.back();
      spill_.pop_back();
    }
    return p;
  }

 private:
  std::vector<GcHeader*>& spill_;
  GcHeader* top_;
};

void mark_grey(GcHeader* root, std::vector<GcHeader*>& stack) {
  Walk walk(stack, root);
  while (GcHeader* n = walk.pop()) {
    for_each_child(n, [&](GcHeader* c) {
      c->refcount--;
      if (color(c) != kGcGrey) {
        set_color(c, kGcGrey);
        walk.push(c);
      }
    });
  }
}

void scan_black(GcHeader* n, std::vector<GcHeader*>& stack) {
  set_color(n, kGcBlack);
  Walk walk(stack, n);
  while (GcHeader* m = walk.pop()) {
    for_each_child(m, [&](GcHeader* c) {
      c->refcount++;
      if (color(c) != kGcBlack) {
        set_color(c, kGcBlack);
        walk.push(c);
      }
    });
  }
}

/// Colours a grey node white, noting whether it could need a destructor or free handler
/// should it turn out to be garbage (then garbage is freed the careful way, free_garbage).
void whiten(GcHeader* p, bool& white_handlers) {
  set_color(p, kGcWhite);
  if (p->type() == kObject && (reinterpret_cast<const Object*>(p)->flags & kObjHasHandlers)) white_handlers = true;
}

void scan(GcHeader* root, std::vector<GcHeader*>& stack, std::vector<GcHeader*>& black_stack,
          bool& white_handlers) {
  Walk walk(stack, root);
  while (GcHeader* n = walk.pop()) {
    if (color(n) != kGcWhite) continue;
    if (n->refcount > 0) {
      scan_black(n, black_stack);
      continue;
    }
    for_each_child(n, [&](GcHeader* c) {
      if (color(c) == kGcGrey) {
        whiten(c, white_handlers);
        walk.push(c);
      }
    });
  }
}

bool has_pending_destructor(const GcHeader* n) {
  if (n->type() != kObject) return false;
  const auto* o = reinterpret_cast<const Object*>(n);
  return !(o->flags & kObjDestructorCalled) && static_cast<bool>(o->ce->handlers.destructor);
}

/// Gathers the white nodes reachable from `root` into `garbage`, restoring the refcounts
/// that mark_grey subtracted; each leaves marked kGcGarbage and pinned.  Returns how many of
/// them are arrays or objects (what gc_collect_cycles reports).
///
/// Fused (no white node has a destructor or free handler, so nothing can stop the freeing):
/// an object's slots are dealt with here, in the same visit.  A slot holding an array, object
/// or reference needs no count change at all (restoring the count and releasing it would
/// cancel out: a live child already lost this reference in mark_grey, a garbage child goes
/// too); a string or resource is released now.  What cannot be settled in one visit (arrays,
/// references, dynamic properties) is restored as usual and listed in `deferred`.
template <bool kFused>
std::size_t collect_white(GcHeader* root, std::vector<GcHeader*>& stack, std::vector<GcHeader*>& garbage,
                          std::vector<GcHeader*>& deferred, bool& dtors) {
  std::size_t count = 0;
  Walk walk(stack, root);
  while (GcHeader* n = walk.pop()) {
    if (color(n) != kGcWhite) continue;
    n->set_gc_info(kGcGarbage);
    n->refcount++;  // the pin
    garbage.push_back(n);
    count += n->type() != kReference;
    if constexpr (kFused) {
      if (n->type() == kObject) {
        auto* o = reinterpret_cast<Object*>(n);
        Zval* slots = o->slots();
        const std::uint32_t slot_count = o->num_slots();
        for (std::uint32_t i = 0; i < slot_count; ++i) {
          const Zval& z = slots[i];
          if (!z.is_refcounted()) continue;
          const std::uint8_t t = z.type();
          GcHeader* c = z.counted();
          if (t == kArray || t == kObject || t == kReference) {
            if (color(c) == kGcWhite) walk.push(c);
          } else {
            detail::release(c);  // a string or resource: nothing of the graph
          }
        }
        if (o->dynamic != nullptr) {
          deferred.push_back(n);
          visit_table(o->dynamic, [&](GcHeader* c) {
            c->refcount++;
            if (color(c) == kGcWhite) walk.push(c);
          });
        }
        continue;
      }
      deferred.push_back(n);
    } else {
      if (has_pending_destructor(n)) dtors = true;
    }
    for_each_child(n, [&](GcHeader* c) {
      c->refcount++;
      if (color(c) == kGcWhite) walk.push(c);
    });
  }
  return count;
}

/// Destructors of garbage objects, each once; nothing is freed here.  Every garbage node
/// goes (back) into the buffer as a purple root so the next pass re-traces it from scratch.
void run_garbage_destructors(const std::vector<GcHeader*>& garbage) {
  std::vector<std::pair<std::uint32_t, GcHeader*>> objects;
  for (GcHeader* n : garbage) {
    n->refcount--;  // unpinned: nothing is freed in this pass
    n->set_gc_info(0);
    add_root(n);
    if (n->type() == kObject) objects.emplace_back(slot_of(n), n);
  }
  for (auto [index, n] : objects) {
    if (t_gc.buf[index] != n || !has_pending_destructor(n)) continue;  // freed meanwhile
    auto* o = reinterpret_cast<Object*>(n);
    o->flags |= kObjDestructorCalled;
    o->gc.refcount++;
    try {
      o->ce->handlers.destructor(o);
    } catch (...) {
      // Held for the next bailout boundary, as for destructors run by a release.
    }
    Zval z;
    set_object(z, o);
    ptr_dtor(z);
  }
}

/// Releases one value held by a garbage node.  A garbage child is pinned and marked, so it
/// only loses a count; anything else is released as usual.
inline void release_from_garbage(const Zval& v) {
  if (!v.is_refcounted()) return;
  GcHeader* c = v.counted();
  if (--c->refcount == 0) {
    detail::destroy_refcounted(c);
  } else if (c->info() == 0) {  // not buffered and not garbage: maybe a new root
    detail::release_nonzero(c);
  }
}

/// The memory of every garbage node, once nothing can touch any of them any more.
void free_garbage_memory(const std::vector<GcHeader*>& garbage) {
  detail::free_payloads(garbage.data(), garbage.size(), zmem_current_heap());
}

/// An object's dynamic properties, handed over to array_destroy (which owns their release).
void release_dynamic(Object* o) {
  HashTable* dynamic = o->dynamic;
  if (dynamic == nullptr) return;
  o->dynamic = nullptr;
  array_destroy(dynamic);
}

/// A reference's value; the reference is left holding null until its memory goes.
void release_referenced(Reference* r) {
  Zval v = r->val;
  r->val.set_null();
  release_from_garbage(v);
}

/// After a fused collect_white: releases what it left (arrays' elements, references' values,
/// objects' dynamic properties; their counts were restored), then frees all garbage.
void free_fused_garbage(const std::vector<GcHeader*>& garbage, const std::vector<GcHeader*>& deferred) {
  for (GcHeader* n : deferred) {
    switch (n->type()) {
      case kArray: hash_destroy(reinterpret_cast<HashTable*>(n)); break;
      case kObject: release_dynamic(reinterpret_cast<Object*>(n)); break;
      case kReference: release_referenced(reinterpret_cast<Reference*>(n)); break;
      default: break;
    }
  }
  t_gc.freeing = false;
  free_garbage_memory(garbage);
}

/// Frees every garbage node (pinned and marked by collect_white): first what each one holds,
/// then, once no garbage node can be touched any more, their memory.
void free_garbage(const std::vector<GcHeader*>& garbage) {
  GcState& g = t_gc;
  g.freeing = true;
  for (GcHeader* n : garbage) {
    switch (n->type()) {
      case kArray: hash_destroy(reinterpret_cast<HashTable*>(n)); break;
      case kObject: {
        auto* o = reinterpret_cast<Object*>(n);
        if (o->ce->handlers.free) {
          detail::object_call_free(o);
        } else {
          o->flags |= kObjFreeCalled;
        }
        release_dynamic(o);
        Zval* slots = o->slots();
        const std::uint32_t count = o->num_slots();
        for (std::uint32_t i = 0; i < count; ++i) {
          // Undefined before the release: a free handler that runs later in this loop
          // never sees a value already released.
          Zval v = slots[i];
          slots[i].set_undef();
          release_from_garbage(v);
        }
        break;
      }
      case kReference: release_referenced(reinterpret_cast<Reference*>(n)); break;
      default: break;
    }
  }
  g.freeing = false;
  free_garbage_memory(garbage);
}

/// Moves the surviving roots to the front (as gc_compact), so the buffer's high-water mark
/// is the number of roots again and the threshold counts new roots from there.
void compact() {
  GcState& g = t_gc;
  std::size_t kept = 1;
  if (g.num_roots != 0) {
    for (std::size_t i = 1; i < g.buf.size(); ++i) {
      GcHeader* p = g.buf[i];
      if (p == nullptr) continue;
      g.buf[kept] = p;
      p->set_gc_info(compress(static_cast<std::uint32_t>(kept)) | (p->info() & kGcColorMask));
      ++kept;
    }
  }
  g.buf.resize(kept);
  g.free_slots.clear();
}

void adjust_threshold(std::size_t count) {
  GcState& g = t_gc;
  if (count < kThresholdTrigger || g.num_roots >= g.threshold) {
    g.threshold = std::min(g.threshold + kThresholdStep, kThresholdMax);
  } else if (g.threshold > kThresholdDefault) {
    g.threshold -= kThresholdStep;
  }
}

void possible_root(GcHeader* p) {
  if (p->info() != 0) return;  // buffered already (or coloured by a running collection)
  GcState& g = t_gc;
  if (g.freeing) return;
  if (g.free_slots.empty() && g.buf.size() >= g.threshold && g.enabled && !g.active) {
    p->refcount++;
    adjust_threshold(gc_collect_cycles());
    if (--p->refcount == 0) {
      detail::destroy_refcounted(p);
      return;
    }
    if (p->info() != 0) return;
  }
  add_root(p);
}

void root_removed(GcHeader* p) {
  if (t_gc.freeing && color(p) == kGcWhite) return;  // garbage being freed: not in the buffer
  remove_root(p);
}

}  // namespace

void gc_install() {
  detail::set_possible_root_hook(possible_root);
  detail::set_root_removal_hook(root_removed);
}

std::size_t gc_collect_cycles() {
  GcState& g = t_gc;
  if (g.active || g.num_roots == 0) return 0;
  g.active = true;
  std::size_t total = 0;
  std::vector<GcHeader*>& stack = g.stack;
  std::vector<GcHeader*>& black_stack = g.black_stack;
  std::vector<GcHeader*>& garbage = g.garbage;
  std::vector<GcHeader*>& deferred = g.deferred;
  for (int pass = 0; pass < 2; ++pass) {
    g.runs++;
    // No root is added or removed until the buffer is emptied below (nothing is released
    // before; during a fused collect_white `freeing` holds new roots back).
    GcHeader** const buf = g.buf.data();
    const std::size_t buf_size = g.buf.size();
    for (std::size_t i = 1; i < buf_size; ++i) {
      GcHeader* p = buf[i];
      if (p != nullptr && color(p) == kGcPurple) {
        set_color(p, kGcGrey);
        mark_grey(p, stack);
      }
    }
    // A root found live (black) stays live for the rest of the run: it leaves the buffer
    // here, while its header is in cache, not in a later pass.
    bool white_handlers = false;
    std::size_t left = 0;  // entries still in the buffer after this loop
    for (std::size_t i = 1; i < buf_size; ++i) {
      GcHeader* p = buf[i];
      if (p == nullptr) continue;
      if (color(p) == kGcGrey) {
        whiten(p, white_handlers);
        scan(p, stack, black_stack, white_handlers);
      }
      if (color(p) == kGcBlack) {
        buf[i] = nullptr;
        p->set_gc_info(0);
      } else {
        ++left;
      }
    }
    // Empties the buffer: a white root takes its cycle into `garbage`, a root collected
    // already is skipped, any other is live and simply dropped.  Fused: the freeing starts
    // during the visit, so no root may be added before the buffer is rebuilt.
    garbage.clear();
    garbage.reserve(buf_size);
    deferred.clear();
    bool dtors = false;
    std::size_t count = 0;
    const bool fused = !white_handlers;
    g.freeing = fused;
    // Stops after the last entry left (a live graph leaves none: no pass over the buffer).
    for (std::size_t i = 1; i < buf_size && left != 0; ++i) {
      GcHeader* p = buf[i];
      if (p == nullptr) continue;
      buf[i] = nullptr;
      --left;
      const std::uint32_t c = color(p);
      if (c == kGcWhite) {
        count += fused ? collect_white<true>(p, stack, garbage, deferred, dtors)
                       : collect_white<false>(p, stack, garbage, deferred, dtors);
      } else if (c != kGcGarbage) {
        p->set_gc_info(0);
      }
    }
    g.buf.resize(1);
    g.free_slots.clear();
    g.num_roots = 0;
    if (fused) {
      free_fused_garbage(garbage, deferred);  // clears g.freeing
      total += count;
      break;
    }
    if (garbage.empty()) break;
    if (dtors) {
      run_garbage_destructors(garbage);
      if (pass == 0) continue;  // collect once more: resurrected objects survive
      break;
    }
    free_garbage(garbage);
    total += count;
    break;
  }
  garbage.clear();
  deferred.clear();
  compact();
  g.collected += static_cast<std::uint32_t>(total);
  g.active = false;
  return total;
}

GcStatus gc_status() noexcept {
  const GcState& g = t_gc;
  return GcStatus{g.runs, g.collected, g.threshold, g.num_roots};
}

void gc_enable(bool on) noexcept { t_gc.enabled = on; }
bool gc_enabled() noexcept { return t_gc.enabled; }

void gc_reset() noexcept { t_gc = GcState{}; }

}  // namespace zmem
