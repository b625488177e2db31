// The value layer's umbrella header: what higher layers (gc, engine) and the
// layer's own sources include.  Public API plus the layer's internals.
// Invariant: includes only the heap's public C API below it (zmem.h).
#pragma once

#include <zmem/array.hpp>
#include <zmem/hash_table.hpp>
#include <zmem/object.hpp>
#include <zmem/resource.hpp>
#include <zmem/string.hpp>
#include <zmem/value.hpp>

#include "value/memory.hpp"
