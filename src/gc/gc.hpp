// Umbrella header of the gc layer.
#pragma once

#include "value/value.hpp"
#include "zmem/gc.hpp"
