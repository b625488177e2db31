list(APPEND ZMEM_SOURCES
  gc/collector.cpp
)
