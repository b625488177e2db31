// Umbrella header of the heap layer: the native heap (chunks, bins, large
// runs, huge blocks), the debug heap, the system heap, the chunk registry, errors, and the
// persistent allocator.  Higher layers include only this file.
#pragma once

#include "heap/chunk.hpp"
#include "heap/chunk_registry.hpp"
#include "heap/debug_heap.hpp"
#include "heap/heap_core.hpp"
#include "heap/native_heap.hpp"
#include "heap/size_classes.hpp"
#include "heap/system_heap.hpp"
