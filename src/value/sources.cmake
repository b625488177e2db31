# The value layer's sources (paths relative to src/), appended to libzmem.
list(APPEND ZMEM_SOURCES
  value/string.cpp
  value/interned.cpp
  value/hash_table.cpp
  value/hash_iterators.cpp
  value/symtable.cpp
  value/destroy.cpp
  value/zval_ops.cpp
  value/array.cpp
  value/value_handle.cpp
  value/dump.cpp
)
