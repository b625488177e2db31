// Everything zmem offers to C++ hosts.
#pragma once

#include "heap.hpp"
#include "engine.hpp"
#include "shared_table.hpp"
