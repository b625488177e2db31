list(APPEND ZMEM_SOURCES
  engine/bailout.cpp
  engine/module_registry.cpp
  engine/thread_slots.cpp
  engine/request.cpp
  engine/shared_table.cpp
)
