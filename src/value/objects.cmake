# Objects and resources (paths relative to src/), appended to libzmem.
list(APPEND ZMEM_SOURCES
  value/object.cpp
  value/resource.cpp
)
